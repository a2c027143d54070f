import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RegressionError, UsageError } from '../errors';
import { NotComparableError } from '../report/check';
import { writeCsv } from '../results/csv';
import { checkCommand } from './check';

describe('checkCommand', () => {
  let tmp: string;
  let runDir: string;
  let refDir: string;
  let out: string[];
  let spy: jest.SpyInstance;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-checkcmd-'));
    runDir = path.join(tmp, 'run');
    refDir = path.join(tmp, 'reference');
    fs.mkdirSync(runDir);
    fs.mkdirSync(refDir);
    fs.writeFileSync(path.join(runDir, 'config.json'), JSON.stringify(resolvedConfig));
    writeCsv(path.join(runDir, 'sparsity.csv'), [
      { method: 'spred', sparse_ratio_error: 0.003 },
      { method: 'l1', sparse_ratio_error: 0.3 },
    ]);
    out = [];
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  });
  afterEach(() => {
    spy.mockRestore();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const resolvedConfig = { task: 'lasso', name: 'lasso-smoke', seed: 0 };
  const writeRef = (body: object) => fs.writeFileSync(path.join(refDir, 'lasso-smoke.json'), JSON.stringify({ resolvedConfig, ...body }));
  const checkOf = (method: string, max: number, name = `${method} within ${max}`) => ({
    name,
    file: 'sparsity.csv',
    where: { method },
    column: 'sparse_ratio_error',
    aggregate: 'max',
    expect: { max },
  });

  it('prints the table and resolves when every check passes', async () => {
    writeRef({ config: 'lasso-smoke', description: 'd', checks: [checkOf('spred', 0.01)] });
    await expect(checkCommand(runDir, { reference: refDir })).resolves.toBeUndefined();
    const text = out.join('');
    expect(text).toContain(`reference: ${path.join(refDir, 'lasso-smoke.json')}`);
    expect(text).toMatch(/PASS  spred within 0\.01\s+0\.003\s+<= 0\.01\s+1/);
    expect(text).toContain('1 checks: 1 passed, 0 failed');
  });

  it('throws RegressionError (exit 1) naming the failing checks, after printing the table', async () => {
    writeRef({ config: 'lasso-smoke', description: 'd', checks: [checkOf('spred', 0.01), checkOf('l1', 0.01), checkOf('cd', 1, 'cd present')] });
    const err = await checkCommand(runDir, { reference: refDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegressionError);
    expect((err as RegressionError).exitCode).toBe(1);
    expect((err as Error).message).toBe('lasso-smoke: 2 of 3 checks failed: l1 within 0.01; cd present');
    expect(out.join('')).toMatch(/FAIL  cd present .* no rows match where method=cd/);
  });

  it('throws UsageError (exit 2) naming the file and field of a malformed reference', async () => {
    writeRef({ config: 'lasso-smoke', description: 'd', checks: [{ ...checkOf('spred', 0.01), expect: { value: 0.01 } }] });
    const err = await checkCommand(runDir, { reference: refDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as Error).message).toBe(`${path.join(refDir, 'lasso-smoke.json')}: checks.0.expect.tolerance: required with "value"`);
    expect(out).toEqual([]);
  });

  it('throws NotComparableError (exit 2) and prints nothing for a run of another config', async () => {
    writeRef({ config: 'lasso-smoke', description: 'd', checks: [checkOf('spred', 0.01)] });
    fs.writeFileSync(path.join(runDir, 'config.json'), JSON.stringify({ ...resolvedConfig, seed: 1 }));
    const err = await checkCommand(runDir, { reference: refDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotComparableError);
    expect((err as NotComparableError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/not comparable with .*: the run's resolved config \(config\.json\) differs from the reference's in seed \(run 1, reference 0\)$/);
    expect(out).toEqual([]);
  });

  it('throws UsageError for a missing run directory or reference file', async () => {
    await expect(checkCommand(path.join(tmp, 'missing'), { reference: refDir })).rejects.toThrow(UsageError);
    await expect(checkCommand(runDir, { reference: refDir })).rejects.toThrow(/no reference file for config 'lasso-smoke'/);
  });
});
