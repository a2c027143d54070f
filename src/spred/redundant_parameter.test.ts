import * as tf from '@tensorflow/tfjs';
import { splitKappa } from './conventions';
import { RedundantParameter } from './redundant_parameter';
import { lassoKktResidual, lassoObjective, lassoOrthogonal } from './soft_threshold';

/** Columns 1..d of the Sylvester–Hadamard matrix of order n: entries ±1, XᵀX = n·I exactly. */
function hadamardColumns(n: number, d: number): Float64Array {
  const x = new Float64Array(n * d);
  const popcount = (v: number) => v.toString(2).split('').filter((c) => c === '1').length;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = popcount(i & (j + 1)) % 2 === 0 ? 1 : -1;
  return x;
}

/**
 * An orthogonal-design lasso whose answer is known: X = 16×8 Hadamard columns (XᵀX = 16·I) and
 * y = X·z, so Xᵀy/N = z and the lasso 1/(2N)‖y − XV‖² + λ‖V‖₁ has V* = S_λ(z).
 * With λ = 0.5: V* = [1.5, −1, 0.3, 0, 0, 0.7, 0, 0.1] (margins ≥ 0.1 from the kinks).
 */
const N = 16;
const D = 8;
const Z = [2, -1.5, 0.8, -0.3, 0.1, 1.2, -0.05, 0.6];
const LAMBDA = 0.5;
const X = hadamardColumns(N, D);
const Y = new Float64Array(N);
for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) Y[i] += X[i * D + j] * Z[j];

// Created in beforeAll: the wasm backend is ready only after setup-backend's beforeAll.
let xT: tf.Tensor2D;
let yT: tf.Tensor2D;
beforeAll(() => {
  xT = tf.tensor2d(Array.from(X), [N, D]);
  yT = tf.tensor2d(Array.from(Y), [N, 1]);
});
afterAll(() => {
  xT.dispose();
  yT.dispose();
});

/** L(V) = 1/(2N)‖y − XV‖² on a [D] vector. */
const dataLoss = (v: tf.Tensor): tf.Scalar =>
  tf.div(tf.sum(tf.square(tf.sub(yT, tf.matMul(xT, tf.reshape(v, [D, 1]))))), 2 * N) as tf.Scalar;

function train(p: RedundantParameter, steps: number, lr: number): void {
  const opt = tf.train.sgd(lr);
  for (let s = 0; s < steps; s++) opt.minimize(() => p.objective(dataLoss), false, p.variables);
  opt.dispose();
}

const f64 = (t: tf.Tensor) => Float64Array.from(t.dataSync());

describe('RedundantParameter (Theorem 1)', () => {
  it('the known answer holds: V* = S_λ(z) satisfies the lasso KKT conditions', () => {
    const vStar = lassoOrthogonal(X, Y, LAMBDA);
    expect(Array.from(vStar).map((v) => +v.toFixed(12))).toEqual([1.5, -1, 0.3, 0, 0, 0.7, 0, 0.1]);
    expect(lassoKktResidual(X, Y, vStar, LAMBDA)).toBeLessThan(1e-12);
  });

  it.each([
    ['α = β = κ', 1, 0.5],
    ['α = 4β (αβ = κ²)', 4, 0.3],
  ])('gradient descent reaches the lasso optimum with a balanced pair: %s', (_label, alphaOverBeta, lr) => {
    const { kappa, alpha, beta } = splitKappa(LAMBDA / 2, alphaOverBeta);
    const p = new RedundantParameter({ shape: [D], kappa, alpha, beta, init: 'independent', initStd: 0.5, seed: 7 });
    train(p, 600, lr); // both reach the float32 floor (~1e-7) by step 400
    const u = f64(p.u);
    const w = f64(p.w);
    const v = u.map((ui, i) => ui * w[i]);
    const vStar = lassoOrthogonal(X, Y, LAMBDA);

    // (a) balance: √α|U_i| = √β|W_i| (for α = β: |U_i| = |W_i|).
    for (let i = 0; i < D; i++) expect(Math.abs(Math.sqrt(alpha) * Math.abs(u[i]) - Math.sqrt(beta) * Math.abs(w[i]))).toBeLessThan(1e-4);
    // (b) U ⊙ W is the L1 optimum.
    for (let i = 0; i < D; i++) expect(Math.abs(v[i] - vStar[i])).toBeLessThan(1e-4);
    // The spred objective equals L(U⊙W) + 2κ‖U⊙W‖₁ (float64 from the float32 values).
    let pen = 0;
    for (let i = 0; i < D; i++) pen += alpha * u[i] * u[i] + beta * w[i] * w[i];
    const spredObjective = lassoObjective(X, Y, v, 0) + pen;
    const l1Objective = lassoObjective(X, Y, v, 2 * kappa);
    expect(Math.abs(spredObjective - l1Objective) / l1Objective).toBeLessThan(1e-5);
    expect(Math.abs(l1Objective - lassoObjective(X, Y, vStar, LAMBDA)) / l1Objective).toBeLessThan(1e-6);
    // The tensor methods agree with the float64 numbers.
    const [penT, l1T] = tf.tidy(() => [p.penalty().dataSync()[0], p.l1Penalty().dataSync()[0]]);
    expect(penT).toBeCloseTo(pen, 5);
    expect(l1T).toBeCloseTo(2 * kappa * v.reduce((s, vi) => s + Math.abs(vi), 0), 5);
    p.dispose();
  });

  it('penalty ≥ 2κ‖U⊙W‖₁ off balance, and rebalance() reaches equality keeping V and the signs', () => {
    const { kappa, alpha, beta } = splitKappa(0.3, 9); // α = 0.9, β = 0.1
    const u0 = tf.tensor1d([2, -0.5, 0, 1]);
    const w0 = tf.tensor1d([0.5, 3, 4, -1]);
    const p = new RedundantParameter({ shape: [4], kappa, alpha, beta, initial: { u: u0, w: w0 } });
    u0.dispose();
    w0.dispose();
    const before = tf.tidy(() => ({ pen: p.penalty().dataSync()[0], l1: p.l1Penalty().dataSync()[0], v: Array.from(p.value().dataSync()) }));
    // α‖U‖² + β‖W‖² = 0.9·(4 + 0.25 + 0 + 1) + 0.1·(0.25 + 9 + 16 + 1) = 4.725 + 2.625 = 7.35
    expect(before.pen).toBeCloseTo(7.35, 5);
    // 2κ‖V‖₁ = 0.6·(1 + 1.5 + 0 + 1) = 2.1
    expect(before.l1).toBeCloseTo(2.1, 5);
    p.rebalance();
    const u = f64(p.u);
    const w = f64(p.w);
    const after = tf.tidy(() => ({ pen: p.penalty().dataSync()[0], v: Array.from(p.value().dataSync()) }));
    expect(after.pen).toBeCloseTo(2.1, 5);
    after.v.forEach((vi, i) => expect(vi).toBeCloseTo(before.v[i], 5));
    // √α|U| = √β|W| = √(κ|V|): √0.3, √0.45, 0, √0.3
    const expected = [0.3, 0.45, 0, 0.3].map(Math.sqrt);
    for (let i = 0; i < 4; i++) {
      expect(Math.sqrt(alpha) * Math.abs(u[i])).toBeCloseTo(expected[i], 5);
      expect(Math.sqrt(beta) * Math.abs(w[i])).toBeCloseTo(expected[i], 5);
    }
    expect(Array.from(u).map(Math.sign)).toEqual([1, -1, 0, 1]);
    expect(Array.from(w).map(Math.sign)).toEqual([1, 1, 0, -1]);
    p.dispose();
  });

  it('export(threshold) sets |V_i| < threshold to exact zeros and returns a new tensor', () => {
    const u0 = tf.tensor1d([1, 1e-3, -2, 1e-4]);
    const w0 = tf.tensor1d([0.5, 1e-3, 0.25, -2]);
    const p = new RedundantParameter({ shape: [4], kappa: 0.1, initial: { u: u0, w: w0 } });
    tf.dispose([u0, w0]);
    const e = p.export(1e-3);
    expect(Array.from(e.dataSync())).toEqual([0.5, 0, -0.5, 0]);
    const raw = p.export();
    expect(raw.dataSync()[1]).toBeCloseTo(1e-6, 10);
    tf.dispose([e, raw]);
    p.dispose();
  });

  it('checks its arguments: αβ must equal κ², initial shapes must match', () => {
    expect(() => new RedundantParameter({ shape: [2], kappa: 1, alpha: 2, beta: 2 })).toThrow(/alpha·beta must equal kappa²/);
    const bad = tf.zeros([3]);
    expect(() => new RedundantParameter({ shape: [2], kappa: 1, initial: { u: bad, w: bad } })).toThrow(/initial.u has shape \[3\], expected \[2\]/);
    bad.dispose();
  });

  it('keeps the tensor count flat over 50 optimisation steps', () => {
    const p = new RedundantParameter({ shape: [D], kappa: 0.25, init: 'sqrt', initStd: 0.5, seed: 1 });
    const opt = tf.train.adam(0.01);
    const step = () => opt.minimize(() => p.objective(dataLoss), false, p.variables);
    step(); // Adam creates its moment variables on the first step.
    const before = tf.memory().numTensors;
    for (let s = 0; s < 50; s++) {
      step();
      tf.dispose([p.export(1e-3), p.penalty(), p.l1Penalty()]);
    }
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    p.dispose();
  });
});
