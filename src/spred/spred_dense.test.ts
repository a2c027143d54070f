import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { registerFileSystemRouter, weightsByteLength } from '../io/file_io';
import { groupSparsity, sparseRatio } from './sparsity';
import { SpredDense, spredDense } from './spred_dense';

/**
 * A linear teacher: x ~ N(0, I₁₀), y = x·K* + 0.05·ε with K* [10, 3] whose rows 6–9 are zero (four
 * irrelevant inputs). N = 256.
 */
const N = 256;
const IN = 10;
const OUT = 3;
const RELEVANT = 6;
function teacher(): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const x = tf.randomNormal([N, IN], 0, 1, 'float32', 1) as tf.Tensor2D;
    const k = tf.concat([tf.randomNormal([RELEVANT, OUT], 0, 1, 'float32', 2), tf.zeros([IN - RELEVANT, OUT])]);
    const y = tf.add(tf.matMul(x, k), tf.randomNormal([N, OUT], 0, 0.05, 'float32', 3)) as tf.Tensor2D;
    return { x, y };
  });
}

let data: { x: tf.Tensor2D; y: tf.Tensor2D };
let tmp: string;
beforeAll(async () => {
  data = teacher();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'spred-dense-'));
});
afterAll(async () => {
  tf.dispose([data.x, data.y]);
  await fs.rm(tmp, { recursive: true, force: true });
});

function model(layer: SpredDense): tf.Sequential {
  const m = tf.sequential();
  m.add(layer);
  return m;
}

describe('SpredDense', () => {
  it.each([
    ['elementwise', [IN, OUT]],
    ['input', [IN]],
    ['output', [OUT]],
  ] as const)('%s redundancy: weights and K computed from them', (redundancy, uShape) => {
    const layer = spredDense({ units: OUT, inputShape: [IN], kappa: 0.1, redundancy, seed: 4, name: `k_${redundancy}` });
    const m = model(layer);
    expect(layer.weights.map((w) => w.name)).toEqual([`k_${redundancy}/kernel_w`, `k_${redundancy}/kernel_u`, `k_${redundancy}/bias`]);
    const [w, u] = layer.getWeights().map((t) => t.arraySync()) as [number[][], number[][] | number[]];
    expect(tf.util.flatten(u as number[]).length).toBe(uShape.reduce((a, b) => a * b, 1));
    const k = layer.effectiveKernel();
    const kd = k.arraySync();
    for (let i = 0; i < IN; i++) {
      for (let j = 0; j < OUT; j++) {
        const factor = redundancy === 'elementwise' ? (u as number[][])[i][j] : redundancy === 'input' ? (u as number[])[i] : (u as number[])[j];
        expect(kd[i][j]).toBeCloseTo(factor * w[i][j], 6);
      }
    }
    // predict = x·K + b (b = 0 at init)
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(m.predict(data.x) as tf.Tensor, tf.matMul(data.x, k)))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-5);
    k.dispose();
    m.dispose();
  });

  it('accepts rank-3 inputs like tf.layers.dense (the kernel acts on the last axis)', () => {
    const layer = spredDense({ units: 2, inputShape: [4, 3], kappa: 0.1, activation: 'tanh', seed: 10 });
    const m = model(layer);
    expect(m.outputs[0].shape).toEqual([null, 4, 2]);
    const diff = tf.tidy(() => {
      const x = tf.randomNormal([5, 4, 3], 0, 1, 'float32', 11);
      const expected = tf.tanh(tf.add(tf.matMul(tf.reshape(x, [20, 3]), layer.effectiveKernel()), layer.exportBias() as tf.Tensor));
      return tf.max(tf.abs(tf.sub(tf.reshape(m.predict(x) as tf.Tensor, [20, 2]), expected))).dataSync()[0];
    });
    expect(diff).toBeLessThan(1e-6);
    m.dispose();
  });

  it('the penalty α‖U‖² + β‖W‖² (+ biasKappa‖b‖²) is part of the loss fit reports; evaluate reports the data loss only', async () => {
    const layer = spredDense({ units: OUT, inputShape: [IN], kappa: 0.02, alpha: 0.04, biasKappa: 0.5, seed: 5 });
    const m = model(layer);
    layer.setWeights([...layer.getWeights().slice(0, 2), tf.tensor1d([1, -2, 0.5])]);
    m.compile({ optimizer: tf.train.sgd(0), loss: 'meanSquaredError' });
    const [w, u, b] = layer.getWeights().map((t) => Float64Array.from(t.dataSync()));
    // By hand, in float64: 0.04‖U‖² + 0.01‖W‖² + 0.5‖b‖² (β = κ²/α = 0.01).
    const sq = (a: Float64Array) => a.reduce((s, v) => s + v * v, 0);
    const penalty = 0.04 * sq(u) + 0.01 * sq(w) + 0.5 * sq(b);
    expect(0.5 * sq(b)).toBeCloseTo(2.625, 12);
    const p = layer.penalty();
    expect(p.dataSync()[0]).toBeCloseTo(penalty, 4);
    p.dispose();
    const mse = tf.tidy(() => tf.losses.meanSquaredError(data.y, m.predict(data.x) as tf.Tensor).dataSync()[0]);
    const h = await m.fit(data.x, data.y, { epochs: 1, batchSize: N, verbose: 0, shuffle: false });
    const fitLoss = h.history.loss[0] as number;
    expect(Math.abs(fitLoss - (mse + penalty)) / fitLoss).toBeLessThan(1e-5);
    const ev = m.evaluate(data.x, data.y, { batchSize: N }) as tf.Scalar;
    expect(Math.abs(ev.dataSync()[0] - mse) / mse).toBeLessThan(1e-5);
    ev.dispose();
    m.dispose();
  });

  it("trains with model.fit; 'input' redundancy with a large κ zeroes exactly the irrelevant input rows", async () => {
    const layer = spredDense({ units: OUT, inputShape: [IN], kappa: 0.1, redundancy: 'input', init: 'sqrt', seed: 6 });
    const m = model(layer);
    m.compile({ optimizer: tf.train.sgd(0.3), loss: 'meanSquaredError' });
    const h = await m.fit(data.x, data.y, { epochs: 200, batchSize: N, verbose: 0, shuffle: false });
    const loss = h.history.loss as number[];
    // The fit loss is MSE + penalty: it falls from ≈ 6.3 to ≈ 1.37 (MSE ≈ 0.19 + 2κΣ‖K_g‖ ≈ 1.18) and settles.
    expect(loss[loss.length - 1]).toBeLessThan(0.25 * loss[0]);
    expect(Math.abs(loss[loss.length - 1] - loss[loss.length - 51]) / loss[loss.length - 1]).toBeLessThan(1e-5);

    // It is the group-lasso optimum (Theorem 3 inside a layer): with G = ∂MSE/∂K at the solution,
    // G_g = −2κ·K_g/‖K_g‖ on nonzero rows and ‖G_g‖ ≤ 2κ on zero rows; ∂MSE/∂b = 0 (no bias penalty).
    const kappa = 0.1;
    const kernel = layer.effectiveKernel();
    const bias = layer.exportBias() as tf.Tensor1D;
    const [gk, gb] = tf.tidy(() => {
      const grads = tf.grads((k: tf.Tensor, b: tf.Tensor) => tf.losses.meanSquaredError(data.y, tf.add(tf.matMul(data.x, k), b)))([kernel, bias]);
      return [grads[0].arraySync() as number[][], grads[1].dataSync()];
    });
    const kd = kernel.arraySync();
    for (let i = 0; i < IN; i++) {
      const norm = Math.hypot(...kd[i]);
      if (i < RELEVANT) for (let j = 0; j < OUT; j++) expect(Math.abs(gk[i][j] + (2 * kappa * kd[i][j]) / norm)).toBeLessThan(1e-4);
      else expect(Math.hypot(...gk[i])).toBeLessThan(2 * kappa);
    }
    gb.forEach((g) => expect(Math.abs(g)).toBeLessThan(1e-4));
    tf.dispose([kernel, bias]);

    const k = layer.exportKernel(1e-3);
    const rows = k.arraySync();
    for (let i = 0; i < IN; i++) {
      const norm = Math.hypot(...rows[i]);
      if (i < RELEVANT) expect(norm).toBeGreaterThan(0.1);
      else expect(rows[i]).toEqual([0, 0, 0]);
    }
    expect(groupSparsity(k, 0, 0)).toBeCloseTo((IN - RELEVANT) / IN, 12);
    expect(sparseRatio(k)).toBeCloseTo(((IN - RELEVANT) * OUT) / (IN * OUT), 12);
    // The irrelevant rows were already far below the threshold before it was applied.
    const raw = layer.effectiveKernel();
    const rawRows = raw.arraySync();
    for (let i = RELEVANT; i < IN; i++) expect(Math.hypot(...rawRows[i])).toBeLessThan(1e-4);
    tf.dispose([k, raw]);
    m.dispose();
  });

  it('saves through the file:// handler and loads back: same predictions, same config, same penalty', async () => {
    registerFileSystemRouter();
    const m = tf.sequential();
    m.add(spredDense({ units: 5, inputShape: [IN], kappa: 0.01, redundancy: 'output', activation: 'relu', seed: 7 }));
    m.add(spredDense({ units: 2, kappa: 0.03, alpha: 0.09, init: 'sqrt', useBias: false, seed: 8 }));
    m.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const yy = tf.tidy(() => tf.slice(data.y, [0, 0], [N, 2]));
    await m.fit(data.x, yy, { epochs: 3, batchSize: 64, verbose: 0 });
    const dir = path.join(tmp, 'model');
    await m.save(`file://${dir}`);

    const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(Object.keys(json).sort()).toEqual(['convertedBy', 'format', 'generatedBy', 'modelTopology', 'weightsManifest']);
    expect(json.format).toBe('layers-model');
    expect(json.convertedBy).toBeNull();
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const layers = json.modelTopology.config.layers;
    expect(layers.map((l: { class_name: string }) => l.class_name)).toEqual(['SpredDense', 'SpredDense']);
    expect(layers[1].config).toMatchObject({ units: 2, kappa: 0.03, alpha: 0.09, beta: 0.01, init: 'sqrt', use_bias: false, redundancy: 'elementwise' });
    const specs = json.weightsManifest[0].weights as tf.io.WeightsManifestEntry[];
    expect(specs.map((s) => s.shape)).toEqual([[IN, 5], [5], [5], [5, 2], [5, 2]]);
    const bytes = (await fs.stat(path.join(dir, 'weights.bin'))).size;
    expect(bytes).toBe(weightsByteLength(specs));
    expect(bytes).toBe((IN * 5 + 5 + 5 + 10 + 10) * 4);

    const loaded = await tf.loadLayersModel(`file://${dir}/model.json`);
    expect(loaded.layers.every((l) => l instanceof SpredDense)).toBe(true);
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(m.predict(data.x) as tf.Tensor, loaded.predict(data.x) as tf.Tensor))).dataSync()[0]);
    expect(diff).toBe(0);
    const second = loaded.layers[1] as SpredDense;
    expect([second.kappa, second.alpha, second.beta, second.redundancy, second.useBias]).toEqual([0.03, 0.09, 0.01, 'elementwise', false]);
    // The regularisers are rebuilt from the config: model.losses carry the same penalties.
    const [orig, back] = tf.tidy(() => [m, loaded].map((mm) => tf.addN(mm.calculateLosses()).dataSync()[0]));
    expect(back).toBe(orig);
    const p = tf.tidy(() => tf.addN(m.layers.map((l) => (l as SpredDense).penalty())).dataSync()[0]);
    expect(p).toBeCloseTo(orig, 5);
    yy.dispose();
    m.dispose();
    loaded.dispose();
  });

  it('keeps the tensor count flat over 50 training steps and exports', async () => {
    const layer = spredDense({ units: OUT, inputShape: [IN], kappa: 0.05, redundancy: 'input', seed: 9 });
    const m = model(layer);
    m.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    await m.trainOnBatch(data.x, data.y);
    const before = tf.memory().numTensors;
    for (let s = 0; s < 50; s++) {
      await m.trainOnBatch(data.x, data.y);
      tf.dispose([layer.exportKernel(1e-3), layer.effectiveKernel(), layer.penalty(), m.predict(data.x) as tf.Tensor]);
    }
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('checks its arguments', () => {
    expect(() => spredDense({ units: 0, kappa: 1 })).toThrow(/units must be a positive integer/);
    expect(() => spredDense({ units: 2, kappa: 1, alpha: 1, beta: 2 })).toThrow(/alpha·beta must equal kappa²/);
    expect(() => spredDense({ units: 2, kappa: 1, redundancy: 'rows' as never })).toThrow(/redundancy must be one of/);
    expect(() => spredDense({ units: 2, kappa: 0.1 }).effectiveKernel()).toThrow(/not built yet/);
  });
});
