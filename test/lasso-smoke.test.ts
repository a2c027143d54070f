/**
 * End to end: `spred run configs/lasso-smoke.json` on the wasm backend, then the numbers the issue and
 * the paper (§4.1, Fig. 2 left) ask for, read back from the CSVs the run wrote.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkRun } from '../src/report/check';
import { csvRows, readJson, ROOT, runConfig, spred, tempDir, type CliResult, type Row } from './harness';

let runDir: string;
let tmp: string;
let rows: Row[];

beforeAll(async () => {
  tmp = tempDir('lasso');
  ({ dir: runDir } = await runConfig(path.join(ROOT, 'configs/lasso-smoke.json'), tmp, ['--backend', 'wasm']));
  rows = csvRows(runDir, 'sparsity.csv');
}, 300_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('the run directory holds config, manifest, CSVs and plots', () => {
  expect(path.relative(tmp, runDir)).toMatch(/^lasso\/lasso-smoke-\d{8}T\d{6}Z$/);
  for (const f of ['config.json', 'manifest.json', 'sparsity.csv', 'sweep.csv', 'trajectory.csv', 'sparsity.svg', 'trajectory.svg']) {
    expect(fs.existsSync(path.join(runDir, f))).toBe(true);
  }
  const manifest = readJson(path.join(runDir, 'manifest.json'));
  expect(manifest.status).toBe('completed');
  expect(manifest.backend.name).toBe('wasm');
  expect(manifest.tfjs).toBe('4.22.0');
  const config = readJson(path.join(runDir, 'config.json'));
  expect(config).toMatchObject({ task: 'lasso', name: 'lasso-smoke', seed: 0, backend: 'wasm', learningRates: [1, 0.1, 0.01, 0.001] });
  expect(fs.readFileSync(path.join(runDir, 'sparsity.svg'), 'utf8')).toMatch(/^<svg/);
});

test('spred (best setting) equals the closed-form sparse ratio within 1 point at every λ, at both thresholds', () => {
  const closed = rows.filter((r) => r.method === 'closed-form');
  const spred = rows.filter((r) => r.method === 'spred' && r.optimizer === 'best');
  expect(closed.length).toBe(6);
  expect(spred.map((r) => r.lambda)).toEqual(closed.map((r) => r.lambda));
  // The grid spans sparse ratios from near 0 to 1 (the issue: "from 0 to ~1").
  expect(Math.min(...closed.map((r) => r.closed_form_sparse_ratio))).toBeLessThan(0.1);
  expect(Math.max(...closed.map((r) => r.closed_form_sparse_ratio))).toBe(1);
  for (const r of spred) {
    expect(Math.abs(r.sparse_ratio_1 - r.closed_form_sparse_ratio)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(r.sparse_ratio_2 - r.closed_form_sparse_ratio)).toBeLessThanOrEqual(0.01);
    expect(r.objective_rel_gap).toBeLessThanOrEqual(1e-4);
    expect(r.objective_rel_gap).toBeGreaterThanOrEqual(0);
  }
});

test('both optimizers reach the closed form at threshold 1e-3; objectives within 1e-4', () => {
  for (const optimizer of ['gd', 'adam']) {
    const spred = rows.filter((r) => r.method === 'spred' && r.optimizer === optimizer);
    expect(spred).toHaveLength(6);
    for (const r of spred) {
      expect(r.sparse_ratio_error_1).toBeLessThanOrEqual(0.01);
      expect(r.objective_rel_gap).toBeLessThanOrEqual(1e-4);
    }
  }
});

test('naive L1 is reported honestly: no exact zeros at the tight threshold', () => {
  const l1 = rows.filter((r) => r.method === 'l1' && r.optimizer === 'best');
  expect(l1).toHaveLength(6);
  const meanError = l1.reduce((s, r) => s + r.sparse_ratio_error_2, 0) / l1.length;
  expect(meanError).toBeGreaterThan(0.3);
});

test('learning rates were selected by final objective from the paper\'s grid', () => {
  const sweep = csvRows(runDir, 'sweep.csv');
  // 2 methods × 2 optimizers × 4 rates × 6 λ.
  expect(sweep).toHaveLength(96);
  for (const sel of sweep.filter((r) => r.selected === true)) {
    const rivals = sweep.filter(
      (r) => r.method === sel.method && r.optimizer === sel.optimizer && r.lambda === sel.lambda && r.stop !== 'diverged',
    );
    expect(sel.objective).toBe(Math.min(...rivals.map((r) => r.objective)));
  }
});

test('the trajectory has sparse ratio and L1 norm over iterations (App. A.1, Fig. 7)', () => {
  const traj = csvRows(runDir, 'trajectory.csv');
  const spred = traj.filter((r) => r.method === 'spred' && r.optimizer === 'adam' && r.lambda === 1);
  expect(spred.length).toBeGreaterThan(10);
  expect(spred[0].iteration).toBe(0);
  const last = spred[spred.length - 1];
  expect(last.sparse_ratio_1).toBeGreaterThan(spred[0].sparse_ratio_1);
  // The trajectory ends where the run ended: its last L1 norm is the run's own (sparsity.csv), and that is
  // ‖V*‖₁ of the closed-form solution (measured 14.8776523 against 14.8776526).
  const run = rows.find((r) => r.method === 'spred' && r.optimizer === 'adam' && r.lambda === 1)!;
  const closed = rows.find((r) => r.method === 'closed-form' && r.lambda === 1)!;
  expect(last.iteration).toBe(run.iterations);
  expect(last.l1_norm).toBe(run.l1_norm);
  expect(Math.abs(last.l1_norm - closed.l1_norm) / closed.l1_norm).toBeLessThan(1e-5);
});

test('spred check passes the run against reference/lasso-smoke.json', () => {
  const report = checkRun(runDir, path.join(ROOT, 'reference'));
  expect(report.results.every((r) => r.pass)).toBe(true);
});

describe('spred check verdicts on this run (issue 14 item 3)', () => {
  const check = (dir: string): Promise<CliResult> => spred('check', dir);
  const copy = (name: string): string => {
    const dir = path.join(tmp, name);
    fs.cpSync(runDir, dir, { recursive: true });
    return dir;
  };
  const edit = (file: string, f: (x: any) => any) => fs.writeFileSync(file, JSON.stringify(f(readJson(file))));

  test('pass: exit 0 (the run was made with --out and --backend, which do not count)', async () => {
    const r = await check(runDir);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/8 checks: 8 passed, 0 failed/);
  });

  test('regression: exit 1 with FAIL rows', async () => {
    const dir = copy('regressed');
    const csv = path.join(dir, 'sparsity.csv');
    const lines = fs.readFileSync(csv, 'utf8').split('\n');
    const header = lines[0].split(',');
    const col = header.indexOf('objective_rel_gap');
    const doctored = lines.map((l, i) => {
      const cells = l.split(',');
      return i > 0 && cells[0] === 'spred' ? [...cells.slice(0, col), '0.5', ...cells.slice(col + 1)].join(',') : l;
    });
    fs.writeFileSync(csv, doctored.join('\n'));
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL  spred \(best setting\) objective within 1e-4/);
    expect(r.stderr).toMatch(/^spred: error: lasso-smoke: 3 of 8 checks failed: /);
  });

  test.each([
    ['a --set/--seed override', (dir: string) => edit(path.join(dir, 'config.json'), (c) => ({ ...c, seed: 3, iterations: 200 })), /differs from the reference's in seed \(run 3, reference 0\), iterations \(run 200, reference 3000\)$/],
    ['an interrupted run', (dir: string) => edit(path.join(dir, 'manifest.json'), (m) => ({ ...m, status: 'interrupted' })), /the run is interrupted \(manifest\.json status\)/],
    ['a failed run', (dir: string) => edit(path.join(dir, 'manifest.json'), (m) => ({ ...m, status: 'failed' })), /the run is failed/],
    ['a missing CSV', (dir: string) => fs.rmSync(path.join(dir, 'sparsity.csv')), /missing sparsity\.csv \(the reference reads it\)$/],
  ])('not comparable, %s: exit 2, one line, no table', async (what, spoil, message) => {
    const dir = copy(what.replace(/\W+/g, '-'));
    spoil(dir);
    const r = await check(dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`spred: error: ${dir}: not comparable with ${path.join(ROOT, 'reference', 'lasso-smoke.json')}: `);
    expect(r.stderr.trimEnd()).toMatch(message);
  });
});
