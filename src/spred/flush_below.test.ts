import * as tf from '@tensorflow/tfjs';
import { relativeDifference, valuesOnCpu } from '../backends/on_cpu';
import { flushBelow, flushedProduct, NEGLIGIBLE_WEIGHT } from './flush_below';
import { SpredDense } from './spred_dense';

test('flushBelow zeroes entries below the floor, keeps the rest bit for bit, and passes the gradient where kept', () => {
  const x = tf.tensor1d([3e-21, -5e-21, 1e-20, -2e-20, 0.5, -1e-40, 0]);
  // Flushed entries are ±0 (0 · negative is −0): both are exact zeros.
  const plain = (t: tf.Tensor) => Array.from(t.dataSync(), (v) => (v === 0 ? 0 : v));
  expect(plain(flushBelow(x))).toEqual(Array.from(new Float32Array([0, 0, 1e-20, -2e-20, 0.5, 0, 0])));
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(flushBelow(t), 3)))(x);
  expect(Array.from(g.dataSync())).toEqual([0, 0, 3, 3, 3, 0, 0]);
  expect(Array.from(flushBelow(tf.tensor1d([0.2, 0.05]), 0.1).dataSync())).toEqual(Array.from(new Float32Array([0.2, 0])));
  tf.dispose([x, g]);
});

test('SpredDense: kernel entries below 1e-20 are exact zeros, so its backward pass never meets subnormals', () => {
  const layer = new SpredDense({ units: 3, inputShape: [2], kappa: 1e-3, useBias: false, redundancy: 'input' });
  layer.build([null, 2]);
  // Weights are [W (in × out), u (in)]. Row 0: u 1e-12 times W ~1e-9 gives ~1e-21 (< 1e-20): flushed;
  // a u of 1e-10 gives 1e-19..3e-19: kept; row 1 is ordinary.
  const w = tf.tensor2d([[1e-9, 2e-9, 3e-9], [0.5, -0.25, 1]]);
  const u = tf.tensor1d([1e-12, 1]);
  layer.setWeights([w, u]);
  const k = layer.effectiveKernel();
  expect(Array.from(k.dataSync())).toEqual(Array.from(new Float32Array([0, 0, 0, 0.5, -0.25, 1])));
  const u2 = tf.tensor1d([1e-10, 1]);
  layer.setWeights([w, u2]);
  const k2 = layer.effectiveKernel();
  expect(Array.from(k2.dataSync()).slice(0, 3)).toEqual(Array.from(new Float32Array([1e-19, 2e-19, 3e-19])));
  expect(NEGLIGIBLE_WEIGHT).toBe(1e-20);
  tf.dispose([k, k2, u, u2, w]);
});

describe('flushedProduct', () => {
  // Broadcast u as SpredDense's groups use it.
  const cases: [string, number[], number[], number[]][] = [
    ['elementwise', [2, 3], [2, 3], [2, 3]],
    ['u per row', [2, 1], [2, 3], [2, 3]],
    ['u per column', [1, 3], [2, 3], [2, 3]],
  ];
  /** Seeded normal values of `shape` with the first entry replaced by `first`. */
  const values = (shape: number[], seed: number, first: number) => {
    const v = tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', seed).dataSync()) as Float32Array;
    v[0] = first;
    return tf.tensor(v, shape);
  };

  it.each(cases)('%s: value and gradients equal flushBelow(u ⊙ w)’s through the tape on the cpu backend', async (_, us, ws, rs) => {
    // u₀·w₀ = 1e-21 (flushed) or 1e-19 (kept).
    for (const tiny of [1e-19, 1e-17]) {
      const run = (product: (u: tf.Tensor, w: tf.Tensor) => tf.Tensor) => () => {
        const u = values(us, 1, tiny);
        const w = values(ws, 2, 1e-2);
        const r = tf.randomNormal(rs, 0, 1, 'float32', 3);
        const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(product(a, b), r));
        return [product(u, w), ...tf.grads(f)([u, w])];
      };
      const stock = await valuesOnCpu(run((u, w) => flushBelow(tf.mul(u, w))));
      const mine = await valuesOnCpu(run((u, w) => flushedProduct(u, w)));
      // Bit for bit, up to the sign of zero.
      const plain = (a: Float32Array) => Array.from(a, (v) => (v === 0 ? 0 : v));
      stock.forEach((s, i) => expect(plain(mine[i])).toEqual(plain(s)));
    }
  });

  it('on wasm: the same values as on cpu, and no tensors left', async () => {
    const run = () => {
      const u = values([2, 3], 1, 1e-19);
      const w = values([2, 3], 2, 1e-2);
      return [flushedProduct(u, w), ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(flushedProduct(a, b))))([u, w])];
    };
    const cpu = await valuesOnCpu(run);
    const before = tf.memory().numTensors;
    const out = tf.tidy(run);
    for (let i = 0; i < out.length; i++) expect(relativeDifference(await out[i].data(), cpu[i])).toBeLessThan(1e-6);
    tf.dispose(out);
    expect(tf.memory().numTensors).toBe(before);
  });
});
