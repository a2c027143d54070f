import * as tf from '@tensorflow/tfjs';
import { Mlp } from './model';
import { evaluate, permutation, train, type MlpData } from './train';
import { createRng } from '../../numeric/prng';

const shape = { inputs: 6, hidden: 5, classes: 3 };

function toyData(): MlpData {
  return tf.tidy(() => {
    const x = tf.randomUniform([40, shape.inputs], 0, 1, 'float32', 7) as tf.Tensor2D;
    const labels = tf.cast(tf.floor(tf.mul(tf.slice(x, [0, 0], [40, 1]), 2.999)), 'int32').reshape([40]) as tf.Tensor1D;
    return { xTrain: x, yTrain: tf.oneHot(labels, shape.classes).toFloat() as tf.Tensor2D, xTest: x, labelsTest: labels };
  });
}

/** Fraction of test examples whose largest logit is the label's, from `mlp.logits` (not from `evaluate`). */
function accuracy(mlp: Mlp, data: MlpData): number {
  const correct = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(mlp.logits(data.xTest), 1), data.labelsTest), 'int32')).dataSync()[0]);
  return correct / data.labelsTest.shape[0];
}

function sumSq(t: tf.Tensor): number {
  return tf.tidy(() => tf.sum(tf.square(t)).dataSync()[0]);
}

test('weight decay: the penalty is κ(‖W₁‖² + ‖W₂‖²) (Keras l2 = κ on both kernels)', () => {
  const mlp = new Mlp({ ...shape, activation: 'relu', variant: 'weight-decay', kappa: 0.01, seed: 3 });
  const [w1, , w2] = mlp.model.getWeights();
  const p = mlp.penalty();
  expect(p.dataSync()[0]).toBeCloseTo(0.01 * (sumSq(w1) + sumSq(w2)), 6);
  tf.dispose(p);
  mlp.dispose();
});

test('spred: one scalar per hidden unit scales its outgoing row; penalty κ(‖W₁‖² + ‖u‖² + ‖W‖²)', () => {
  const mlp = new Mlp({ ...shape, activation: 'swish', variant: 'spred', kappa: 0.01, seed: 3 });
  const weights = mlp.model.getWeights(); // hidden kernel, hidden bias, output kernel_w, kernel_u, bias
  const [w1, , w, u] = weights;
  expect(u.shape).toEqual([shape.hidden]);
  const v2 = mlp.outgoingKernel();
  const expected = tf.mul(tf.reshape(u, [-1, 1]), w);
  expect(Array.from(v2.dataSync())).toEqual(Array.from(expected.dataSync()));
  const p = mlp.penalty();
  expect(p.dataSync()[0]).toBeCloseTo(0.01 * (sumSq(w1) + sumSq(u) + sumSq(w)), 6);
  tf.dispose([v2, expected, p]);
  mlp.dispose();
});

test('the hidden layer starts the same for every κ and variant (same seed)', () => {
  const a = new Mlp({ ...shape, activation: 'relu', variant: 'weight-decay', kappa: 0.01, seed: 5 });
  const b = new Mlp({ ...shape, activation: 'relu', variant: 'spred', kappa: 0.1, seed: 5 });
  expect(Array.from(a.incomingKernel().dataSync())).toEqual(Array.from(b.incomingKernel().dataSync()));
  a.dispose();
  b.dispose();
});

test('evaluate flags a unit whose ReLU is 0 on every test example as dead', async () => {
  const data = toyData();
  const mlp = new Mlp({ ...shape, activation: 'relu', variant: 'weight-decay', kappa: 0, seed: 1 });
  const [k, b] = mlp.hiddenLayer.getWeights();
  // Unit 0: all incoming weights −1 and bias −1 on inputs in [0, 1) → pre-activation < 0 always.
  const mask = tf.tensor2d(Array.from({ length: shape.inputs * shape.hidden }, (_, i) => (i % shape.hidden === 0 ? 1 : 0)), [shape.inputs, shape.hidden]);
  const k2 = tf.tidy(() => tf.add(tf.mul(k, tf.sub(1, mask)), tf.mul(mask, -1)));
  const b2 = tf.tidy(() => tf.add(b, tf.tensor1d([-1, 0.5, 0.5, 0.5, 0.5])));
  mlp.hiddenLayer.setWeights([k2, b2]);
  const e = await evaluate(mlp, data);
  expect(e.dead).toEqual([true, false, false, false, false]);
  expect(e.outgoing).toHaveLength(shape.hidden * shape.classes);
  // The accuracy is that of the network's own logits on the test set (40 examples, so a multiple of 1/40).
  expect(e.testAcc).toBe(accuracy(mlp, data));
  tf.dispose([mask, k2, b2, ...Object.values(data)]);
  mlp.dispose();
});

test.each(['weight-decay', 'spred'] as const)('%s: tensor count flat across epochs and back to the start after dispose', async (variant) => {
  const data = toyData();
  const before = tf.memory().numTensors;
  const mlp = new Mlp({ ...shape, activation: 'relu', variant, kappa: 1e-3, seed: 2 });
  const counts: number[] = [];
  const result = await train(mlp, data, {
    optimizer: 'sgd', momentum: 0.9, learningRate: 0.1, schedule: 'cosine', epochs: 5, batchSize: 8, seed: 0,
    onEpoch: (r) => {
      counts.push(r.numTensors);
    },
  });
  expect(result.epochs).toBe(5);
  expect(new Set(counts).size).toBe(1);
  // `final` is the evaluation of the trained network (not of an earlier state). No floor above chance:
  // 25 steps on 40 toy examples leave the spred network at the majority-class rate (0.475 measured).
  expect(result.final.testAcc).toBe(accuracy(mlp, data));
  mlp.dispose();
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose(Object.values(data));
});

test.each(['adam', 'sgd'] as const)('%s: shouldStop returning true after 7 batches stops within epoch 2; the tensor count is back to the start', async (optimizer) => {
  const data = toyData(); // 40 examples, batch 8: 5 batches per epoch
  const before = tf.memory().numTensors;
  const mlp = new Mlp({ ...shape, activation: 'relu', variant: 'spred', kappa: 1e-3, seed: 2 });
  let batches = 0;
  const epochs: number[] = [];
  const result = await train(mlp, data, {
    optimizer, momentum: 0.9, learningRate: 0.05, schedule: 'constant', epochs: 4, batchSize: 8, seed: 0,
    shouldStop: () => ++batches >= 7,
    onEpoch: (r) => void epochs.push(r.epoch),
  });
  expect(result.interrupted).toBe(true);
  expect(result.steps).toBe(7);
  expect(result.epochs).toBe(1);
  expect(epochs).toEqual([1]); // the cut-short epoch 2 is not reported
  mlp.dispose();
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose(Object.values(data));
});

test('a SIGINT handler runs while training (the loop yields after every step)', async () => {
  const data = toyData();
  const mlp = new Mlp({ ...shape, activation: 'relu', variant: 'weight-decay', kappa: 1e-3, seed: 2 });
  let flagged = false;
  setImmediate(() => {
    flagged = true; // what a Ctrl-C handler would do
  });
  const result = await train(mlp, data, {
    optimizer: 'adam', momentum: 0, learningRate: 0.01, schedule: 'constant', epochs: 50, batchSize: 8, seed: 0,
    shouldStop: () => flagged,
  });
  expect(result.interrupted).toBe(true);
  expect(result.steps).toBe(1);
  mlp.dispose();
  tf.dispose(Object.values(data));
});

test('permutation is a seeded shuffle of 0..n−1', () => {
  const p = permutation(10, createRng(1));
  expect([...p].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  expect(Array.from(permutation(10, createRng(1)))).toEqual(Array.from(p));
});
