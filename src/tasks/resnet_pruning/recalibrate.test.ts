import * as tf from '@tensorflow/tfjs';
import { registerWasmConvGradients } from '../../backends/wasm_conv2d_backprop_filter';
import { assembleBatch, readPruningImages, type PruningImages } from './data';
import { buildResNet } from './model';
import { recalibrateBatchNorm } from './train';

let images: PruningImages;
beforeAll(() => {
  registerWasmConvGradients();
  // Real Fashion-MNIST (spred data list), 30 training images padded to 32×32.
  images = readPruningImages({ dataset: 'fashion-mnist', trainLimit: 30, testLimit: 10, augment: true });
});

describe('recalibrateBatchNorm', () => {
  it("sets each batch-norm layer's moving mean and variance to the average of its batch statistics over the images; momentum and tensor count restored", async () => {
    const model = buildResNet({ size: 32, channels: 1, classes: 10, width: 2, blocks: [1], spred: true, kappa: 1e-3, seed: 4 });
    const bn = model.getLayer('stem_bn') as unknown as { momentum: number; weights: tf.LayerVariable[] };
    const conv = tf.model({ inputs: model.inputs, outputs: model.getLayer('stem_conv').output as tf.SymbolicTensor });
    // By hand: the stem conv's per-channel batch mean and (biased) variance of batches 0–9, 10–19, 20–24, averaged.
    const batches = [[0, 10], [10, 20], [20, 25]];
    const expected = tf.tidy(() => {
      const stats = batches.map(([a, b]) => {
        const idx = Int32Array.from({ length: b - a }, (_, i) => a + i);
        const y = conv.apply(tf.tensor4d(assembleBatch(images, images.train, idx), [idx.length, 32, 32, 1])) as tf.Tensor;
        const { mean, variance } = tf.moments(y, [0, 1, 2]);
        return [mean, variance];
      });
      return [0, 1].map((k) => tf.div(tf.addN(stats.map((s) => s[k])), stats.length));
    });
    const before = tf.memory().numTensors;
    recalibrateBatchNorm(model, images, 25, 10);
    expect(tf.memory().numTensors).toBe(before);
    expect(bn.momentum).toBe(0.9);
    const moving = (name: string) => bn.weights.find((w) => w.name.includes(name))!.read();
    const [mean, variance] = await Promise.all(expected.map((t) => t.data()));
    const got = [await moving('moving_mean').data(), await moving('moving_variance').data()];
    Array.from(mean).forEach((m, c) => expect(got[0][c]).toBeCloseTo(m, 4));
    Array.from(variance).forEach((v, c) => expect(got[1][c]).toBeCloseTo(v, 4));
    // Not the initial statistics (0 and 1): the images moved them.
    expect(Math.max(...Array.from(got[0]).map(Math.abs))).toBeGreaterThan(1e-3);
    tf.dispose(expected);
    model.dispose();
  });
});
