import * as tf from '@tensorflow/tfjs';
import { makeOptimizer, scheduledRate } from './optimizer';

test('cosine schedule: base at step 0, half at the midpoint, 0 at the end; constant stays', () => {
  expect(scheduledRate('cosine', 0.1, 0, 100)).toBeCloseTo(0.1, 12);
  expect(scheduledRate('cosine', 0.1, 50, 100)).toBeCloseTo(0.05, 12);
  expect(scheduledRate('cosine', 0.1, 100, 100)).toBeCloseTo(0, 12);
  expect(scheduledRate('constant', 0.1, 77, 100)).toBe(0.1);
});

test.each(['adam', 'sgd'] as const)('%s: the rate set before a step is the rate used, and dispose frees every tensor', (kind) => {
  const before = tf.memory().numTensors;
  const w = tf.tidy(() => tf.variable(tf.scalar(1)));
  const opt = makeOptimizer(kind, 0.1, kind === 'sgd' ? 0.9 : 0);
  opt.setLearningRate(0.25);
  // First step from w = 1 on f = w²: SGD with momentum moves by lr·g = 0.25·2; Adam by lr·m̂/(√v̂ + ε) ≈ lr.
  opt.minimize(() => tf.square(w) as tf.Scalar, false, [w]);
  expect(w.dataSync()[0]).toBeCloseTo(kind === 'sgd' ? 0.5 : 0.75, 5);
  opt.dispose();
  w.dispose();
  expect(tf.memory().numTensors).toBe(before);
});
