import * as tf from '@tensorflow/tfjs';
import { relativeDifference, valuesOnCpu } from '../backends/on_cpu';
import { FastL2, fastL2, scaledSquaredNorm } from './l2_penalty';

/** The penalty and its gradient for x = [[1, −2], [0.5, 3]] under a regulariser. */
function penaltyAndGradient(apply: (x: tf.Tensor) => tf.Scalar): tf.Tensor[] {
  const x = tf.tensor2d([[1, -2], [0.5, 3]]);
  const { value, grad } = tf.valueAndGrad(apply)(x);
  return [value, grad];
}

test('scaledSquaredNorm: rate·‖x‖² with gradient 2·rate·x, as tfjs’ l2 regulariser on the cpu backend', async () => {
  const stock = await valuesOnCpu(() => penaltyAndGradient((x) => tf.regularizers.l2({ l2: 0.3 }).apply(x)));
  const mine = await valuesOnCpu(() => penaltyAndGradient((x) => scaledSquaredNorm(x, 0.3)));
  // By hand: 0.3·(1 + 4 + 0.25 + 9) = 4.275; gradient 0.6·x.
  expect(mine[0][0]).toBeCloseTo(4.275, 5);
  [0.6, -1.2, 0.3, 1.8].forEach((g, i) => expect(mine[1][i]).toBeCloseTo(g, 6));
  expect(relativeDifference(mine[0], stock[0])).toBeLessThan(1e-6);
  expect(relativeDifference(mine[1], stock[1])).toBeLessThan(1e-6);
});

test('FastL2 on wasm: same numbers, no tensors left, serialised as the stock L1L2', async () => {
  const stock = await valuesOnCpu(() => penaltyAndGradient((x) => tf.regularizers.l2({ l2: 0.3 }).apply(x)));
  const before = tf.memory().numTensors;
  const out = tf.tidy(() => penaltyAndGradient((x) => new FastL2(0.3).apply(x)));
  expect(relativeDifference(await out[0].data(), stock[0])).toBeLessThan(1e-6);
  expect(relativeDifference(await out[1].data(), stock[1])).toBeLessThan(1e-6);
  tf.dispose(out);
  expect(tf.memory().numTensors).toBe(before);

  const fast = new FastL2(0.3);
  const reference = tf.regularizers.l2({ l2: 0.3 });
  expect(fast.getClassName()).toBe(reference.getClassName());
  expect(fast.getConfig()).toEqual(reference.getConfig());
  expect(fastL2(0)).toBeUndefined();
  // A layer using it serialises exactly as one using the stock regulariser.
  const config = (r: FastL2 | typeof reference) => tf.layers.dense({ units: 2, kernelRegularizer: r, name: 'd' }).getConfig();
  expect(config(fast)).toEqual(config(reference));
});
