import * as tf from '@tensorflow/tfjs';
import { dataProduct, maskedProduct, product } from './products';

// The hand-written gradients against tfjs' own (autodiff through tf.matMul), on random data whose
// shapes are those of the nets (n rows < d genes < k columns not required).

async function maxRelDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [d, m] = await Promise.all([tf.max(tf.abs(tf.sub(a, b))).data(), tf.max(tf.abs(b)).data()]);
  return d[0] / m[0];
}

let x: tf.Tensor2D, u: tf.Tensor1D, w: tf.Tensor2D, b: tf.Tensor2D, weights: tf.Tensor;
// After the wasm backend is set (test/setup-backend.ts).
beforeAll(() => {
  x = tf.randomNormal([7, 40], 0, 1, 'float32', 1);
  u = tf.randomNormal([40], 0, 1, 'float32', 2);
  w = tf.randomNormal([40, 5], 0, 1, 'float32', 3);
  b = tf.randomNormal([5, 3], 0, 1, 'float32', 4);
  // A loss that weights every output entry differently, so every entry of dZ matters.
  weights = tf.randomNormal([7, 3], 0, 1, 'float32', 5);
});
const loss = (z: tf.Tensor2D) => tf.sum(tf.mul(tf.tanh(product(z, b)), weights)) as tf.Scalar;
const lossRef = (z: tf.Tensor2D) => tf.sum(tf.mul(tf.tanh(tf.matMul(z, b)), weights)) as tf.Scalar;

afterAll(() => tf.dispose([x, u, w, b, weights]));

test('maskedProduct: value and the gradients of u, W and the next layer equal autodiff through (x⊙u)·W', async () => {
  const ours = tf.grads((uu: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(tf.tanh(product(maskedProduct(x, uu as tf.Tensor1D, ww as tf.Tensor2D), bb as tf.Tensor2D)), weights)))([u, w, b]);
  const ref = tf.grads((uu: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(tf.tanh(tf.matMul(tf.matMul(tf.mul(x, uu), ww as tf.Tensor2D), bb as tf.Tensor2D)), weights)))([u, w, b]);
  for (let i = 0; i < 3; i++) expect(await maxRelDiff(ours[i], ref[i])).toBeLessThan(1e-5);
  expect(await maxRelDiff(maskedProduct(x, u, w), tf.matMul(tf.mul(x, u), w))).toBeLessThan(1e-6);
  tf.dispose([...ours, ...ref]);
});

test('dataProduct: the gradient of W equals autodiff through x·W', async () => {
  const ours = tf.grad((ww: tf.Tensor) => loss(dataProduct(x, ww as tf.Tensor2D)))(w);
  const ref = tf.grad((ww: tf.Tensor) => lossRef(tf.matMul(x, ww as tf.Tensor2D)))(w);
  expect(await maxRelDiff(ours, ref)).toBeLessThan(1e-5);
  tf.dispose([ours, ref]);
});

test('the products leave no tensors behind in a training step', () => {
  const uv = tf.variable(u);
  const wv = tf.variable(w);
  const opt = tf.train.sgd(0.01);
  const step = () => tf.tidy(() => {
    opt.minimize(() => loss(maskedProduct(x, uv as unknown as tf.Tensor1D, wv as unknown as tf.Tensor2D)), false, [uv, wv]);
  });
  step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) step();
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([uv, wv]);
  opt.dispose();
});
