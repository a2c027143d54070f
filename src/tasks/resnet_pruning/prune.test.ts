import * as tf from '@tensorflow/tfjs';
import { registerWasmConvGradients } from '../../backends/wasm_conv2d_backprop_filter';
import { readPruningImages, type PruningImages } from './data';
import { buildResNet } from './model';
import { authorsCount, globalThreshold, kernelMagnitudes, magnitudeKeep, Masks, nonzeroPruned, randomKeep, thresholdKeep } from './prune';
import { trainPhase } from './train';

let images: PruningImages;
beforeAll(() => {
  registerWasmConvGradients();
  // The real Fashion-MNIST files (spred data list), 128 training and 64 test images padded to 32×32.
  images = readPruningImages({ dataset: 'fashion-mnist', trainLimit: 128, testLimit: 64, augment: true });
});

const ADAM = { optimizer: 'adam', learningRate: 1e-2, schedule: 'constant', momentum: 0.9, epochs: 2, batchSize: 32 } as const;

describe('pruning masks', () => {
  it('global threshold, magnitude and random masks keep what they say', () => {
    const mags = [Float32Array.from([0.5, 1e-4, 0.02, 3]), Float32Array.from([1e-3, 0.2])];
    expect(thresholdKeep(mags, 0.01).map((k) => Array.from(k))).toEqual([[1, 0, 1, 1], [0, 1]]);
    expect(magnitudeKeep(mags, 3).map((k) => Array.from(k))).toEqual([[1, 0, 0, 1], [0, 1]]);
    expect(globalThreshold(mags, 3)).toBe(Math.fround(0.2));
    expect(thresholdKeep(mags, globalThreshold(mags, 3))).toEqual(magnitudeKeep(mags, 3));
    const random = randomKeep(mags, 4, 7);
    expect(random.reduce((a, k) => a + k.reduce((x, y) => x + y, 0), 0)).toBe(4);
    expect(randomKeep(mags, 4, 7)).toEqual(random);
  });

  it.each([true, false])('spred %s: pruned weights stay exactly 0 through Adam fine-tuning; cr and the authors\' count', async (spred) => {
    const model = buildResNet({ size: 32, channels: 1, classes: 10, width: 4, blocks: [1, 1], spred, kappa: 1e-3, seed: 3 });
    const mags = await kernelMagnitudes(model);
    const total = mags.reduce((a, m) => a + m.length, 0);
    const keep = magnitudeKeep(mags, Math.round(total / 10));
    const masks = Masks.fromArrays(model, keep);
    expect(masks.total).toBe(total);
    expect(masks.compressionRatio).toBeCloseTo(10, 1);
    masks.apply();
    expect(await nonzeroPruned(model, keep)).toBe(0);
    const before = tf.memory().numTensors;
    const result = await trainPhase(model, images, ADAM, { seed: 1, augment: true, masks });
    expect(result.epochs).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
    // Adam moves every weight with a nonzero gradient; the masks put the pruned ones back to exactly 0.
    expect(await nonzeroPruned(model, keep)).toBe(0);
    const kept = (await kernelMagnitudes(model)).reduce((a, m, l) => a + m.filter((x, i) => keep[l][i] === 1 && x !== 0).length, 0);
    expect(kept).toBe(masks.remaining);
    // The authors' count: every trainable tensor; pruning zeroes U and W of a spred weight, so both drop out.
    const authors = await authorsCount(model);
    const factors = spred ? 2 : 1;
    const others = authors.total - factors * total;
    expect(authors.nonzero).toBeLessThanOrEqual(factors * masks.remaining + others);
    expect(authors.nonzero).toBeGreaterThan(factors * masks.remaining);
    masks.dispose();
    model.dispose();
  });
});
