import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../numeric/prng';
import { dictionaryLipschitz, initialDictionary, startingDictionary, updateDictionary } from './dictionary';
import { pcaBasis } from './pca';

test('initialDictionary: k distinct training patches at unit norm', () => {
  const rng = createRng(0);
  const X = Float32Array.from({ length: 50 * 9 }, () => rng.normal());
  const D = initialDictionary(X, 50, 9, 20, 7);
  for (let j = 0; j < 20; j++) {
    const atom = D.subarray(j * 9, j * 9 + 9);
    expect(Math.hypot(...atom)).toBeCloseTo(1, 5);
  }
  expect(initialDictionary(X, 50, 9, 20, 7)).toEqual(D);
});

test('startingDictionary: patches as initialDictionary; pca = the principal components then seeded random atoms; random; all unit norm', () => {
  const rng = createRng(3);
  // Anisotropic rows, so the principal components are well separated.
  const X = Float32Array.from({ length: 80 * 6 }, (_, i) => rng.normal() * (1 + (i % 6)));
  expect(startingDictionary('patches', X, 80, 6, 10, 4)).toEqual(initialDictionary(X, 80, 6, 10, 4));
  const pca = startingDictionary('pca', X, 80, 6, 10, 4);
  const { basis } = pcaBasis(X, 80, 6, 10);
  expect(Array.from(pca.subarray(0, 36))).toEqual(Array.from(Float32Array.from(basis)));
  const random = startingDictionary('random', X, 80, 6, 10, 4);
  for (const D of [pca, random]) for (let j = 0; j < 10; j++) expect(Math.hypot(...D.subarray(j * 6, j * 6 + 6))).toBeCloseTo(1, 5);
  // The atoms after the components are seeded draws: the same seed gives the same atoms, another seed others.
  expect(startingDictionary('random', X, 80, 6, 10, 4)).toEqual(random);
  expect(startingDictionary('random', X, 80, 6, 10, 5)).not.toEqual(random);
});

test('dictionaryLipschitz is σ_max(D)²: 1 for orthonormal atoms, k for k copies of one atom', () => {
  const I = Float32Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0));
  expect(dictionaryLipschitz(I, 4, 4)).toBeCloseTo(1, 5);
  const same = Float32Array.from({ length: 12 }, (_, i) => (i % 4 === 0 ? 1 : 0));
  expect(dictionaryLipschitz(same, 3, 4)).toBeCloseTo(3, 5);
});

test('updateDictionary: L-BFGS lowers the reconstruction error, atoms end at unit norm, norms let S·D be kept', async () => {
  const rng = createRng(1);
  const n = 200;
  const k = 6;
  const d = 5;
  const truth = Float32Array.from({ length: k * d }, () => rng.normal());
  const S0 = Float32Array.from({ length: n * k }, () => (rng.uniform() < 0.3 ? rng.normal() : 0));
  const before = tf.memory().numTensors;
  const S = tf.tensor2d(S0, [n, k]);
  const X = tf.tidy(() => tf.matMul(S, tf.tensor2d(truth, [k, d])) as tf.Tensor2D);
  const D = tf.tidy(() => tf.variable(tf.tensor2d(initialDictionary(X.dataSync() as Float32Array, n, d, k, 2), [k, d])));
  const e0 = tf.tidy(() => tf.sum(tf.square(tf.sub(X, tf.matMul(S, D)))).dataSync()[0]);
  const step = await updateDictionary(D, X, S, 20, 10);
  const norms = tf.tidy(() => tf.norm(D, 'euclidean', 1).dataSync());
  norms.forEach((v) => expect(v).toBeCloseTo(1, 5));
  // Scaling code column j by the old norm of atom j restores the L-BFGS reconstruction exactly.
  const restored = tf.tidy(() => tf.sum(tf.square(tf.sub(X, tf.matMul(tf.mul(S, step.norms), D)))).dataSync()[0]);
  expect(restored).toBeLessThan(1e-3 * e0);
  expect(step.lbfgs.iterations).toBeGreaterThan(0);
  tf.dispose([S, X, D, step.norms]);
  expect(tf.memory().numTensors).toBe(before);
});
