/**
 * docs/cluster.md's recipes, run here as the schedulers would run them: the Slurm array script with a
 * job array's environment, and the Kubernetes Indexed Job's container command with JOB_COMPLETION_INDEX,
 * each on a small lasso sweep; the merged shards equal the unsharded run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { csvRows, readJson, ROOT, runConfig, spred, tempDir } from './harness';

let tmp: string;
let config: string;
let serial: string;

beforeAll(async () => {
  tmp = tempDir('cluster');
  config = path.join(tmp, 'small.json');
  fs.writeFileSync(
    config,
    JSON.stringify({ task: 'lasso', name: 'small', problem: { samples: 40, features: 10 }, lambdas: [0.5], optimizers: ['gd'], learningRates: [0.1, 0.01], iterations: 200, checkEvery: 20 }),
  );
  serial = (await runConfig(config, path.join(tmp, 'serial'), ['--workers', '1'])).dir;
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function bash(script: string, env: Record<string, string>): void {
  const r = spawnSync('bash', ['-c', script], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`);
}

async function expectMergedEqualsSerial(shardDirs: string[]): Promise<void> {
  expect(shardDirs).toHaveLength(3);
  const r = await spred('merge', ...shardDirs, '--out', path.join(tmp, `merged-${Math.random()}`), '--quiet');
  expect(r.code).toBe(0);
  for (const f of ['sparsity.csv', 'sweep.csv', 'trajectory.csv']) expect(csvRows(r.stdout.trim(), f, ['seconds'])).toEqual(csvRows(serial, f, ['seconds']));
}

test('the Slurm array script: 3 array tasks, a re-queued one resumes, the merge equals the serial run', async () => {
  const runs = path.join(tmp, 'slurm');
  const env = (i: number) => ({
    SLURM_SUBMIT_DIR: ROOT, SLURM_ARRAY_JOB_ID: '42', SLURM_ARRAY_TASK_ID: String(i + 5), SLURM_ARRAY_TASK_MIN: '5',
    SLURM_ARRAY_TASK_COUNT: '3', SLURM_CPUS_PER_TASK: '1', CONFIG: config, RUNS: runs,
  });
  for (let i = 0; i < 3; i++) bash('bash docs/slurm/sweep.sbatch', env(i));
  // Task 6 started again (pre-empted, re-queued): it resumes its own run directory instead of starting over.
  bash('bash docs/slurm/sweep.sbatch', env(1));
  const dirs = [0, 1, 2].map((i) => {
    const found = fs.readdirSync(path.join(runs, '42', `shard-${i + 5}`, 'lasso')).map((d) => path.join(runs, '42', `shard-${i + 5}`, 'lasso', d));
    expect(found).toHaveLength(1);
    return found[0];
  });
  expect(dirs.map((d) => readJson(path.join(d, 'manifest.json')).sweep.shard)).toEqual([0, 1, 2].map((index) => ({ index, count: 3 })));
  expect(readJson(path.join(dirs[1], 'manifest.json')).resumedFrom).toHaveLength(1);
  await expectMergedEqualsSerial(dirs);
}, 300_000);

test('the Kubernetes Indexed Job command with JOB_COMPLETION_INDEX and --shard-count', async () => {
  const job = YAML.parse(fs.readFileSync(path.join(ROOT, 'docs/k8s/sweep-job.yaml'), 'utf8'));
  expect(job.spec.completionMode).toBe('Indexed');
  const container = job.spec.template.spec.containers[0];
  const count = job.spec.completions;
  expect(container.args[0]).toContain(`--shard-count ${count}`);
  // The pod's command with the volume and config moved to this machine, and 3 completions instead of 8.
  const script = container.args[0]
    .replaceAll('/results/', `${tmp}/k8s/`)
    .replace('configs/mlp-node-sparsity.yaml', config)
    .replace(`--shard-count ${count}`, '--shard-count 3')
    .replaceAll('--workers 4', '--workers 1');
  for (let i = 0; i < 3; i++) bash(script, { JOB_COMPLETION_INDEX: String(i) });
  const root = path.join(tmp, 'k8s', 'spred-sweep');
  const dirs = [0, 1, 2].map((i) => {
    const d = path.join(root, `shard-${i}`, 'lasso');
    return path.join(d, fs.readdirSync(d)[0]);
  });
  await expectMergedEqualsSerial(dirs);
}, 300_000);
