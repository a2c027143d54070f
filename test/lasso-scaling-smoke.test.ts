/**
 * End to end: `spred run configs/lasso-scaling-smoke.json` on the wasm backend, then the checks of
 * issue 4 read back from timing.csv; and a problem given as `.npy` files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { syntheticProblem } from '../src/data/synthetic_lasso';
import { readNpy, writeProblemNpy } from '../src/data/npy';
import { checkRun } from '../src/report/check';
import { csvRows, readJson, ROOT, runConfig, spred, tempDir, type Row } from './harness';

let tmp: string;

beforeAll(() => (tmp = tempDir('scaling')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('configs/lasso-scaling-smoke.json', () => {
  let runDir: string;
  let rows: Row[];

  beforeAll(async () => {
    ({ dir: runDir } = await runConfig(path.join(ROOT, 'configs/lasso-scaling-smoke.json'), tmp, ['--backend', 'wasm']));
    rows = csvRows(runDir, 'timing.csv');
  }, 300_000);

  test('writes timing.csv (one row per λ, d, m, method, repeat) and the log–log plot', () => {
    expect(path.relative(tmp, runDir)).toMatch(/^lasso-scaling\/lasso-scaling-smoke-\d{8}T\d{6}Z$/);
    expect(rows).toHaveLength(2 * 2 * 2 * 5);
    expect(Object.keys(rows[0])).toEqual(
      expect.arrayContaining([
        'd', 'm', 'method', 'optimizer', 'repeat', 'seconds_to_zero_rate_75', 'seconds_to_zero_rate_90', 'seconds_to_zero_rate_100',
        'seconds_to_subopt_1e3', 'seconds_to_subopt_1e6', 'objective', 'zero_rate', 'support_agreement',
      ]),
    );
    const svg = fs.readFileSync(path.join(runDir, 'scaling.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('spred (gd)');
    const manifest = readJson(path.join(runDir, 'manifest.json'));
    expect(manifest.status).toBe('completed');
  });

  test('all four methods reach the same objective within 1e-4 (relative), on every problem', () => {
    const groups = new Map<string, number[]>();
    for (const r of rows) groups.set(`${r.lambda_ratio}|${r.d}|${r.m}`, [...(groups.get(`${r.lambda_ratio}|${r.d}|${r.m}`) ?? []), r.objective]);
    expect(groups.size).toBe(8);
    for (const objectives of groups.values()) {
      expect(objectives).toHaveLength(5);
      expect((Math.max(...objectives) - Math.min(...objectives)) / Math.min(...objectives)).toBeLessThanOrEqual(1e-4);
    }
  });

  test("spred's support matches the reference support on ≥ 99 % of coordinates", () => {
    const spred = rows.filter((r) => r.method === 'spred');
    expect(spred).toHaveLength(16);
    for (const r of spred) expect(r.support_agreement).toBeGreaterThanOrEqual(0.99);
  });

  test('every method reports its milestones from its trace, in order', () => {
    for (const r of rows) {
      expect(r.seconds_to_zero_rate_75).toBeGreaterThanOrEqual(0);
      expect(r.seconds_to_zero_rate_75).toBeLessThanOrEqual(r.seconds_to_zero_rate_90);
      expect(r.seconds_to_zero_rate_90).toBeLessThanOrEqual(r.seconds_to_zero_rate_100);
      expect(r.seconds_to_zero_rate_100).toBeLessThanOrEqual(r.seconds);
      // Every method ends within 1e-4 of P*, so the 1e-3 milestone exists and comes by the end.
      expect(r.seconds_to_subopt_1e3).toBeLessThanOrEqual(r.seconds);
    }
  });

  test('spred check passes against reference/lasso-scaling-smoke.json', () => {
    const report = checkRun(runDir, path.join(ROOT, 'reference'));
    expect(report.results.filter((r) => !r.pass)).toEqual([]);
  });
});

describe('a problem from .npy files', () => {
  const config = (x: string, y: string) => {
    const file = path.join(tmp, `npy-${path.basename(x, '.npy')}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify({
        task: 'lasso-scaling',
        problem: { source: 'npy', x, y },
        lambdaRatios: [0.3],
        methods: ['cd', 'spred'],
        repeats: 1,
        spred: { optimizers: ['gd'] },
      }),
    );
    return file;
  };

  test('runs on the files as they are', async () => {
    const p = syntheticProblem({ n: 40, d: 200, m: 2, seed: 5 });
    const x = path.join(tmp, 'X.npy');
    const y = path.join(tmp, 'Y.npy');
    writeProblemNpy(x, y, p.X, p.Y, { dtype: '<f4' });
    const { dir } = await runConfig(config(x, y), tmp, ['--backend', 'wasm']);
    const rows = csvRows(dir, 'timing.csv');
    expect(rows.map((row) => [row.method, row.d, row.m, row.n])).toEqual([
      ['cd', 200, 2, 40],
      ['spred', 200, 2, 40],
    ]);
    expect(Math.abs(rows[1].objective - rows[0].objective) / rows[0].objective).toBeLessThan(1e-4);
  });

  test('a run saves its synthetic problems as .npy; a run on those files reproduces its numbers', async () => {
    const saving = path.join(tmp, 'saving.json');
    fs.writeFileSync(
      saving,
      JSON.stringify({
        task: 'lasso-scaling',
        problem: { source: 'synthetic', samples: 30, features: [120], outputs: [2] },
        lambdaRatios: [0.3],
        methods: ['cd'],
        repeats: 1,
        saveProblems: 'float64',
      }),
    );
    const { dir } = await runConfig(saving, tmp, ['--backend', 'wasm']);
    const x = path.join(dir, 'problems', 'd120-m2-X.npy');
    const y = path.join(dir, 'problems', 'd120-m2-Y.npy');
    expect(readNpy(x).shape).toEqual([30, 120]);
    expect(readNpy(y).shape).toEqual([30, 2]);
    expect(readJson(path.join(dir, 'manifest.json')).files).toEqual(
      expect.arrayContaining(['problems/d120-m2-X.npy', 'problems/d120-m2-Y.npy']),
    );
    const again = await runConfig(config(x, y), tmp, ['--set', 'methods=["cd"]', '--backend', 'wasm']);
    const [a] = csvRows(dir, 'timing.csv');
    const [b] = csvRows(again.dir, 'timing.csv');
    expect(b.objective).toBe(a.objective);
    expect(b.lambda).toBe(a.lambda);
  });

  test('a bad file is one line on stderr and exit code 2', async () => {
    const bad = path.join(tmp, 'bad.npy');
    fs.writeFileSync(bad, 'not numpy');
    const r = await spred('run', config(bad, bad), '--out', tmp, '--backend', 'wasm', '--quiet');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.npy/);
  });
});
