import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../errors';
import { withRun } from '../results/run';
import { checkRun, evaluateCheck, formatCheckTable, NotComparableError } from './check';
import type { Check } from './reference';

const sparsity = [
  { method: 'closed-form', lambda: 0.1, sparse_ratio: 0.2, sparse_ratio_error: 0, objective_rel_gap: 0 },
  { method: 'closed-form', lambda: 1, sparse_ratio: 0.6, sparse_ratio_error: 0, objective_rel_gap: 0 },
  { method: 'spred', lambda: 0.1, sparse_ratio: 0.2, sparse_ratio_error: 0.002, objective_rel_gap: 3e-5 },
  { method: 'spred', lambda: 1, sparse_ratio: 0.6, sparse_ratio_error: 0.004, objective_rel_gap: 8e-5 },
  { method: 'l1', lambda: 0.1, sparse_ratio: 0, sparse_ratio_error: 0.2, objective_rel_gap: 0.002 },
  { method: 'l1', lambda: 1, sparse_ratio: 0.1, sparse_ratio_error: 0.5, objective_rel_gap: null },
];

const check = (c: Partial<Check>): Check =>
  ({ name: 'c', file: 'sparsity.csv', where: {}, column: 'sparse_ratio', aggregate: 'max', expect: { max: 1 }, ...c }) as Check;

describe('evaluateCheck', () => {
  it('aggregates the selected rows', () => {
    const obs = (c: Partial<Check>) => evaluateCheck(check(c), sparsity).observed;
    expect(obs({ where: { method: 'spred' }, column: 'sparse_ratio_error', aggregate: 'max' })).toBe(0.004);
    expect(obs({ where: { method: 'spred' }, column: 'sparse_ratio_error', aggregate: 'min' })).toBe(0.002);
    expect(obs({ where: { method: 'spred' }, column: 'sparse_ratio_error', aggregate: 'mean' })).toBeCloseTo(0.003, 15);
    // 0, 0, 0.002, 0.004, 0.2, 0.5: the mean of the middle two
    expect(obs({ column: 'sparse_ratio_error', aggregate: 'median' })).toBeCloseTo(0.003, 15);
    expect(obs({ where: { lambda: 1 }, column: 'sparse_ratio', aggregate: 'median' })).toBe(0.6);
    expect(obs({ where: { method: 'l1' }, aggregate: 'first' })).toBe(0);
    expect(obs({ where: { method: 'l1' }, aggregate: 'last' })).toBe(0.1);
    expect(obs({ where: { lambda: 1 }, aggregate: 'count', column: undefined })).toBe(3);
    expect(obs({ where: { lambda: '0.1' }, aggregate: 'count', column: undefined })).toBe(3);
    expect(obs({ aggregate: 'count', column: 'objective_rel_gap' })).toBe(5);
  });

  it('never passes vacuously: no matching rows, unknown columns, non-numbers and NaN fail with a note', () => {
    const none = evaluateCheck(check({ where: { method: 'sprde' } }), sparsity);
    expect(none).toMatchObject({ pass: false, rows: 0, observed: null, note: 'no rows match where method=sprde' });
    const col = evaluateCheck(check({ where: { methd: 'spred' } }), sparsity);
    expect(col.pass).toBe(false);
    expect(col.note).toMatch(/^sparsity\.csv has no column 'methd' \(columns: method, lambda, /);
    const empty = evaluateCheck(check({ where: { method: 'l1' }, column: 'objective_rel_gap' }), sparsity);
    expect(empty).toMatchObject({ pass: false, rows: 2, note: 'line 7: objective_rel_gap is empty, not a number' });
    const text = evaluateCheck(check({ column: 'method', aggregate: 'first' }), sparsity);
    expect(text).toMatchObject({ pass: false, observed: 'closed-form', note: 'first value is not a number' });
    const nan = evaluateCheck(check({}), [{ sparse_ratio: 0.1 }, { sparse_ratio: NaN }]);
    expect(nan).toMatchObject({ pass: false, note: 'line 3: sparse_ratio is NaN' });
    const noRows = evaluateCheck(check({ aggregate: 'count', column: undefined, expect: { max: 0 } }), []);
    expect(noRows).toMatchObject({ pass: false, note: 'sparsity.csv has no data rows' });
    const missing = evaluateCheck(check({}), new Error('sparsity.csv: no such file'));
    expect(missing).toMatchObject({ pass: false, note: 'sparsity.csv: no such file' });
  });

  it('treats zero selected rows as the observation 0 for count', () => {
    const r = evaluateCheck(check({ where: { method: 'failed' }, aggregate: 'count', column: undefined, expect: { max: 0 } }), sparsity);
    expect(r).toMatchObject({ pass: true, observed: 0, rows: 0, note: null });
  });
});

describe('checkRun', () => {
  let tmp: string;
  let refDir: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-check-'));
    refDir = path.join(tmp, 'reference');
    fs.mkdirSync(refDir);
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const resolved = (name: string) => ({ task: 'lasso', name, seed: 0, output: 'results', backend: 'auto', problem: { samples: 200 }, lambdas: [0.1, 1] });
  const reference = (checks: unknown[], config = 'lasso-smoke') =>
    fs.writeFileSync(
      path.join(refDir, `${config}.json`),
      JSON.stringify({ config, description: 'test numbers', checks, resolvedConfig: resolved(config) }, null, 2),
    );

  async function makeRun(name = 'lasso-smoke', patch: Record<string, unknown> = {}): Promise<string> {
    return withRun({ root: path.join(tmp, 'results'), task: 'lasso', name, config: { ...resolved(name), ...patch }, quiet: true }, (ctx) => {
      ctx.writeCsv('sparsity.csv', sparsity);
    });
  }

  const good = [
    { name: 'spred matches the closed form', file: 'sparsity.csv', where: { method: 'spred' }, column: 'sparse_ratio_error', aggregate: 'max', expect: { max: 0.01 }, source: 'Fig. 2' },
    { name: 'objective gap', file: 'sparsity.csv', where: { method: 'spred' }, column: 'objective_rel_gap', aggregate: 'max', expect: { value: 0, tolerance: 1e-4 } },
  ];

  it('passes a run written by withRun whose numbers are within the reference', async () => {
    reference(good);
    const dir = await makeRun();
    const report = checkRun(dir, refDir);
    expect(report).toMatchObject({ config: 'lasso-smoke', runStatus: 'completed', passed: true, referenceFile: path.join(refDir, 'lasso-smoke.json') });
    expect(report.results.map((r) => [r.name, r.observed, r.expectation, r.pass, r.rows])).toEqual([
      ['spred matches the closed form', 0.004, '<= 0.01', true, 2],
      ['objective gap', 8e-5, '0 +/- 0.0001', true, 2],
    ]);
    // a reference file can also be named directly
    expect(checkRun(dir, path.join(refDir, 'lasso-smoke.json')).passed).toBe(true);
  });

  it('fails out-of-range and vacuous checks', async () => {
    reference([
      ...good,
      { name: 'l1 is not exact', file: 'sparsity.csv', where: { method: 'l1' }, column: 'sparse_ratio_error', aggregate: 'max', expect: { max: 0.01 } },
      { name: 'typo in where', file: 'sparsity.csv', where: { method: 'Spred' }, column: 'sparse_ratio_error', aggregate: 'max', expect: { max: 0.01 } },
    ]);
    const report = checkRun(await makeRun(), refDir);
    expect(report.passed).toBe(false);
    expect(report.results.map((r) => r.pass)).toEqual([true, true, false, false]);
    expect(report.results[2].observed).toBe(0.5);
    expect(report.results[3].note).toBe('no rows match where method=Spred');
    const table = formatCheckTable(report.results).split('\n');
    expect(table[0]).toMatch(/^\s+check\s+observed\s+expected\s+rows\s+note$/);
    expect(table[1]).toMatch(/^PASS  spred matches the closed form\s+0\.004\s+<= 0\.01\s+2$/);
    expect(table[3]).toMatch(/^FAIL  l1 is not exact\s+0\.5\s+<= 0\.01\s+2$/);
    expect(table[4]).toMatch(/^FAIL  typo in where\s+-\s+<= 0\.01\s+0\s+no rows match where method=Spred$/);
  });

  describe('a run it cannot judge is not comparable (exit 2, one line), not a regression', () => {
    const notComparable = (dir: string): string => {
      let err: unknown;
      try {
        checkRun(dir, refDir);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(NotComparableError);
      expect((err as NotComparableError).exitCode).toBe(2);
      const msg = (err as Error).message;
      expect(msg).not.toContain('\n');
      expect(msg.startsWith(`${dir}: not comparable with ${path.join(refDir, 'lasso-smoke.json')}: `)).toBe(true);
      return msg;
    };

    it.each(['interrupted', 'failed', 'running'])('a run whose manifest says %s, even when its numbers pass', async (status) => {
      reference(good);
      const dir = await makeRun();
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
      fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, status }));
      expect(notComparable(dir)).toMatch(new RegExp(`: the run is ${status} \\(manifest\.json status\\), not completed, so its numbers are not final$`));
    });

    it('a run whose resolved config differs (--set, --seed), naming each dot path', async () => {
      reference(good);
      const dir = await makeRun('lasso-smoke', { seed: 3, problem: { samples: 400 }, lambdas: [0.5] });
      expect(notComparable(dir)).toMatch(
        /: the run's resolved config \(config\.json\) differs from the reference's in seed \(run 3, reference 0\), problem\.samples \(run 400, reference 200\), lambdas \(run \[0\.5\], reference \[0\.1,1\]\)$/,
      );
    });

    it('ignores output, backend and description, which do not change the numbers', async () => {
      reference(good);
      const dir = await makeRun('lasso-smoke', { output: '/tmp/elsewhere', backend: 'cpu', description: 'mine' });
      expect(checkRun(dir, refDir).passed).toBe(true);
    });

    it('a run without a CSV the reference reads; every reason on the one line', async () => {
      reference([...good, { name: 'sweep', file: 'sweep.csv', column: 'loss', aggregate: 'min', expect: { max: 1 } }]);
      const dir = await makeRun('lasso-smoke', { iterations: 10 });
      fs.rmSync(path.join(dir, 'sparsity.csv'));
      expect(notComparable(dir)).toMatch(
        /differs from the reference's in iterations \(run 10, reference \(absent\)\); missing sparsity\.csv, sweep\.csv \(the reference reads them\)$/,
      );
    });
  });

  it('gives one-line UsageErrors for a missing run, config or reference, and a reference of another config', async () => {
    expect(() => checkRun(path.join(tmp, 'nope'), refDir)).toThrow(/nope: no such run directory/);
    const bare = path.join(tmp, 'bare');
    fs.mkdirSync(bare);
    expect(() => checkRun(bare, refDir)).toThrow(/bare\/config\.json: missing; is this a run directory written by `spred run`\?/);
    fs.writeFileSync(path.join(bare, 'config.json'), '{"task":"lasso"}');
    expect(() => checkRun(bare, refDir)).toThrow(/config\.json: name: expected the config name/);

    const dir = await makeRun('mine');
    reference(good);
    expect(() => checkRun(dir, refDir)).toThrow(UsageError);
    expect(() => checkRun(dir, refDir)).toThrow(/mine\.json: no reference file for config 'mine'; references exist for: lasso-smoke/);
    expect(() => checkRun(dir, path.join(tmp, 'no-refs'))).toThrow(/no-refs: no such reference folder or file/);
    fs.copyFileSync(path.join(refDir, 'lasso-smoke.json'), path.join(refDir, 'mine.json'));
    expect(() => checkRun(dir, refDir)).toThrow(/mine\.json: config: is 'lasso-smoke' but the run in .* is of config 'mine'/);
  });
});
