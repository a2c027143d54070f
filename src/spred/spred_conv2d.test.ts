import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { registerWasmConvGradients } from '../backends/wasm_conv2d_backprop_filter';
import { registerFileSystemRouter } from '../io/file_io';
import { SpredConv2D, spredConv2d } from './spred_conv2d';

let tmp: string;
beforeAll(async () => {
  registerWasmConvGradients();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'spred-conv-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('SpredConv2D', () => {
  it.each([
    [1, 'same'],
    [2, 'same'],
    [1, 'valid'],
    [2, 'valid'],
  ] as const)('stride %d, %s: output and gradients equal a plain conv of K = U ⊙ W (chain rule by hand)', (stride, padding) => {
    const layer = spredConv2d({ filters: 4, kernelSize: 3, strides: stride, padding, kappa: 0.01, seed: 3, inputShape: [7, 7, 2] });
    const model = tf.sequential({ layers: [layer] });
    const x = tf.randomNormal([2, 7, 7, 2], 0, 1, 'float32', 5) as tf.Tensor4D;
    const target = tf.randomNormal(model.outputs[0].shape.map((d) => d ?? 2), 0, 1, 'float32', 6);
    const [w, u, b] = layer.getWeights();
    const loss = (y: tf.Tensor) => tf.sum(tf.mul(y, target)) as tf.Scalar;
    // Through the layer: gradients of the data loss with respect to W, U and b.
    const viaLayer = tf.variableGrads(() => loss(layer.apply(x) as tf.Tensor), layer.trainableWeights.map((v) => v.read() as tf.Variable));
    // Plain conv of the product: dL/dK, then dL/dW = dL/dK ⊙ U and dL/dU = dL/dK ⊙ W.
    const [gk, gb] = tf.grads((k: tf.Tensor, bias: tf.Tensor) => loss(tf.add(tf.conv2d(x, k as tf.Tensor4D, stride, padding), bias)))([tf.mul(u, w), b]);
    const names = layer.trainableWeights.map((v) => (v.read() as tf.Variable).name);
    expect(maxAbsDiff(layer.apply(x) as tf.Tensor, tf.add(tf.conv2d(x, tf.mul(u, w) as tf.Tensor4D, stride, padding), b))).toBeLessThan(1e-5);
    expect(maxAbsDiff(viaLayer.grads[names[0]], tf.mul(gk, u))).toBeLessThan(1e-4);
    expect(maxAbsDiff(viaLayer.grads[names[1]], tf.mul(gk, w))).toBeLessThan(1e-4);
    expect(maxAbsDiff(viaLayer.grads[names[2]], gb)).toBeLessThan(1e-4);
    tf.dispose([x, target, gk, gb, ...Object.values(viaLayer.grads), viaLayer.value]);
    model.dispose();
  });

  it('the penalty α‖U‖² + β‖W‖² is the model loss; U and W are drawn independently, V with the He σ', () => {
    const layer = spredConv2d({ filters: 32, kernelSize: 3, kappa: 0.02, alpha: 0.04, useBias: false, seed: 1, inputShape: [8, 8, 16] });
    const model = tf.sequential({ layers: [layer] });
    const [w, u] = layer.getWeights().map((t) => Float64Array.from(t.dataSync()));
    const sq = (a: Float64Array) => a.reduce((s, v) => s + v * v, 0);
    // β = κ²/α = 0.01.
    const expected = 0.04 * sq(u) + 0.01 * sq(w);
    const p = layer.penalty();
    expect(p.dataSync()[0]).toBeCloseTo(expected, 2);
    const losses = tf.tidy(() => tf.addN(layer.calculateLosses()).dataSync()[0]);
    expect(Math.abs(losses - expected) / expected).toBeLessThan(1e-5);
    const std = (a: Float64Array) => Math.sqrt(sq(a) / a.length);
    // Scaled to the balance of α ≠ β (conventions.ts, balanceScales): U·(β/α)^¼, W·(α/β)^¼.
    expect(std(u) / Math.SQRT1_2).toBeCloseTo(1, 1);
    expect(std(w) / (Math.SQRT2 * Math.sqrt(2 / (9 * 16)))).toBeCloseTo(1, 1);
    expect(layer.weights.map((v) => v.shape)).toEqual([[3, 3, 16, 32], [3, 3, 16, 32]]);
    p.dispose();
    model.dispose();
  });

  it('saves through file:// and loads back with the same config, predictions and penalty', async () => {
    registerFileSystemRouter();
    const model = tf.sequential({
      layers: [
        spredConv2d({ filters: 3, kernelSize: [3, 1], strides: 2, padding: 'same', kappa: 1e-3, seed: 2, inputShape: [6, 6, 2], name: 'c1' }),
        spredConv2d({ filters: 2, kernelSize: 1, kappa: 2e-3, init: 'sqrt', useBias: false, seed: 4, name: 'c2' }),
      ],
    });
    const dir = path.join(tmp, 'model');
    await model.save(`file://${dir}`);
    const loaded = await tf.loadLayersModel(`file://${dir}/model.json`);
    expect(loaded.layers.every((l) => l instanceof SpredConv2D)).toBe(true);
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 9);
    expect(maxAbsDiff(model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor)).toBe(0);
    const [a, b] = tf.tidy(() => [model, loaded].map((m) => tf.addN(m.calculateLosses()).dataSync()[0]));
    expect(b).toBe(a);
    x.dispose();
    model.dispose();
    loaded.dispose();
  });

  it('flushes kernel entries below 1e-20 and exports with a threshold', () => {
    const layer = spredConv2d({ filters: 2, kernelSize: 1, kappa: 0, useBias: false, inputShape: [1, 1, 2] });
    const model = tf.sequential({ layers: [layer] });
    layer.setWeights([tf.tensor4d([1e-12, 0.5, -0.2, 3e-3], [1, 1, 2, 2]), tf.tensor4d([1e-12, 1, 1, 1], [1, 1, 2, 2])]);
    expect(Array.from(layer.effectiveKernel().dataSync())).toEqual([0, 0.5, Math.fround(-0.2), Math.fround(3e-3)]);
    expect(Array.from(layer.exportKernel(1e-2).dataSync())).toEqual([0, 0.5, Math.fround(-0.2), 0]);
    model.dispose();
  });

  it('keeps the tensor count flat over 20 training steps', async () => {
    const model = tf.sequential({
      layers: [spredConv2d({ filters: 4, kernelSize: 3, padding: 'same', kappa: 1e-3, seed: 1, inputShape: [8, 8, 1] }), tf.layers.flatten(), tf.layers.dense({ units: 3 })],
    });
    model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy' });
    const x = tf.randomNormal([8, 8, 8, 1], 0, 1, 'float32', 1);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
    await model.trainOnBatch(x, y);
    const before = tf.memory().numTensors;
    for (let s = 0; s < 20; s++) {
      await model.trainOnBatch(x, y);
      const layer = model.layers[0] as SpredConv2D;
      tf.dispose([layer.effectiveKernel(), layer.exportKernel(1e-3), layer.penalty()]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('checks its arguments', () => {
    expect(() => spredConv2d({ filters: 0, kernelSize: 3, kappa: 1 })).toThrow(/filters must be a positive integer/);
    expect(() => spredConv2d({ filters: 2, kernelSize: 0, kappa: 1 })).toThrow(/kernelSize must be positive integers/);
    expect(() => spredConv2d({ filters: 2, kernelSize: 3, kappa: 1, padding: 'causal' as never })).toThrow(/padding/);
    expect(() => spredConv2d({ filters: 2, kernelSize: 3, kappa: 0.1 }).effectiveKernel()).toThrow(/not built yet/);
  });
});
