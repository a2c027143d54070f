import * as tf from '@tensorflow/tfjs';
import { createOptimizer, type OptimizerSpec } from './optimizers';

const specs: OptimizerSpec[] = [
  { kind: 'gd', learningRate: 0.1 },
  { kind: 'sgd', learningRate: 0.1 },
  { kind: 'momentum', learningRate: 0.1, momentum: 0.9 },
  { kind: 'adam', learningRate: 0.1 },
  { kind: 'adam', learningRate: 0.1, beta1: 0.5, beta2: 0.9, epsilon: 0.1 },
];

test.each(specs)('$kind: create + steps + setLearningRate + dispose leaves the tensor count where it started', (spec) => {
  const before = tf.memory().numTensors;
  const w = tf.tidy(() => tf.variable(tf.tensor1d([1, -2, 3])));
  const opt = createOptimizer(spec);
  for (let i = 0; i < 5; i++) {
    opt.setLearningRate(0.1 / (i + 1));
    opt.minimize(() => tf.sum(tf.square(w)) as tf.Scalar, false, [w]);
    const grads = tf.tidy(() => ({ [w.name]: tf.mul(w, 2) }));
    opt.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
  opt.dispose();
  w.dispose();
  expect(tf.memory().numTensors).toBe(before);
});

test.each(['sgd', 'momentum', 'adam'] as const)('%s: the rate set before a step is the rate used', (kind) => {
  const w = tf.tidy(() => tf.variable(tf.scalar(1)));
  const opt = createOptimizer({ kind, learningRate: 0.1, momentum: 0.9 });
  opt.setLearningRate(0.25);
  // First step from w = 1 on f = w²: SGD (with or without momentum) moves by lr·g = 0.25·2; Adam by lr·m̂/(√v̂ + ε) ≈ lr.
  opt.minimize(() => tf.square(w) as tf.Scalar, false, [w]);
  expect(w.dataSync()[0]).toBeCloseTo(kind === 'adam' ? 0.75 : 0.5, 5);
  opt.dispose();
  w.dispose();
});

test('gd is plain gradient descent and momentum accumulates velocity', () => {
  const run = (spec: OptimizerSpec) => {
    const w = tf.tidy(() => tf.variable(tf.scalar(1)));
    const opt = createOptimizer(spec);
    // f = 2w: g = 2 at every step.
    for (let i = 0; i < 2; i++) opt.minimize(() => tf.mul(w, 2) as tf.Scalar, false, [w]);
    const out = w.dataSync()[0];
    opt.dispose();
    w.dispose();
    return out;
  };
  expect(run({ kind: 'gd', learningRate: 0.1 })).toBeCloseTo(1 - 0.2 - 0.2, 6);
  // v₁ = 2, v₂ = 0.5·2 + 2 = 3.
  expect(run({ kind: 'momentum', learningRate: 0.1, momentum: 0.5 })).toBeCloseTo(1 - 0.2 - 0.3, 6);
});

test("Adam's β₁, β₂ and ε are the ones given", () => {
  const w = tf.tidy(() => tf.variable(tf.scalar(1)));
  const opt = createOptimizer({ kind: 'adam', learningRate: 0.1, beta1: 0.5, beta2: 0.9, epsilon: 1 });
  // f = w², g = 2: m̂ = 2, v̂ = 4, step = lr·2/(2 + ε) = 0.1·2/3.
  opt.minimize(() => tf.square(w) as tf.Scalar, false, [w]);
  expect(w.dataSync()[0]).toBeCloseTo(1 - 0.2 / 3, 6);
  const cfg = opt.getConfig();
  expect(cfg).toMatchObject({ beta1: 0.5, beta2: 0.9, epsilon: 1 });
  opt.dispose();
  w.dispose();
});

test('momentum without a momentum value is refused', () => {
  expect(() => createOptimizer({ kind: 'momentum', learningRate: 0.1 })).toThrow(/momentum/);
});
