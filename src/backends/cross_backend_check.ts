/**
 * The same small computations on any backend, printed as JSON, so two backends can be compared number
 * for number (test/webgpu.test.ts runs it once on wasm and once on webgpu, each in its own process:
 * Dawn is an ES module that jest cannot load, and one process holds one GPU device).
 *
 *   node dist/backends/cross_backend_check.js <backend>
 *
 * 1. one lasso-scaling spred solve (the runner's own solver) on a seeded synthetic problem;
 * 2. eight training steps of a small SpredDense network (model.fit, SGD) on seeded data;
 * 3. two rounds of the sparse-coding runner's alternation on seeded patches: spred's code steps
 *    (U⊙W, momentum GD) with D fixed, then L-BFGS with the strong Wolfe line search on D (whose
 *    numbers are read back asynchronously, as WebGPU in Node requires) and unit-norm atoms.
 * Each part also reports `tf.memory().numTensors` so the caller can check it stays flat.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../backend';
import { spredDense } from '../spred/spred_dense';
import { syntheticProblem } from '../data/synthetic_lasso';
import { spredSolve, uploadProblem } from '../tasks/lasso_scaling/spred_solver';
import { createRng } from '../numeric/prng';
import { sparseCodingConfigSchema } from '../tasks/sparse_coding/config';
import { SpredCodes } from '../tasks/sparse_coding/codes';
import { dictionaryLipschitz, initialDictionary, updateDictionary } from '../tasks/sparse_coding/dictionary';
import { codeStats, disposeBatches, uploadBatches } from '../tasks/sparse_coding/evaluate';

export interface CrossBackendResult {
  backend: string;
  lasso: { steps: number; stop: string; coef: number[]; tensorsBefore: number; tensorsAfter: number };
  network: { losses: number[]; kernel: number[]; tensorsPerEpoch: number[] };
  sparseCoding: {
    /** Objective F(D, S) after each round (config.ts), and the L-BFGS iterations of each round. */
    objectives: number[];
    lbfgsIterations: number[];
    dictionary: number[];
    codes: number[];
    tensorsPerRound: number[];
  };
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

async function sparseCodingRounds(): Promise<CrossBackendResult['sparseCoding']> {
  const rng = createRng(5);
  const count = 300;
  const dim = 16;
  const atoms = 24;
  const alpha = 0.2;
  // Patches with a sparse structure to find: 3 of 24 hidden unit-norm atoms per patch, plus noise.
  const hidden = Float32Array.from({ length: atoms * dim }, () => rng.normal() / Math.sqrt(dim));
  const X = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    for (let a = 0; a < 3; a++) {
      const j = rng.int(atoms);
      const c = rng.normal();
      for (let q = 0; q < dim; q++) X[i * dim + q] += c * hidden[j * dim + q];
    }
    for (let q = 0; q < dim; q++) X[i * dim + q] += 0.05 * rng.normal();
  }
  const training = sparseCodingConfigSchema.shape.training.parse({ codeSteps: 30, codeLearningRate: 1 });
  const batches = uploadBatches(X, count, dim, count);
  const D = tf.tidy(() => tf.variable(tf.tensor2d(initialDictionary(X, count, dim, atoms, 2), [atoms, dim])));
  const codes = new SpredCodes({ sizes: [count], atoms }, alpha, training, 9);
  const objectives: number[] = [];
  const lbfgsIterations: number[] = [];
  const tensorsPerRound: number[] = [];
  for (let round = 0; round < 2; round++) {
    const L = dictionaryLipschitz((await D.data()) as Float32Array, atoms, dim);
    await codes.visit(0, batches.batches[0], D, L);
    const S = codes.codes(0);
    const step = await updateDictionary(D, batches.batches[0], S, 5, 10);
    tf.dispose([S, step.norms]);
    lbfgsIterations.push(step.lbfgs.iterations);
    objectives.push((await codeStats(batches, () => codes.codes(0), D as tf.Tensor2D, alpha, 1e-3, 1e-6)).objective);
    tensorsPerRound.push(tf.memory().numTensors);
  }
  const S = codes.codes(0);
  const [dictionary, codeValues] = await Promise.all([D.data(), S.data()]);
  S.dispose();
  codes.dispose();
  D.dispose();
  disposeBatches(batches);
  return { objectives, lbfgsIterations, dictionary: Array.from(dictionary), codes: Array.from(codeValues), tensorsPerRound };
}

export async function crossBackendRun(backend: BackendName): Promise<CrossBackendResult> {
  const choice = await selectBackend(backend);
  return { backend: choice.name, lasso: await lassoSolve(), network: await networkSteps(), sparseCoding: await sparseCodingRounds() };
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
