import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import { registerWasmConvGradients } from '../../backends/wasm_conv2d_backprop_filter';
import { resolveTaskConfig } from '../registry';
import { spredKappa, type ResnetPruningConfig } from './config';
import { buildResNet, effectiveKernel, kernelWeightCount, prunableLayers, trainableParameterCount } from './model';

beforeAll(() => registerWasmConvGradients());

describe('CIFAR ResNet18 of the paper-scale config', () => {
  it('parses configs/resnet-pruning.yaml and builds 11,173,962 parameters (plain), plus one U per weight for spred', () => {
    const config = resolveTaskConfig(path.join(__dirname, '../../../configs/resnet-pruning.yaml')) as unknown as ResnetPruningConfig;
    expect(config.model).toEqual({ width: 64, blocks: [2, 2, 2, 2] });
    expect(config.weightDecay).toBe(5e-4);
    expect(spredKappa(config)).toBe(2.5e-4);
    const plain = buildResNet({ size: 32, channels: 3, classes: 10, ...config.model, spred: false, kappa: spredKappa(config), seed: 0 });
    expect(trainableParameterCount(plain)).toBe(11_173_962);
    const layers = prunableLayers(plain);
    // 17 3×3 convs + 3 1×1 shortcut convs + the dense layer.
    expect(layers.length).toBe(21);
    const weights = layers.reduce((a, l) => a + l.trainableWeights[0].shape.reduce((x, y) => (x as number) * (y as number), 1)!, 0);
    expect(weights).toBe(11_164_352);
    expect(kernelWeightCount({ channels: 3, classes: 10, ...config.model })).toBe(11_164_352);
    const spred = buildResNet({ size: 32, channels: 3, classes: 10, ...config.model, spred: true, kappa: spredKappa(config), seed: 0 });
    expect(trainableParameterCount(spred)).toBe(11_173_962 + 11_164_352);
    expect(spred.outputs[0].shape).toEqual([null, 10]);
    plain.dispose();
    spred.dispose();
  });

  it('every conv and dense weight of the spred network is U⊙W with independent factors; the penalty covers every tensor', () => {
    const model = buildResNet({ size: 32, channels: 1, classes: 10, width: 4, blocks: [1, 1], spred: true, kappa: 1e-3, seed: 1 });
    for (const layer of prunableLayers(model)) {
      const [w, u] = layer.trainableWeights.map((v) => v.read());
      const v = effectiveKernel(layer);
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(v, tf.mul(u, w)))).dataSync()[0]);
      expect(diff).toBe(0);
      // Independent draws: U is not ±W.
      const same = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.abs(u), tf.abs(w)))).dataSync()[0]);
      expect(same).toBeGreaterThan(0.1);
      v.dispose();
    }
    // Every trainable tensor carries κ‖θ‖² (the authors' weight decay 2κ on every parameter).
    const expected = tf.tidy(() => tf.addN(model.trainableWeights.map((w) => tf.mul(1e-3, tf.sum(tf.square(w.read()))))).dataSync()[0]);
    const got = tf.tidy(() => tf.addN(model.layers.flatMap((l) => l.calculateLosses())).dataSync()[0]);
    expect(Math.abs(got - expected) / expected).toBeLessThan(1e-5);
    model.dispose();
  });
});
