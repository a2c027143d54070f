/**
 * Per backend: matMul throughput, one lasso-scaling spred step at d = 10⁴ and 10⁵, and a training step
 * of the node-sparsity network. Not a test; prints a table. Written to run unchanged on a GPU machine:
 *
 *   npm run bench:gpu                                 # every backend that loads here
 *   npm run bench:gpu -- --backends webgpu,wasm       # a chosen list
 *
 * Each backend runs in its own process (one GPU device per process, and a failing backend cannot take
 * the others down); a backend that cannot load prints why. A problem larger than the adapter allows
 * (the software adapter's 128 MB buffers cannot hold the 400 MB design at d = 10⁵) is reported as such.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describeBackend, selectBackend, type BackendName } from '../backend';
import { makeSyntheticProblem } from '../tasks/lasso_scaling/problem';
import { spredSolve, uploadProblem } from '../tasks/lasso_scaling/spred_solver';
import { resolveTaskConfig } from '../tasks/registry';
import { packageRoot } from '../paths';
import type { MlpNodeSparsityConfig } from '../tasks/mlp_node_sparsity/config';
import { disposeMlpData, readMlpImages, uploadMlpData } from '../tasks/mlp_node_sparsity/data';
import { Mlp } from '../tasks/mlp_node_sparsity/model';
import { train } from '../tasks/mlp_node_sparsity/train';
import { median } from '../numeric/statistics';

const DEFAULT_BACKENDS = ['tensorflow', 'webgpu', 'wasm'];

interface BackendFigures {
  backend: string;
  description: string;
  matMulGflops: number;
  lassoStepMs: Record<string, number | string>;
  mlpStepMs: number;
  mlpExamplesPerSecond: number;
}

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function matMulGflops(size = 1024, reps = 5): Promise<number> {
  const a = tf.randomNormal([size, size], 0, 1, 'float32', 1);
  const b = tf.randomNormal([size, size], 0, 1, 'float32', 2);
  const once = async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  };
  await once();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await once();
    times.push((performance.now() - t0) / 1000);
  }
  tf.dispose([a, b]);
  return (2 * size ** 3) / median(times) / 1e9;
}

/** Milliseconds per spred step of the lasso-scaling solver (N = 1000, m = 1, GD), over `steps` steps. */
async function lassoStepMs(d: number, steps = 30): Promise<number | string> {
  const p = makeSyntheticProblem({ source: 'synthetic', samples: 1000, features: [d], outputs: [1], nonzeros: 10, noise: 0.1, design: 'gaussian' }, d, 1, 0);
  const tensors = uploadProblem(p.X.columns, p.X.n, d, p.Y.data, 1);
  try {
    const options = {
      lambda: 0.1 * p.lambdaMax,
      optimizer: 'gd' as const,
      learningRate: 0.1,
      adamEpsilon: 1e-7,
      maxSteps: steps,
      checkEvery: steps,
      patience: 0,
      objectiveTol: 0,
      thresholds: [1e-3, 1e-6] as const,
      init: 'independent' as const,
      initScale: 0.01,
      seed: 0,
    };
    await spredSolve(tensors, { ...options, maxSteps: 3, checkEvery: 3 }); // warm-up: shader/kernel compilation
    const r = await spredSolve(tensors, options);
    return (1000 * r.seconds) / r.steps;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).split('\n')[0];
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** One epoch of the node-sparsity task's own training loop (spred variant) on the smoke config's data. */
async function mlpStep(): Promise<{ ms: number; examplesPerSecond: number }> {
  const config = resolveTaskConfig(path.join(packageRoot(), 'configs', 'mlp-node-sparsity-smoke.yaml')) as unknown as MlpNodeSparsityConfig;
  const data = uploadMlpData(readMlpImages(config.data));
  const shape = { inputs: data.inputs, hidden: config.model.hidden, classes: data.classes };
  const mlp = new Mlp({ ...shape, activation: config.model.activations[0], variant: 'spred', kappa: config.kappas[0], seed: config.seed });
  try {
    await train(mlp, data, { ...config.training, epochs: 1, seed: config.seed }); // warm-up
    const r = await train(mlp, data, { ...config.training, epochs: 1, seed: config.seed });
    const stepsPerEpoch = Math.ceil(data.trainCount / config.training.batchSize);
    return { ms: (1000 * data.trainCount) / r.examplesPerSecond / stepsPerEpoch, examplesPerSecond: r.examplesPerSecond };
  } finally {
    mlp.dispose();
    disposeMlpData(data);
  }
}

async function measure(backend: BackendName): Promise<BackendFigures> {
  const choice = await selectBackend(backend);
  const matMul = await matMulGflops();
  const lasso: Record<string, number | string> = {};
  for (const d of [10_000, 100_000]) lasso[`d=${d}`] = await lassoStepMs(d);
  const mlp = await mlpStep();
  return { backend: choice.name, description: describeBackend(choice), matMulGflops: matMul, lassoStepMs: lasso, mlpStepMs: mlp.ms, mlpExamplesPerSecond: mlp.examplesPerSecond };
}

const cell = (x: number | string, digits = 1) => (typeof x === 'number' ? x.toFixed(digits) : 'too large for this adapter');

function main(): void {
  const backends = flag('backends', DEFAULT_BACKENDS.join(',')).split(',');
  const rows: BackendFigures[] = [];
  for (const b of backends) {
    const child = spawnSync(process.execPath, ['--max-old-space-size=4096', __filename, '--only', b], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const last = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || !last.startsWith('{')) {
      console.log(`${b}: not measured (${(child.stderr.trim().split('\n').pop() ?? `exit ${child.status}`).replace(/^spred: error: /, '')})`);
      continue;
    }
    const r = JSON.parse(last) as BackendFigures;
    console.log(r.description);
    for (const [d, v] of Object.entries(r.lassoStepMs)) if (typeof v === 'string') console.log(`  lasso ${d}: ${v}`);
    rows.push(r);
  }
  console.log('\nbackend    matMul 1024² GFLOP/s   lasso step d=10⁴ ms   lasso step d=10⁵ ms   mlp step ms   mlp examples/s');
  for (const r of rows) {
    console.log(
      [
        r.backend.padEnd(10),
        cell(r.matMulGflops).padStart(21),
        cell(r.lassoStepMs['d=10000'], 2).padStart(21),
        cell(r.lassoStepMs['d=100000'], 2).padStart(21),
        cell(r.mlpStepMs, 2).padStart(13),
        cell(r.mlpExamplesPerSecond, 0).padStart(16),
      ].join(' '),
    );
  }
  console.log('lasso: N = 1000, m = 1, gradient descent (src/tasks/lasso_scaling/spred_solver.ts), 30 steps after a warm-up;');
  console.log('mlp: one epoch of the node-sparsity task (configs/mlp-node-sparsity-smoke.yaml, spred variant) after a warm-up.');
}

if (process.argv.includes('--only')) {
  measure(flag('only', 'wasm') as BackendName).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
} else {
  main();
}
