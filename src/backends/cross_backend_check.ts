/**
 * The same small computations on any backend, printed as JSON, so two backends can be compared number
 * for number (test/webgpu.test.ts runs it once on wasm and once on webgpu, each in its own process:
 * Dawn is an ES module that jest cannot load, and one process holds one GPU device).
 *
 *   node dist/backends/cross_backend_check.js <backend>
 *
 * 1. one lasso-scaling spred solve (the runner's own solver) on a seeded synthetic problem;
 * 2. eight training steps of a small SpredDense network (model.fit, SGD) on seeded data.
 * Each part also reports `tf.memory().numTensors` so the caller can check it stays flat.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../backend';
import { spredDense } from '../spred/spred_dense';
import { syntheticProblem } from '../data/synthetic_lasso';
import { spredSolve, uploadProblem } from '../tasks/lasso_scaling/spred_solver';
import { createRng } from '../numeric/prng';

export interface CrossBackendResult {
  backend: string;
  lasso: { steps: number; stop: string; coef: number[]; tensorsBefore: number; tensorsAfter: number };
  network: { losses: number[]; kernel: number[]; tensorsPerEpoch: number[] };
}

async function lassoSolve(): Promise<CrossBackendResult['lasso']> {
  const n = 60;
  const d = 200;
  const p = syntheticProblem({ n, d, m: 1, k: 5, noise: 0.1, design: 'gaussian', seed: 3 });
  const columns = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) columns[j * n + i] = p.X.data[i * d + j];
  const tensors = uploadProblem(columns, n, d, p.Y.data, 1);
  const tensorsBefore = tf.memory().numTensors;
  const r = await spredSolve(tensors, {
    lambda: 0.2 * p.lambdaMax,
    optimizer: 'gd',
    learningRate: 0.2,
    adamEpsilon: 1e-7,
    maxSteps: 600,
    checkEvery: 50,
    patience: 0,
    objectiveTol: 0,
    thresholds: [1e-3, 1e-6],
    init: 'independent',
    initScale: 0.1,
    seed: 1,
  });
  const tensorsAfter = tf.memory().numTensors;
  tf.dispose(Object.values(tensors));
  return { steps: r.steps, stop: r.stop, coef: Array.from(r.coef), tensorsBefore, tensorsAfter };
}

async function networkSteps(): Promise<CrossBackendResult['network']> {
  const rng = createRng(7);
  const rows = 64;
  const inputs = 20;
  const xs = tf.tensor2d(Array.from({ length: rows * inputs }, () => rng.uniform() * 2 - 1), [rows, inputs]);
  const labels = Array.from({ length: rows }, (_, i) => i % 3);
  const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
  const model = tf.sequential({
    layers: [
      spredDense({ units: 16, inputDim: inputs, activation: 'relu', kappa: 1e-3, seed: 11 }),
      spredDense({ units: 3, kappa: 1e-3, seed: 12 }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.005), loss: 'categoricalCrossentropy' });
  const losses: number[] = [];
  const tensorsPerEpoch: number[] = [];
  for (let epoch = 0; epoch < 8; epoch++) {
    const h = await model.fit(xs, ys, { epochs: 1, batchSize: rows, shuffle: false, verbose: 0 });
    losses.push(h.history.loss[0] as number);
    tensorsPerEpoch.push(tf.memory().numTensors);
  }
  // Weights in order kernel_w, kernel_u, bias (spred_dense.ts).
  const [w, u] = model.layers[0].getWeights();
  const product = tf.mul(u, w);
  const kernel = Array.from(await product.data());
  product.dispose();
  model.dispose();
  tf.dispose([xs, ys]);
  return { losses, kernel, tensorsPerEpoch };
}

export async function crossBackendRun(backend: BackendName): Promise<CrossBackendResult> {
  const choice = await selectBackend(backend);
  return { backend: choice.name, lasso: await lassoSolve(), network: await networkSteps() };
}

if (require.main === module) {
  crossBackendRun((process.argv[2] ?? 'wasm') as BackendName).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
}
