import * as tf from '@tensorflow/tfjs';
import { softThreshold } from '../../spred/soft_threshold';
import { trainGrid } from './train_grid';

/** A 40×8 problem with XᵀX = N·I (scaled identity blocks), so the answer is S_λ(Xᵀy/N). */
function problem(lambdas: number[]) {
  const n = 40;
  const d = 8;
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) x[i * d + (i % d)] = Math.sqrt(d); // each column has n/d entries √d: ‖x_j‖² = n
  const z = [1.5, -1.2, 0.8, -0.45, 0.3, -0.2, 0.05, 2.5];
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.sqrt(d) * z[i % d]; // Xᵀy/N = z
  return {
    z,
    x: tf.tensor2d(x, [n, d]),
    y: tf.tile(tf.tensor2d(y, [n, 1]), [1, lambdas.length]) as tf.Tensor2D,
    lambdas,
  };
}

describe('trainGrid', () => {
  test('spred reaches the soft threshold for every λ column at once, signs included', async () => {
    const lambdas = [0.1, 0.5, 1.0];
    const p = problem(lambdas);
    // Initial V = U⊙W has the wrong sign on coordinates 0 and 1 for every λ.
    const u = tf.tensor2d(Array.from({ length: 8 }, (_, i) => [i < 2 ? -1 : 1, i < 2 ? -1 : 1, i < 2 ? -1 : 1]).flat(), [8, 3]);
    const w = tf.mul(tf.onesLike(u), tf.tensor2d([[0.1, 0.1, 0.1]])) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const r = await trainGrid(p, {
      method: 'spred',
      optimizer: 'gd',
      learningRate: 0.1,
      iterations: 3000,
      thresholds: [1e-3, 1e-6],
      checkEvery: 50,
      patience: 5,
      init: { u, w },
      alphaOverBeta: 1,
    });
    expect(tf.memory().numTensors).toBe(before);
    lambdas.forEach((lambda, g) => {
      const expected = softThreshold(p.z, lambda);
      for (let j = 0; j < 8; j++) expect(r.values[g][j]).toBeCloseTo(expected[j], 4);
    });
    tf.dispose([u, w, p.x, p.y]);
  });

  test('the tensor count stays flat across iterations for both methods and optimizers', async () => {
    const p = problem([0.3, 0.6]);
    for (const method of ['l1', 'spred'] as const) {
      for (const optimizer of ['gd', 'adam'] as const) {
        const init =
          method === 'l1'
            ? { v: tf.fill([8, 2], 0.1) as tf.Tensor2D }
            : { u: tf.fill([8, 2], 1) as tf.Tensor2D, w: tf.fill([8, 2], 0.1) as tf.Tensor2D };
        const counts: number[] = [];
        await trainGrid(p, {
          method,
          optimizer,
          learningRate: 0.01,
          iterations: 200,
          thresholds: [1e-3, 1e-6],
          checkEvery: 20,
          patience: 0,
          init,
          alphaOverBeta: 1,
          onCheck: () => {
            counts.push(tf.memory().numTensors);
          },
        });
        // The first check runs before the optimizer has made its slots (Adam: 4 per variable).
        expect(new Set(counts.slice(1)).size).toBe(1);
        tf.dispose(Object.values(init));
      }
    }
    tf.dispose([p.x, p.y]);
  });

  test('a diverging learning rate is reported, not hidden', async () => {
    const p = problem([0.1]);
    const init = { u: tf.fill([8, 1], 1) as tf.Tensor2D, w: tf.fill([8, 1], 1) as tf.Tensor2D };
    const r = await trainGrid(p, {
      method: 'spred',
      optimizer: 'gd',
      learningRate: 100,
      iterations: 500,
      thresholds: [1e-3, 1e-6],
      checkEvery: 10,
      patience: 0,
      init,
      alphaOverBeta: 1,
    });
    expect(r.stop).toBe('diverged');
    expect(r.iterations).toBeLessThan(500);
    tf.dispose([...Object.values(init), p.x, p.y]);
  });

  test('stops at the next check when asked to (Ctrl-C), keeping the point it reached', async () => {
    const p = problem([0.3]);
    const init = { u: tf.fill([8, 1], 1) as tf.Tensor2D, w: tf.fill([8, 1], 0.1) as tf.Tensor2D };
    let checks = 0;
    const r = await trainGrid(p, {
      method: 'spred',
      optimizer: 'adam',
      learningRate: 0.01,
      iterations: 1000,
      thresholds: [1e-3, 1e-6],
      checkEvery: 10,
      patience: 0,
      init,
      alphaOverBeta: 1,
      onCheck: () => ++checks === 4,
    });
    expect(r.stop).toBe('interrupted');
    expect(r.iterations).toBe(30);
    expect(r.values[0]).toHaveLength(8);
    tf.dispose([...Object.values(init), p.x, p.y]);
  });
});
