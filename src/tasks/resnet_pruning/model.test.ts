import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import { registerWasmConvGradients } from '../../backends/wasm_conv2d_backprop_filter';
import { resolveTaskConfig } from '../registry';
import { spredKappa, type ResnetPruningConfig } from './config';
import { buildResNet, effectiveKernel, kernelWeightCount, penalty, prunableLayers, trainableParameterCount } from './model';

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

describe('training step of the smoke network (width 8, one block per stage, batch 10)', () => {
  /** Kernel calls of one SGD-momentum step on cross-entropy + penalty (op scopes not counted), and the tensor counts after each of 3 steps. */
  async function step(spred: boolean): Promise<{ calls: number; counts: number[] }> {
    const model = buildResNet({ size: 32, channels: 1, classes: 10, width: 8, blocks: [1, 1, 1, 1], spred, kappa: 5e-3, seed: 0 });
    const optimizer = tf.train.momentum(0.01, 0.9);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const x = tf.randomNormal([10, 32, 32, 1], 0, 1, 'float32', 1);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'int32'), 10);
    const run = () =>
      tf.tidy(() => {
        optimizer.minimize(() => tf.add(tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor), penalty(model)) as tf.Scalar, false, vars);
      });
    run();
    const counts: number[] = [];
    const profile = await tf.profile(() => {
      run();
    });
    counts.push(tf.memory().numTensors);
    for (let i = 0; i < 2; i++) {
      run();
      counts.push(tf.memory().numTensors);
    }
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
    return { calls: profile.kernels.filter((k) => tf.getKernel(k.name, tf.getBackend()) != null).length, counts };
  }

  // With tfjs' own batch norm, l2 regularisers and U⊙W through the tape: 3,210 (spred) and 2,491 (plain); now 1,701 and 1,424.
  it.each([
    ['spred', 1800],
    ['plain', 1500],
  ])('%s: at most %d kernel calls, tensor count flat', async (variant, limit) => {
    const { calls, counts } = await step(variant === 'spred');
    expect(calls).toBeLessThanOrEqual(limit);
    expect(new Set(counts).size).toBe(1);
  });
});
