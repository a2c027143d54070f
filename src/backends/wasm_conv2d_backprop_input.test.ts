import * as tf from '@tensorflow/tfjs';
import { registerWasmConvInputGradient } from './wasm_conv2d_backprop_input';

type Shape4 = [number, number, number, number];

/** dx of sum(conv2d(x, f) ⊙ r) on the active backend, as values. */
function inputGradient(x: number[], f: number[], r: number[], xs: Shape4, fs: Shape4, s: number, pad: 'same' | 'valid'): Float32Array {
  return tf.tidy(() => {
    const ft = tf.tensor4d(f, fs);
    const conv = (xx: tf.Tensor) => tf.conv2d(xx as tf.Tensor4D, ft, s, pad);
    const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(conv(xx), tf.tensor(r, conv(xx).shape))))(tf.tensor4d(x, xs));
    return g.dataSync() as Float32Array;
  });
}

function values(n: number, seed: number): number[] {
  return Array.from(tf.tidy(() => tf.randomNormal([n], 0, 1, 'float32', seed).dataSync()));
}

describe('Conv2DBackpropInput on wasm via one forward conv', () => {
  const cases: [Shape4, Shape4, number, 'same' | 'valid'][] = [
    [[2, 8, 8, 3], [3, 3, 3, 4], 1, 'same'],
    [[2, 8, 8, 3], [3, 3, 3, 4], 2, 'same'],
    [[2, 9, 9, 3], [3, 3, 3, 4], 2, 'same'],
    [[2, 8, 8, 3], [1, 1, 3, 4], 2, 'same'],
    [[2, 8, 8, 3], [3, 3, 3, 4], 1, 'valid'],
    [[2, 9, 8, 3], [3, 2, 3, 4], 2, 'valid'],
  ];
  it.each(cases)('x %j, filter %j, stride %d, %s: matches the cpu backend to 1e-4', async (xs, fs, s, pad) => {
    const x = values(xs.reduce((a, b) => a * b), 1);
    const f = values(fs.reduce((a, b) => a * b), 2);
    const outShape = tf.tidy(() => tf.conv2d(tf.zeros(xs) as tf.Tensor4D, tf.zeros(fs) as tf.Tensor4D, s, pad).shape);
    const r = values(outShape.reduce((a, b) => a * b), 3);
    await tf.setBackend('cpu');
    const expected = inputGradient(x, f, r, xs, fs, s, pad);
    await tf.setBackend('wasm');
    registerWasmConvInputGradient();
    const got = inputGradient(x, f, r, xs, fs, s, pad);
    let diff = 0;
    for (let i = 0; i < got.length; i++) diff = Math.max(diff, Math.abs(got[i] - expected[i]));
    expect(got.length).toBe(expected.length);
    expect(diff).toBeLessThan(1e-4);
  });

  it('creates no lasting tensors', () => {
    registerWasmConvInputGradient();
    const before = tf.memory().numTensors;
    inputGradient(values(2 * 8 * 8 * 3, 1), values(36 * 3, 2), values(2 * 4 * 4 * 4, 3), [2, 8, 8, 3], [3, 3, 3, 4], 2, 'same');
    expect(tf.memory().numTensors).toBe(before);
  });
});
