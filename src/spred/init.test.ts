import * as tf from '@tensorflow/tfjs';
import { deriveSeed, InitScheme, initRedundantPair, standardInitStd } from './init';
import { RedundantParameter } from './redundant_parameter';
import { softThreshold } from './soft_threshold';

function std(a: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i];
    s2 += a[i] * a[i];
  }
  const m = s / a.length;
  return Math.sqrt(s2 / a.length - m * m);
}

const product = (u: tf.Tensor, w: tf.Tensor) => tf.tidy(() => tf.mul(u, w).dataSync());

describe('initRedundantPair: scales', () => {
  const sigma = 0.05;

  it('independent: U ~ N(0,1), W ~ N(0,σ²), so U⊙W has std σ', () => {
    const { u, w } = initRedundantPair({ scheme: 'independent', shape: [200, 200], std: sigma, seed: 3 });
    expect(std(u.dataSync())).toBeCloseTo(1, 1);
    expect(std(w.dataSync()) / sigma).toBeCloseTo(1, 1);
    expect(std(product(u, w)) / sigma).toBeCloseTo(1, 1);
    tf.dispose([u, w]);
  });

  it('sqrt: U, W ~ N(0, σ) (std √σ each), so U⊙W has std σ', () => {
    const { u, w } = initRedundantPair({ scheme: 'sqrt', shape: [200, 200], std: sigma, seed: 3 });
    expect(std(u.dataSync()) / Math.sqrt(sigma)).toBeCloseTo(1, 1);
    expect(std(w.dataSync()) / Math.sqrt(sigma)).toBeCloseTo(1, 1);
    expect(std(product(u, w)) / sigma).toBeCloseTo(1, 1);
    tf.dispose([u, w]);
  });

  it('balanced: W = |U| exactly; for α ≠ β, √α|U| = √β|W| and V keeps its scale', () => {
    const a = initRedundantPair({ scheme: 'balanced', shape: [50], std: sigma, seed: 3 });
    expect(Array.from(a.w.dataSync())).toEqual(Array.from(a.u.dataSync()).map(Math.abs));
    const b = initRedundantPair({ scheme: 'balanced', shape: [50], std: sigma, seed: 3, alpha: 0.4, beta: 0.1 });
    const [ua, ub, wb] = [a.u.dataSync(), b.u.dataSync(), b.w.dataSync()];
    for (let i = 0; i < 50; i++) {
      expect(Math.sqrt(0.4) * Math.abs(ub[i])).toBeCloseTo(Math.sqrt(0.1) * Math.abs(wb[i]), 6);
      expect(ub[i] * wb[i]).toBeCloseTo(ua[i] * Math.abs(ua[i]), 6); // same V as for α = β
    }
    tf.dispose([a.u, a.w, b.u, b.w]);
  });

  it('groups: sqrt balances E u_g² = E‖W_g‖² and gives V entries std σ; balanced sets u_g = ‖W_g‖', () => {
    // 2000 groups (axis 1) of d = 20 entries.
    const { u, w } = initRedundantPair({ scheme: 'sqrt', shape: [20, 2000], std: sigma, groupAxis: 1, seed: 5 });
    expect(u.shape).toEqual([2000]);
    const meanU2 = tf.tidy(() => tf.mean(tf.square(u)).dataSync()[0]);
    const meanW2 = tf.tidy(() => tf.mean(tf.sum(tf.square(w), 0)).dataSync()[0]);
    expect(Math.abs(meanU2 / meanW2 - 1)).toBeLessThan(0.1); // 2000 draws of u²: sd of the mean ≈ 0.03
    const vStd = tf.tidy(() => std(tf.mul(tf.reshape(u, [1, 2000]), w).dataSync()));
    expect(vStd / sigma).toBeCloseTo(1, 1);
    tf.dispose([u, w]);

    const bal = initRedundantPair({ scheme: 'balanced', shape: [3, 4], std: sigma, groupAxis: 0, seed: 5 });
    const norms = tf.tidy(() => tf.norm(bal.w, 'euclidean', 1).dataSync());
    Array.from(bal.u.dataSync()).forEach((ug, g) => expect(ug).toBeCloseTo(norms[g], 6));
    tf.dispose([bal.u, bal.w]);
  });

  it('is reproducible from its seed and creates no stray tensors', () => {
    const before = tf.memory().numTensors;
    const a = initRedundantPair({ scheme: 'sqrt', shape: [5], std: 1, seed: 11 });
    const b = initRedundantPair({ scheme: 'sqrt', shape: [5], std: 1, seed: 11 });
    const c = initRedundantPair({ scheme: 'sqrt', shape: [5], std: 1, seed: 12 });
    expect(Array.from(a.u.dataSync())).toEqual(Array.from(b.u.dataSync()));
    expect(Array.from(a.w.dataSync())).toEqual(Array.from(b.w.dataSync()));
    expect(Array.from(a.u.dataSync())).not.toEqual(Array.from(c.u.dataSync()));
    expect(Array.from(a.u.dataSync())).not.toEqual(Array.from(a.w.dataSync()));
    expect(tf.memory().numTensors).toBe(before + 6);
    tf.dispose([a.u, a.w, b.u, b.w, c.u, c.w]);
    expect(new Set([deriveSeed(1, 0), deriveSeed(1, 1), deriveSeed(2, 0), deriveSeed(0, 1)]).size).toBe(4);
  });

  it('standard init stds: Glorot √(2/(in+out)), He √(2/in), LeCun √(1/in)', () => {
    expect(standardInitStd('glorot', 300, 100)).toBeCloseTo(Math.sqrt(2 / 400), 12);
    expect(standardInitStd('he', 200, 10)).toBeCloseTo(0.1, 12);
    expect(standardInitStd('lecun', 400, 10)).toBeCloseTo(0.05, 12);
  });
});

/**
 * The sign pitfall. L(V) = ½‖V − z‖² (an orthonormal design), whose L1 optimum is S_λ(z) with every
 * coordinate nonzero here. Coordinates that start with sign(U_i W_i) ≠ sign(V*_i) must cross zero.
 */
describe('init schemes: crossing zero', () => {
  const z = [2, -1.5, 1.2, -1, 0.8, -0.9, 1.1, -1.3, 0.7, -0.75];
  const lambda = 0.2;
  const vStar = softThreshold(z, lambda);

  function run(scheme: InitScheme): { v0: Float32Array; v: Float32Array } {
    const zT = tf.tensor1d(z);
    const p = new RedundantParameter({ shape: [z.length], kappa: lambda / 2, init: scheme, initStd: 0.1, seed: 2024 });
    const v0 = tf.tidy(() => p.value().dataSync() as Float32Array);
    const opt = tf.train.sgd(0.2);
    const loss = (v: tf.Tensor) => tf.mul(0.5, tf.sum(tf.square(tf.sub(v, zT)))) as tf.Scalar;
    for (let s = 0; s < 600; s++) opt.minimize(() => p.objective(loss), false, p.variables);
    const v = tf.tidy(() => p.value().dataSync() as Float32Array);
    zT.dispose();
    opt.dispose();
    p.dispose();
    return { v0, v };
  }

  it.each(['independent', 'sqrt'] as const)('%s: every coordinate reaches the optimum, including those that start on the wrong side', (scheme) => {
    const { v0, v } = run(scheme);
    const flipped = z.map((_, i) => i).filter((i) => Math.sign(v0[i]) !== Math.sign(vStar[i]));
    expect(flipped.length).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < z.length; i++) expect(Math.abs(v[i] - vStar[i])).toBeLessThan(1e-4);
  });

  it('balanced (W = |U|): coordinates starting on the wrong side stay there and end at 0, not at V*', () => {
    const { v0, v } = run('balanced');
    const flipped = z.map((_, i) => i).filter((i) => Math.sign(v0[i]) !== Math.sign(vStar[i]));
    const kept = z.map((_, i) => i).filter((i) => !flipped.includes(i));
    expect(flipped.length).toBeGreaterThanOrEqual(3);
    expect(kept.length).toBeGreaterThanOrEqual(3);
    for (const i of flipped) {
      expect(v[i] * Math.sign(v0[i])).toBeGreaterThanOrEqual(0); // never crossed
      expect(Math.abs(v[i])).toBeLessThan(1e-4); // stuck at the boundary of its half-line
      expect(Math.abs(vStar[i])).toBeGreaterThan(0.4);
    }
    for (const i of kept) expect(Math.abs(v[i] - vStar[i])).toBeLessThan(1e-4);
  });
});
