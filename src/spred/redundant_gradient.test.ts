import * as tf from '@tensorflow/tfjs';
import { GroupRedundantParameter } from './group_parameter';
import { groupRedundantGradients, redundantGradients } from './redundant_gradient';
import { RedundantParameter } from './redundant_parameter';

/** A least-squares data loss L(V) = 1/(2N)‖Y − XV‖²_F on random X [N, d], Y [N, m]. */
function leastSquares(n: number, d: number, m: number) {
  const x = tf.randomNormal([n, d], 0, 1, 'float32', 1);
  const y = tf.randomNormal([n, m], 0, 1, 'float32', 2);
  const loss = (v: tf.Tensor) => tf.div(tf.sum(tf.square(tf.sub(y, tf.matMul(x, v as tf.Tensor2D)))), 2 * n) as tf.Scalar;
  return { x, y, loss };
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

test('elementwise: ∇U = G⊙W + 2αU, ∇W = G⊙U + 2βW agree with tf.grads of the explicit objective to 1e-6', () => {
  const before = tf.memory().numTensors;
  const { x, y, loss } = leastSquares(20, 7, 3);
  const u = tf.randomNormal([7, 3], 0, 1, 'float32', 3);
  const w = tf.randomNormal([7, 3], 0, 1, 'float32', 4);
  const [alpha, beta] = [0.3, 0.05];
  const f = (uu: tf.Tensor, ww: tf.Tensor) =>
    tf.add(loss(tf.mul(uu, ww)), tf.add(tf.mul(alpha, tf.sum(tf.square(uu))), tf.mul(beta, tf.sum(tf.square(ww))))) as tf.Scalar;
  const [gu, gw] = tf.grads(f)([u, w]);
  const gv = tf.tidy(() => tf.grad(loss)(tf.mul(u, w)));
  const mine = redundantGradients(gv, u, w, alpha, beta);
  expect(maxAbsDiff(mine.u, gu)).toBeLessThan(1e-6);
  expect(maxAbsDiff(mine.w, gw)).toBeLessThan(1e-6);
  tf.dispose([x, y, u, w, gu, gw, gv, mine.u, mine.w]);
  expect(tf.memory().numTensors).toBe(before); // the function keeps nothing but its two results
});

test('elementwise with one α, β per column (tensors broadcast like a [1, m] row)', () => {
  const { x, y, loss } = leastSquares(15, 6, 3);
  const u = tf.randomNormal([6, 3], 0, 1, 'float32', 5);
  const w = tf.randomNormal([6, 3], 0, 1, 'float32', 6);
  const alpha = tf.tensor2d([[0.1, 0.2, 0.4]]);
  const beta = tf.tensor2d([[0.9, 0.2, 0.1]]);
  const f = (uu: tf.Tensor, ww: tf.Tensor) =>
    tf.add(loss(tf.mul(uu, ww)), tf.add(tf.sum(tf.mul(alpha, tf.square(uu))), tf.sum(tf.mul(beta, tf.square(ww))))) as tf.Scalar;
  const [gu, gw] = tf.grads(f)([u, w]);
  const gv = tf.grad(loss)(tf.mul(u, w));
  const mine = redundantGradients(gv, u, w, alpha, beta);
  expect(maxAbsDiff(mine.u, gu)).toBeLessThan(1e-6);
  expect(maxAbsDiff(mine.w, gw)).toBeLessThan(1e-6);
  tf.dispose([x, y, u, w, alpha, beta, gu, gw, gv, mine.u, mine.w]);
});

test.each([0, 1, -1])('groups along axis %i: agree with tf.grads of L(u ⊙_axis W) + α‖u‖² + β‖W‖² to 1e-6', (axis) => {
  const { x, y, loss } = leastSquares(12, 5, 4);
  const groups = axis === 0 ? 5 : 4;
  const u = tf.randomNormal([groups], 0, 1, 'float32', 7);
  const w = tf.randomNormal([5, 4], 0, 1, 'float32', 8);
  const [alpha, beta] = [0.2, 0.45];
  const shape = axis === 0 ? [5, 1] : [1, 4];
  const value = (uu: tf.Tensor, ww: tf.Tensor) => tf.mul(tf.reshape(uu, shape), ww);
  const f = (uu: tf.Tensor, ww: tf.Tensor) =>
    tf.add(loss(value(uu, ww)), tf.add(tf.mul(alpha, tf.sum(tf.square(uu))), tf.mul(beta, tf.sum(tf.square(ww))))) as tf.Scalar;
  const [gu, gw] = tf.grads(f)([u, w]);
  const gv = tf.grad(loss)(value(u, w));
  const mine = groupRedundantGradients(gv, u, w, axis, alpha, beta);
  expect(mine.u.shape).toEqual([groups]);
  expect(maxAbsDiff(mine.u, gu)).toBeLessThan(1e-6);
  expect(maxAbsDiff(mine.w, gw)).toBeLessThan(1e-6);
  tf.dispose([x, y, u, w, gu, gw, gv, mine.u, mine.w]);
});

test('RedundantParameter.gradients and GroupRedundantParameter.gradients use their own α, β', () => {
  const p = new RedundantParameter({ shape: [4, 2], kappa: 0.1, alpha: 0.2, seed: 1 });
  const g = new GroupRedundantParameter({ shape: [4, 2], groupAxis: 0, kappa: 0.1, seed: 1 });
  const gv = tf.randomNormal([4, 2], 0, 1, 'float32', 9);
  const a = p.gradients(gv);
  const b = redundantGradients(gv, p.u, p.w, 0.2, 0.05);
  const c = g.gradients(gv);
  const e = groupRedundantGradients(gv, g.u, g.w, 0, 0.1, 0.1);
  expect(maxAbsDiff(a.u, b.u) + maxAbsDiff(a.w, b.w) + maxAbsDiff(c.u, e.u) + maxAbsDiff(c.w, e.w)).toBe(0);
  tf.dispose([gv, a.u, a.w, b.u, b.w, c.u, c.w, e.u, e.w]);
  p.dispose();
  g.dispose();
});
