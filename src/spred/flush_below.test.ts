import * as tf from '@tensorflow/tfjs';
import { flushBelow, NEGLIGIBLE_WEIGHT } from './flush_below';
import { SpredDense } from './spred_dense';

test('flushBelow zeroes entries below the floor, keeps the rest bit for bit, and passes the gradient where kept', () => {
  const x = tf.tensor1d([3e-21, -5e-21, 1e-20, -2e-20, 0.5, -1e-40, 0]);
  // Flushed entries are ±0 (0 · negative is −0): both are exact zeros.
  const plain = (t: tf.Tensor) => Array.from(t.dataSync(), (v) => (v === 0 ? 0 : v));
  expect(plain(flushBelow(x))).toEqual(Array.from(new Float32Array([0, 0, 1e-20, -2e-20, 0.5, 0, 0])));
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(flushBelow(t), 3)))(x);
  expect(Array.from(g.dataSync())).toEqual([0, 0, 3, 3, 3, 0, 0]);
  expect(Array.from(flushBelow(tf.tensor1d([0.2, 0.05]), 0.1).dataSync())).toEqual(Array.from(new Float32Array([0.2, 0])));
  tf.dispose([x, g]);
});

test('SpredDense: kernel entries below 1e-20 are exact zeros, so its backward pass never meets subnormals', () => {
  const layer = new SpredDense({ units: 3, inputShape: [2], kappa: 1e-3, useBias: false, redundancy: 'input' });
  layer.build([null, 2]);
  // Weights are [W (in × out), u (in)]. Row 0: u 1e-12 times W ~1e-9 gives ~1e-21 (< 1e-20): flushed;
  // a u of 1e-10 gives 1e-19..3e-19: kept; row 1 is ordinary.
  const w = tf.tensor2d([[1e-9, 2e-9, 3e-9], [0.5, -0.25, 1]]);
  const u = tf.tensor1d([1e-12, 1]);
  layer.setWeights([w, u]);
  const k = layer.effectiveKernel();
  expect(Array.from(k.dataSync())).toEqual(Array.from(new Float32Array([0, 0, 0, 0.5, -0.25, 1])));
  const u2 = tf.tensor1d([1e-10, 1]);
  layer.setWeights([w, u2]);
  const k2 = layer.effectiveKernel();
  expect(Array.from(k2.dataSync()).slice(0, 3)).toEqual(Array.from(new Float32Array([1e-19, 2e-19, 3e-19])));
  expect(NEGLIGIBLE_WEIGHT).toBe(1e-20);
  tf.dispose([k, k2, u, u2, w]);
});
