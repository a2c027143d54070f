/**
 * The sweep executor end to end on a small lasso sweep (9 fits): the rows do not depend on how the
 * fits were run — in this thread, on 2 worker threads, or as 3 shards merged — and a worker that dies
 * costs only its own fit, which `--resume` then completes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FAULT_ENV } from '../src/sweep/fault';
import { JOURNAL_FILE } from '../src/sweep/journal';
import { csvRows, readJson, runConfig, spred, tempDir } from './harness';

const TIMINGS = ['seconds'];
const FILES = ['sparsity.csv', 'sweep.csv', 'trajectory.csv'];
let tmp: string;
let config: string;
let serial: string;

function summaryOf(dir: string): string[] {
  // The lines the task wrote at the end of the last session (its summary), without bookkeeping lines.
  const log = fs.readFileSync(path.join(dir, 'log.txt'), 'utf8').split('\n');
  const start = log.map((l) => l.startsWith('sparse ratio per λ')).lastIndexOf(true);
  expect(start).toBeGreaterThanOrEqual(0);
  return log.slice(start);
}

function expectSameRun(a: string, b: string): void {
  for (const f of FILES) expect(csvRows(b, f, TIMINGS)).toEqual(csvRows(a, f, TIMINGS));
  expect(summaryOf(b)).toEqual(summaryOf(a));
}

beforeAll(async () => {
  tmp = tempDir('sweep');
  config = path.join(tmp, 'small.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      task: 'lasso',
      name: 'small',
      problem: { samples: 60, features: 20 },
      lambdas: [0.2, 1],
      optimizers: ['gd', 'adam'],
      learningRates: [0.1, 0.01],
      iterations: 400,
      checkEvery: 20,
      patience: 4,
    }),
  );
  serial = (await runConfig(config, path.join(tmp, 'serial'), ['--workers', '1'])).dir;
}, 300_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('the serial run journals every fit once, in fit order', () => {
  const lines = fs.readFileSync(path.join(serial, JOURNAL_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(lines.map((l) => l.key)).toEqual([
    'closed-form',
    'l1/gd/lr=0.1', 'l1/gd/lr=0.01', 'l1/adam/lr=0.1', 'l1/adam/lr=0.01',
    'spred/gd/lr=0.1', 'spred/gd/lr=0.01', 'spred/adam/lr=0.1', 'spred/adam/lr=0.01',
  ]);
  expect(lines.every((l) => l.ok)).toBe(true);
  expect(readJson(path.join(serial, 'manifest.json')).sweep).toEqual({ fits: 9, shard: null, workers: 1 });
  // The sweep is real: spred reaches the closed form's sparsity at the larger λ.
  const best = csvRows(serial, 'sparsity.csv').filter((r) => r.method === 'spred' && r.optimizer === 'best');
  expect(best).toHaveLength(2);
  for (const r of best) expect(Math.abs(Number(r.sparse_ratio_1) - Number(r.closed_form_sparse_ratio))).toBeLessThanOrEqual(0.05);
});

test('2 worker threads give the same rows and summary as 1', async () => {
  const { dir } = await runConfig(config, path.join(tmp, 'two'), ['--workers', '2']);
  expect(readJson(path.join(dir, 'manifest.json')).sweep.workers).toBe(2);
  expectSameRun(serial, dir);
}, 300_000);

test('3 shards merged give the same rows and summary', async () => {
  const shards: string[] = [];
  for (let i = 0; i < 3; i++) shards.push((await runConfig(config, path.join(tmp, 'shards'), ['--shard', `${i}/3`, '--workers', '1'])).dir);
  expect(readJson(path.join(shards[1], 'manifest.json')).sweep.shard).toEqual({ index: 1, count: 3 });
  // Merge in another order than the shards ran: the merged rows come out in fit order anyway.
  const r = await spred('merge', shards[2], shards[0], shards[1], '--out', path.join(tmp, 'merged'), '--quiet');
  expect(r.code).toBe(0);
  const merged = r.stdout.trim();
  expect(readJson(path.join(merged, 'manifest.json'))).toMatchObject({ status: 'completed', mergedFrom: [shards[2], shards[0], shards[1]] });
  expectSameRun(serial, merged);

  const incomplete = await spred('merge', shards[0], shards[2], '--quiet');
  expect(incomplete.code).toBe(2);
  expect(incomplete.stderr).toMatch(/missing shard 1\/3/);
}, 300_000);

test('shards of different configs refuse to merge, naming the field', async () => {
  const other = path.join(tmp, 'other.json');
  fs.writeFileSync(other, fs.readFileSync(config, 'utf8').replace('"iterations":400', '"iterations":300'));
  const a = (await runConfig(config, path.join(tmp, 'mixed'), ['--shard', '0/2', '--workers', '1'])).dir;
  const b = (await runConfig(other, path.join(tmp, 'mixed'), ['--shard', '1/2', '--workers', '1'])).dir;
  const r = await spred('merge', a, b, '--quiet');
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/config field iterations differs/);
}, 300_000);

test('a worker that dies leaves one error row, the other rows intact; --resume completes the run', async () => {
  process.env[FAULT_ENV] = 'spred/gd/lr=0.1';
  let broken: string;
  try {
    broken = (await runConfig(config, path.join(tmp, 'killed'), ['--workers', '2'], 1)).dir;
  } finally {
    delete process.env[FAULT_ENV];
  }
  expect(readJson(path.join(broken, 'manifest.json')).status).toBe('failed');
  const errors = csvRows(broken, 'errors.csv');
  expect(errors).toEqual([{ fit_index: 5, fit: 'spred/gd/lr=0.1', error: expect.stringMatching(/worker died while running this fit: exited with code 70/) }]);
  // Every other fit's rows are there, as in the serial run (which rate is `selected` may change: one is missing).
  const notKilled = (r: Record<string, unknown>) => !(r.method === 'spred' && r.optimizer === 'gd' && Number(r.learning_rate) === 0.1);
  const fitColumns = [...TIMINGS, 'selected'];
  expect(csvRows(broken, 'sweep.csv', fitColumns)).toEqual(csvRows(serial, 'sweep.csv', fitColumns).filter(notKilled));
  expect(csvRows(broken, 'sweep.csv')).toHaveLength(csvRows(serial, 'sweep.csv').length - 2); // one row per λ

  const resumed = await spred('run', '--resume', broken, '--quiet', '--workers', '2');
  expect(resumed.code).toBe(0);
  expect(resumed.stdout.trim()).toBe(broken);
  const manifest = readJson(path.join(broken, 'manifest.json'));
  expect(manifest.status).toBe('completed');
  expect(manifest.resumedFrom).toHaveLength(1);
  expectSameRun(serial, broken);
}, 300_000);

test('--resume refuses a config file, --set or --seed beside it', async () => {
  const r = await spred('run', config, '--resume', serial, '--seed', '2');
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/a resumed run keeps its own config and shard; drop a config file .*, --seed/);
});

test('--verbose logs each fit as it ends, with its per-step detail; without it neither', async () => {
  const { dir } = await runConfig(config, path.join(tmp, 'verbose'), ['--workers', '2', '--verbose']);
  const log = fs.readFileSync(path.join(dir, 'log.txt'), 'utf8');
  expect(log).toMatch(/^fit spred\/adam\/lr=0\.01 done in \d+\.\d\d s$/m);
  expect(log).toMatch(/^spred\/adam\/lr=0\.01: \d+ steps, stop (converged|budget), \d+\.\d\d s$/m);
  const quiet = fs.readFileSync(path.join(serial, 'log.txt'), 'utf8');
  expect(quiet).not.toMatch(/done in|steps, stop/);
  expect(quiet).toMatch(/^backend: wasm/m);
  expect(quiet).toMatch(/^config: .*small\.json \(task lasso, name small, seed 0\)$/m);
  expect(quiet).toMatch(/^problem: N=60 d=20 noise=0\.1; 2 λ values; 8 runs of ≤400 steps/m);
}, 300_000);
