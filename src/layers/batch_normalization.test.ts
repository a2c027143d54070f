import * as tf from '@tensorflow/tfjs';
import { relativeDifference, valuesOnCpu } from '../backends/on_cpu';
import { FastBatchNormalization, batchNormInTraining } from './batch_normalization';

const SHAPE: [number, number, number, number] = [4, 5, 3, 6];

/** Seeded input, γ, β and output weights r; the loss is Σ y ⊙ r so that ∂y = r (not constant). */
function inputs(): { x: tf.Tensor4D; gamma: tf.Tensor1D; beta: tf.Tensor1D; r: tf.Tensor4D } {
  return {
    x: tf.add(tf.randomNormal(SHAPE, 0, 2, 'float32', 1), tf.tensor1d([0, 1, -3, 0.5, 10, -0.2])) as tf.Tensor4D,
    gamma: tf.randomUniform([6], 0.5, 1.5, 'float32', 2) as tf.Tensor1D,
    beta: tf.randomNormal([6], 0, 1, 'float32', 3) as tf.Tensor1D,
    r: tf.randomNormal(SHAPE, 0, 1, 'float32', 4) as tf.Tensor4D,
  };
}

/** y and the gradients of Σ y ⊙ r for x, γ, β through tfjs' own training-mode ops (tf.moments + tf.batchNorm). */
function stock(): tf.Tensor[] {
  const { x, gamma, beta, r } = inputs();
  const f = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const { mean, variance } = tf.moments(xx, [0, 1, 2]);
    return tf.batchNorm(xx, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, 1e-5);
  };
  const grads = tf.grads((xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(xx, g, b), r)))([x, gamma, beta]);
  return [f(x, gamma, beta), ...grads];
}

function fast(): tf.Tensor[] {
  const { x, gamma, beta, r } = inputs();
  const f = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => batchNormInTraining(xx, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5);
  const grads = tf.grads((xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(xx, g, b).y, r)))([x, gamma, beta]);
  const { y, mean, variance } = f(x, gamma, beta);
  const moments = tf.moments(x, [0, 1, 2]);
  return [y, ...grads, mean, variance, moments.mean, moments.variance];
}

describe('batchNormInTraining', () => {
  it('gives the output and the x, γ, β gradients of tfjs’ own ops on the cpu backend (1e-5 relative), and the same batch statistics', async () => {
    const reference = await valuesOnCpu(stock);
    const mine = await valuesOnCpu(fast);
    ['y', 'dx', 'dγ', 'dβ'].forEach((name, i) => {
      expect([name, relativeDifference(mine[i], reference[i])]).toEqual([name, expect.any(Number)]);
      expect(relativeDifference(mine[i], reference[i])).toBeLessThan(1e-5);
    });
    expect(relativeDifference(mine[4], mine[6])).toBeLessThan(1e-6);
    expect(relativeDifference(mine[5], mine[7])).toBeLessThan(1e-6);
  });

  it('on wasm matches the cpu backend’s stock gradients (1e-5 relative) and leaves no tensors behind', async () => {
    const reference = await valuesOnCpu(stock);
    const before = tf.memory().numTensors;
    const out = tf.tidy(fast);
    const values = await Promise.all(out.map((t) => t.data()));
    tf.dispose(out);
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < 4; i++) expect(relativeDifference(values[i], reference[i])).toBeLessThan(1e-5);
  });
});

describe('FastBatchNormalization', () => {
  const args = { momentum: 0.9, epsilon: 1e-5, gammaRegularizer: tf.regularizers.l2({ l2: 1e-3 }) };

  /** Two training steps of a layer (SGD on Σ y ⊙ r + its penalty), then its weights and an inference output. */
  function train(layer: tf.layers.Layer): tf.Tensor[] {
    const { x, gamma, beta, r } = inputs();
    layer.build(x.shape);
    layer.setWeights([gamma, beta, tf.fill([6], 0.5), tf.fill([6], 2)]);
    const optimizer = tf.train.sgd(0.1);
    for (let step = 0; step < 2; step++) {
      optimizer.minimize(() => tf.add(tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, r)), tf.addN(layer.calculateLosses())) as tf.Scalar);
    }
    optimizer.dispose();
    return [...layer.getWeights(), layer.apply(x) as tf.Tensor];
  }

  it('trains like tf.layers.batchNormalization on the cpu backend: weights, moving statistics and inference output within 1e-5', async () => {
    const reference = await valuesOnCpu(() => train(tf.layers.batchNormalization(args)));
    const mine = await valuesOnCpu(() => train(new FastBatchNormalization(args)));
    ['γ', 'β', 'moving mean', 'moving variance', 'inference y'].forEach((name, i) => {
      expect([name, relativeDifference(mine[i], reference[i]) < 1e-5]).toEqual([name, true]);
    });
  });

  it('keeps the tensor count flat across training steps on wasm', () => {
    const layer = new FastBatchNormalization(args);
    const { x, r } = inputs();
    layer.apply(x);
    const optimizer = tf.train.sgd(0.1);
    const counts: number[] = [];
    for (let step = 0; step < 3; step++) {
      tf.tidy(() => {
        optimizer.minimize(() => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, r)) as tf.Scalar);
      });
      counts.push(tf.memory().numTensors);
    }
    expect(counts[2]).toBe(counts[1]);
    tf.dispose([x, r]);
    optimizer.dispose();
    layer.dispose();
  });

  it('serialises as the stock layer: same class name and config, loads back as tf.layers.BatchNormalization', () => {
    const stockLayer = tf.layers.batchNormalization({ ...args, name: 'bn' });
    const fastLayer = new FastBatchNormalization({ ...args, name: 'bn' });
    expect(fastLayer.getClassName()).toBe('BatchNormalization');
    expect(fastLayer.getConfig()).toEqual(stockLayer.getConfig());
    const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [3, 6] }), fastLayer] });
    const json = model.toJSON(undefined, false) as unknown as { config: { layers: { class_name: string }[] } };
    expect(json.config.layers.map((l) => l.class_name)).toContain('BatchNormalization');
    model.dispose();
  });

  it('runs the stock code for a normalised axis other than the last', () => {
    const { x } = inputs();
    const [a, b] = [tf.layers.batchNormalization({ axis: 1 }), new FastBatchNormalization({ axis: 1 })].map((layer) =>
      tf.tidy(() => layer.apply(x, { training: true }) as tf.Tensor),
    );
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
  });
});
