import * as tf from '@tensorflow/tfjs';
import { registerWasmIdentity } from './wasm_identity';

describe('zero-copy Identity on wasm', () => {
  beforeAll(() => {
    registerWasmIdentity();
  });

  it('is registered once; a clone shares the data, and disposing either leaves the other intact', async () => {
    expect(registerWasmIdentity()).toBe(false);
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const before = tf.engine().backend.numDataIds();
    const y = tf.clone(x);
    // Same buffer under two tensors: no new data id in the backend.
    expect(tf.engine().backend.numDataIds()).toBe(before);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4]);
    const z = tf.clone(y);
    y.dispose();
    expect(Array.from(await z.data())).toEqual([1, 2, 3, 4]);
    z.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(before - 1);
  });

  it('gives the gradients the tape computes with saved copies, and a variable assigned from a clone keeps its value', async () => {
    const a = tf.variable(tf.tensor1d([1, -2, 3]));
    const g = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.square(t), tf.exp(t))))(a));
    // d/dt t²eᵗ = (2t + t²)eᵗ
    const expected = [1, -2, 3].map((t) => (2 * t + t * t) * Math.exp(t));
    (await g.data()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
    const c = tf.clone(a);
    a.assign(tf.tensor1d([7, 8, 9]));
    expect(Array.from(await c.data())).toEqual([1, -2, 3]);
    expect(Array.from(await a.data())).toEqual([7, 8, 9]);
    tf.dispose([a, g, c]);
  });

  it('still copies string tensors (they live outside wasm memory)', async () => {
    const s = tf.tensor1d(['a', 'bc']);
    const t = tf.clone(s);
    s.dispose();
    expect(await t.data()).toEqual(['a', 'bc']);
    t.dispose();
  });
});
