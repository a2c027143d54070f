/**
 * Checkpoints end to end (issue 13): a small resnet-pruning run is stopped with Ctrl-C after its first
 * epoch's checkpoint is on disk, `spred prune --resume <run-dir>` finishes it from there, and the result
 * equals an uninterrupted run of the same config (wasm backend, one worker).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { csvRows, readJson, ROOT, spred, tempDir, type Row } from './harness';

const SMOKE = path.join(ROOT, 'configs/resnet-pruning-smoke.yaml');
// Small enough for a few minutes in total: 100 images, 5 steps per epoch (the smoke config's batch of 20), spred only, no baselines.
const SMALL = [
  'data.trainLimit=100', 'data.testLimit=50', 'model.width=4', 'model.blocks=[1,1]', 'variants=["spred"]',
  'training.epochs=4', 'pruning.random=false', 'pruning.lottery=false', 'finetune.epochs=1',
].flatMap((s) => ['--set', s]);
const ARGS = ['prune', '--config', SMOKE, '--backend', 'wasm', '--workers', '1', ...SMALL];
const STATE = 'checkpoints/spred/phase-1/checkpoint.json';

let tmp: string;
beforeAll(() => {
  tmp = tempDir('resnet-resume');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Starts the run, sends SIGINT once the first checkpoint exists; the run directory and exit code. */
function interruptAfterFirstCheckpoint(out: string): Promise<{ dir: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/spred'), ...ARGS, '--out', out], { env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    let dir: string | undefined;
    const poll = setInterval(() => {
      dir ??= /run directory: (.*)\n/.exec(stderr)?.[1];
      if (dir !== undefined && fs.existsSync(path.join(dir, STATE))) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 50);
    child.stdout.on('data', (b) => (stdout += String(b)));
    child.stderr.on('data', (b) => (stderr += String(b)));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ dir: stdout.trim(), code });
    });
  });
}

const losses = (dir: string) => csvRows(dir, 'epochs.csv').map((r: Row) => ({ phase: r.phase, epoch: r.epoch, loss: r.loss as number }));

test('stopped after epoch 1 and resumed, the run ends as the uninterrupted one does', async () => {
  const whole = await spred(...ARGS, '--out', path.join(tmp, 'whole'), '--quiet');
  expect(whole.code).toBe(0);
  const wholeDir = whole.stdout.trim();

  const stopped = await interruptAfterFirstCheckpoint(path.join(tmp, 'stopped'));
  expect(stopped.code).toBe(130);
  expect(readJson(path.join(stopped.dir, 'manifest.json')).status).toBe('interrupted');
  const state = readJson(path.join(stopped.dir, STATE));
  expect(state.epoch).toBeGreaterThanOrEqual(1);
  expect(state.epoch).toBeLessThan(4);
  expect(fs.existsSync(path.join(stopped.dir, `checkpoints/spred/phase-1/slot-${state.slot}/model.json`))).toBe(true);

  const resumed = await spred('prune', '--resume', stopped.dir);
  expect(resumed.code).toBe(0);
  expect(resumed.stderr).toMatch(new RegExp(`train: continuing from the checkpoint after epoch ${state.epoch} of 4`));
  expect(readJson(path.join(stopped.dir, 'manifest.json')).status).toBe('completed');

  const a = losses(wholeDir);
  const b = losses(stopped.dir);
  expect(b.map((r) => [r.phase, r.epoch])).toEqual(a.map((r) => [r.phase, r.epoch]));
  b.forEach((r, i) => expect(Math.abs(r.loss - a[i].loss)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(a[i].loss))));
  const [p] = csvRows(wholeDir, 'pruning.csv');
  const [q] = csvRows(stopped.dir, 'pruning.csv');
  expect(q.remaining).toBe(p.remaining);
  for (const c of ['unpruned_acc', 'test_acc_before_ft', 'test_acc_after_ft']) expect(Math.abs(q[c] - p[c])).toBeLessThanOrEqual(0.01);
  // The near-zero shares measured after the epochs before the interruption come back from the checkpoint.
  const shares = (dir: string) => csvRows(dir, 'weight_concentration.csv').map((r: Row) => [r.stage, r.epoch, r.layer]);
  expect(shares(stopped.dir)).toEqual(shares(wholeDir));
  expect(shares(wholeDir).filter(([stage]) => stage === 'training')).toHaveLength(4 * 2);
  // Every phase has finished: each keeps only the slot its checkpoint.json names.
  for (const phase of ['phase-1', 'phase-2']) {
    const { slot } = readJson(path.join(stopped.dir, `checkpoints/spred/${phase}/checkpoint.json`));
    expect(fs.readdirSync(path.join(stopped.dir, `checkpoints/spred/${phase}`)).sort()).toEqual(['checkpoint.json', `slot-${slot}`]);
  }
}, 1_200_000);

test('--resume refuses flags that would change the run, and runs of other tasks', async () => {
  const r = await spred('prune', '--resume', path.join(tmp, 'any'), '--kappa', '1e-3');
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/a resumed run keeps its own config; drop --kappa/);
  const other = path.join(tmp, 'lasso-run');
  fs.mkdirSync(other, { recursive: true });
  fs.writeFileSync(path.join(other, 'config.json'), JSON.stringify({ task: 'lasso' }));
  const s = await spred('prune', '--resume', other);
  expect(s.code).toBe(2);
  expect(s.stderr).toMatch(/a run of task lasso, not resnet-pruning/);
});
