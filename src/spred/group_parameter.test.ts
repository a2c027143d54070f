import * as tf from '@tensorflow/tfjs';
import { splitKappa } from './conventions';
import { GroupRedundantParameter } from './group_parameter';
import { groupLassoOrthonormal } from './soft_threshold';

/** Columns 1..d of the Sylvester–Hadamard matrix of order n: entries ±1, XᵀX = n·I exactly. */
function hadamardColumns(n: number, d: number): Float64Array {
  const x = new Float64Array(n * d);
  const popcount = (v: number) => v.toString(2).split('').filter((c) => c === '1').length;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = popcount(i & (j + 1)) % 2 === 0 ? 1 : -1;
  return x;
}

/**
 * Group lasso 1/(2N)‖y − XV‖² + λ Σ_g ‖V_g‖₂ on an orthonormal design (X: 16×8 Hadamard columns), with
 * V = a [4, 2] parameter, groups = rows (axis 0), flattened row-major onto the 8 columns; y = X·z so
 * Xᵀy/N = z. Group norms of z: 2, 0.3, 1, 0.6; with λ = 0.5 the solution V_g = max(0, 1 − λ/‖z_g‖)·z_g
 * keeps groups 0, 2, 3 (shrunk by 3/4, 1/2, 1/6) and zeroes group 1.
 */
const N = 16;
const Z = [1.2, -1.6, 0.18, 0.24, 0.6, -0.8, -0.36, 0.48];
const GROUPS = [
  [0, 1],
  [2, 3],
  [4, 5],
  [6, 7],
];
const LAMBDA = 0.5;
const X = hadamardColumns(N, 8);
const Y = new Float64Array(N);
for (let i = 0; i < N; i++) for (let j = 0; j < 8; j++) Y[i] += X[i * 8 + j] * Z[j];

let xT: tf.Tensor2D;
let yT: tf.Tensor2D;
beforeAll(() => {
  xT = tf.tensor2d(Array.from(X), [N, 8]);
  yT = tf.tensor2d(Array.from(Y), [N, 1]);
});
afterAll(() => tf.dispose([xT, yT]));

const dataLoss = (v: tf.Tensor): tf.Scalar =>
  tf.div(tf.sum(tf.square(tf.sub(yT, tf.matMul(xT, tf.reshape(v, [8, 1]))))), 2 * N) as tf.Scalar;

describe('GroupRedundantParameter (Theorem 3)', () => {
  it('closed form: the group soft threshold of z', () => {
    const v = groupLassoOrthonormal(X, Y, GROUPS, LAMBDA);
    const expected = [0.9, -1.2, 0, 0, 0.3, -0.4, -0.06, 0.08];
    expected.forEach((e, i) => expect(v[i]).toBeCloseTo(e, 12));
  });

  it.each([
    ['α = β = κ', 1, 0.5],
    ['α = β/4', 0.25, 0.3],
  ])('gradient descent reaches the group-lasso optimum, balanced per group: %s', (_label, alphaOverBeta, lr) => {
    const { kappa, alpha, beta } = splitKappa(LAMBDA / 2, alphaOverBeta);
    const p = new GroupRedundantParameter({ shape: [4, 2], groupAxis: 0, kappa, alpha, beta, init: 'sqrt', initStd: 0.5, seed: 3 });
    const opt = tf.train.sgd(lr);
    for (let s = 0; s < 600; s++) opt.minimize(() => p.objective(dataLoss), false, p.variables);
    opt.dispose();

    const u = p.u.dataSync();
    const w = p.w.dataSync();
    const v = tf.tidy(() => p.value().dataSync());
    const vStar = groupLassoOrthonormal(X, Y, GROUPS, LAMBDA);
    for (let i = 0; i < 8; i++) expect(Math.abs(v[i] - vStar[i])).toBeLessThan(1e-4);
    // |u_g|·√α = ‖W_g‖₂·√β in every group (both 0 in the zeroed group).
    for (let g = 0; g < 4; g++) {
      const wNorm = Math.hypot(w[2 * g], w[2 * g + 1]);
      expect(Math.abs(Math.abs(u[g]) * Math.sqrt(alpha) - wNorm * Math.sqrt(beta))).toBeLessThan(1e-4);
    }
    // α‖u‖² + β‖W‖² = 2κ Σ_g ‖V_g‖₂ at the optimum.
    const [pen, groupL1] = tf.tidy(() => [p.penalty().dataSync()[0], p.groupL1Penalty().dataSync()[0]]);
    expect(Math.abs(pen - groupL1) / groupL1).toBeLessThan(1e-5);
    // Export: the zero group becomes exact zeros, the others are untouched.
    const e = p.export(1e-3);
    const ed = e.dataSync();
    expect([ed[2], ed[3]]).toEqual([0, 0]);
    for (const i of [0, 1, 4, 5, 6, 7]) expect(ed[i]).toBe(v[i]);
    e.dispose();
    p.dispose();
  });

  it('value, groupNorms and export along axis 1 (one scalar per column), hand-computed', () => {
    const u0 = tf.tensor1d([2, 0.5, -1]);
    const w0 = tf.tensor2d(
      [
        [1, 3, 0.001],
        [-2, 4, 0.002],
      ],
      [2, 3],
    );
    const p = new GroupRedundantParameter({ shape: [2, 3], groupAxis: -1, kappa: 1, initial: { u: u0, w: w0 } });
    tf.dispose([u0, w0]);
    expect(p.groupAxis).toBe(1);
    const v = p.value();
    expect(Array.from(v.dataSync())).toEqual(Array.from(new Float32Array([2, 1.5, -0.001, -4, 2, -0.002])));
    const norms = p.groupNorms();
    const nd = norms.dataSync();
    expect(nd[0]).toBeCloseTo(Math.sqrt(20), 5); // ‖(2, −4)‖
    expect(nd[1]).toBeCloseTo(2.5, 5); // ‖(1.5, 2)‖
    expect(nd[2]).toBeCloseTo(Math.sqrt(5e-6), 8);
    const g = p.export(0.01);
    expect(Array.from(g.dataSync())).toEqual([2, 1.5, 0, -4, 2, 0]);
    const el = p.export(1.6, 'elementwise');
    expect(Array.from(el.dataSync())).toEqual([2, 0, 0, -4, 2, 0]);
    // penalty: ‖u‖² + ‖W‖² = (4 + 0.25 + 1) + (1 + 9 + 1e-6 + 4 + 16 + 4e-6) = 35.250005
    const pen = p.penalty();
    expect(pen.dataSync()[0]).toBeCloseTo(35.250005, 4);
    tf.dispose([v, norms, g, el, pen]);
    p.dispose();
  });

  it('rebalance keeps V and reaches |u_g|√α = ‖W_g‖√β, with empty groups set to 0', () => {
    const { kappa, alpha, beta } = splitKappa(0.5, 4); // α = 1, β = 0.25
    const u0 = tf.tensor1d([3, -0.5, 0]);
    const w0 = tf.tensor2d([1, 2, 2, 4, 1, 1], [3, 2]);
    const p = new GroupRedundantParameter({ shape: [3, 2], groupAxis: 0, kappa, alpha, beta, initial: { u: u0, w: w0 } });
    tf.dispose([u0, w0]);
    const before = tf.tidy(() => Array.from(p.value().dataSync()));
    p.rebalance();
    const after = tf.tidy(() => Array.from(p.value().dataSync()));
    after.forEach((a, i) => expect(a).toBeCloseTo(before[i], 5));
    const u = p.u.dataSync();
    const w = p.w.dataSync();
    for (let g = 0; g < 3; g++) {
      const wn = Math.hypot(w[2 * g], w[2 * g + 1]);
      expect(Math.abs(u[g]) * Math.sqrt(alpha)).toBeCloseTo(wn * Math.sqrt(beta), 5);
    }
    expect(Math.sign(u[0])).toBe(1);
    expect(Math.sign(u[1])).toBe(-1);
    expect([u[2], w[4], w[5]]).toEqual([0, 0, 0]);
    const [pen, gl1] = tf.tidy(() => [p.penalty().dataSync()[0], p.groupL1Penalty().dataSync()[0]]);
    // 2κ Σ‖V_g‖ = 1·(3√5 + 0.5·√20 + 0) = 3√5 + √5 = 4√5
    expect(gl1).toBeCloseTo(4 * Math.sqrt(5), 5);
    expect(pen).toBeCloseTo(gl1, 5);
    p.dispose();
  });

  it('takes the group axis as groupAxis, as SpredDense does; axis is a deprecated alias', () => {
    const a = new GroupRedundantParameter({ shape: [4, 2], groupAxis: -1, kappa: 0.1, seed: 1 });
    expect([a.groupAxis, a.groups, a.u.shape]).toEqual([1, 2, [2]]);
    const b = new GroupRedundantParameter({ shape: [4, 2], axis: 0, kappa: 0.1, seed: 1 });
    expect([b.groupAxis, b.axis, b.groups]).toEqual([0, 0, 4]);
    expect(() => new GroupRedundantParameter({ shape: [4, 2], kappa: 0.1 })).toThrow(/groupAxis is required/);
    expect(() => new GroupRedundantParameter({ shape: [4, 2], groupAxis: 0, axis: 1, kappa: 0.1 })).toThrow(/disagree/);
    a.dispose();
    b.dispose();
  });

  it('keeps the tensor count flat over 50 optimisation steps', () => {
    const p = new GroupRedundantParameter({ shape: [4, 2], groupAxis: 0, kappa: 0.25, seed: 9, initStd: 0.5 });
    const opt = tf.train.sgd(0.1);
    const before = tf.memory().numTensors;
    for (let s = 0; s < 50; s++) {
      opt.minimize(() => p.objective(dataLoss), false, p.variables);
      tf.dispose([p.export(1e-3), p.export(1e-3, 'elementwise'), p.groupNorms(), p.penalty()]);
    }
    p.rebalance();
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    p.dispose();
  });
});
