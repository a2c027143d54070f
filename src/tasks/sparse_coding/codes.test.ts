import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../numeric/prng';
import { softThreshold } from '../../spred/soft_threshold';
import { FistaCodes, NaiveL1Codes, SpredCodes } from './codes';
import { sparseCodingConfigSchema } from './config';

/**
 * With an orthonormal dictionary (k = d, D·Dᵀ = I) the per-patch lasso ½‖x − s·D‖² + α‖s‖₁ has the
 * closed form s = S_α(x·Dᵀ) (soft threshold): every code solver must find it.
 */
const d = 16;
const n = 40;
const alpha = 0.3;
const training = sparseCodingConfigSchema.parse({ task: 'sparse-coding', training: { codeSteps: 400, codeLearningRate: 0.5, fistaTol: 1e-10, fistaMaxIter: 5000 } }).training;

function orthonormal(seed: number): Float32Array {
  const rng = createRng(seed);
  const q: number[][] = [];
  for (let j = 0; j < d; j++) {
    const v = Array.from({ length: d }, () => rng.normal());
    for (const u of q) {
      const dot = u.reduce((s, x, i) => s + x * v[i], 0);
      for (let i = 0; i < d; i++) v[i] -= dot * u[i];
    }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  return Float32Array.from(q.flat());
}

let D: tf.Variable;
let X: tf.Tensor2D;
let expected: Float64Array;
beforeAll(() => {
  const rng = createRng(3);
  const Dv = orthonormal(2);
  const x = Float32Array.from({ length: n * d }, () => rng.normal());
  D = tf.variable(tf.tensor2d(Dv, [d, d]));
  X = tf.tensor2d(x, [n, d]);
  expected = softThreshold(tf.matMul(X, D, false, true).dataSync(), alpha);
});
afterAll(() => tf.dispose([D, X]));

test('the closed form has exact zeros to find', () => {
  const zeros = expected.filter((v) => v === 0).length / expected.length;
  expect(zeros).toBeGreaterThan(0.1);
  expect(zeros).toBeLessThan(0.9);
});

test('spred (U⊙W by momentum GD) reaches the soft-threshold solution; its threshold gives its zeros exactly', async () => {
  const before = tf.memory().numTensors;
  const s = new SpredCodes({ sizes: [n], atoms: d }, alpha, training, 1);
  await s.visit(0, X, D, 1);
  const got = s.thresholded(0, 1e-3);
  const v = got.dataSync();
  let maxErr = 0;
  v.forEach((x, i) => (maxErr = Math.max(maxErr, Math.abs(x - expected[i]))));
  expect(maxErr).toBeLessThan(2e-3);
  v.forEach((x, i) => expect(x === 0).toBe(expected[i] === 0));
  got.dispose();
  s.dispose();
  expect(tf.memory().numTensors).toBe(before);
});

/** ½‖X − S·D‖² + α‖S‖₁ summed over the patches, for codes S (row-major n×d) and the orthonormal D (so ‖x − s·D‖ = ‖x·Dᵀ − s‖). */
function objective(S: ArrayLike<number>): number {
  const c = tf.tidy(() => tf.matMul(X, D, false, true)).dataSync();
  let f = 0;
  for (let i = 0; i < c.length; i++) f += 0.5 * (c[i] - S[i]) ** 2 + alpha * Math.abs(S[i]);
  return f;
}

test('FISTA (the baseline library solver) reaches it to 1e-5; naive L1 is within 5 % of the optimum (2.8 % measured) but leaves no exact zero', async () => {
  const f = new FistaCodes({ sizes: [n], atoms: d }, alpha, training);
  await f.visit(0, X, D);
  const fv = f.codes(0);
  fv.dataSync().forEach((x, i) => expect(Math.abs(x - expected[i])).toBeLessThan(1e-5));
  fv.dispose();
  const naive = new NaiveL1Codes({ sizes: [n], atoms: d }, alpha, training);
  await naive.visit(0, X, D, 1);
  const nv = naive.codes(0).dataSync();
  const best = objective(expected);
  expect(objective(nv)).toBeGreaterThan(best);
  expect(objective(nv)).toBeLessThan(1.05 * best);
  expect(nv.filter((x) => x === 0).length).toBe(0);
  naive.dispose();
});
