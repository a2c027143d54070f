import {
  groupLassoOrthonormal,
  groupSoftThreshold,
  lassoKktResidual,
  lassoObjective,
  lassoOrthogonal,
  orthogonalColumnNorms,
  softThreshold,
} from './soft_threshold';
import { Xoshiro128 } from '../numeric/prng';

/** n×d with orthonormal columns times √N (XᵀX = N·I) by modified Gram–Schmidt, or with given norms². */
function orthogonalDesign(n: number, d: number, seed: number, norms2?: number[]): Float64Array {
  const r = new Xoshiro128(seed);
  const cols: Float64Array[] = [];
  for (let j = 0; j < d; j++) {
    const c = Float64Array.from({ length: n }, () => r.normal());
    for (const q of cols) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += c[i] * q[i];
      for (let i = 0; i < n; i++) c[i] -= dot * q[i];
    }
    const norm = Math.hypot(...c);
    for (let i = 0; i < n; i++) c[i] /= norm;
    cols.push(c);
  }
  const x = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(norms2 ? norms2[j] : n);
    for (let i = 0; i < n; i++) x[i * d + j] = cols[j][i] * s;
  }
  return x;
}

/** y = X·v + 0.5·noise with v ~ N(0, 1), or v = 0 where `zero(j)`. */
function problem(n: number, d: number, seed: number, norms2?: number[], zero?: (j: number) => boolean): { x: Float64Array; y: Float64Array } {
  const x = orthogonalDesign(n, d, seed, norms2);
  const r = new Xoshiro128(seed + 1);
  const v = Array.from({ length: d }, (_, j) => (zero?.(j) ? 0 : r.normal()));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) y[i] += x[i * d + j] * v[j];
    y[i] += 0.5 * r.normal();
  }
  return { x, y };
}

describe('softThreshold', () => {
  it('S_t(z) = sign(z)·max(|z| − t, 0), for numbers and vectors', () => {
    expect([softThreshold(3, 1), softThreshold(-3, 1), softThreshold(0.5, 1), softThreshold(-1, 1)]).toEqual([2, -2, 0, 0]);
    expect(Array.from(softThreshold([2, -0.2, -1.5, 0], 0.5))).toEqual([1.5, 0, -1, 0]);
  });
});

describe('lassoOrthogonal: the closed form against the optimality conditions', () => {
  const n = 60;
  const d = 20;
  const { x, y } = problem(n, d, 1);

  it('XᵀX = N·I: V = S_λ(Xᵀy/N)', () => {
    const c = orthogonalColumnNorms(x, n, d);
    c.forEach((cj) => expect(cj).toBeCloseTo(n, 9));
    const z = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) z[j] += (x[i * d + j] * y[i]) / n;
    const v = lassoOrthogonal(x, y, 0.4);
    const expected = softThreshold(z, 0.4);
    for (let j = 0; j < d; j++) expect(v[j]).toBeCloseTo(expected[j], 12);
  });

  it.each([0, 0.05, 0.3, 0.8, 2, 10])(
    'λ = %p: |Xᵀ(y − XV)/N|_j ≤ λ where V_j = 0 and = λ·sign(V_j) elsewhere (within 1e-9); no perturbation improves P',
    (lambda) => {
      const v = lassoOrthogonal(x, y, lambda);
      expect(lassoKktResidual(x, y, v, lambda)).toBeLessThan(1e-9);
      // Brute force: P(V + εe) ≥ P(V) for every coordinate direction and 200 random directions.
      const p0 = lassoObjective(x, y, v, lambda);
      const r = new Xoshiro128(7);
      const dirs: Float64Array[] = [];
      for (let j = 0; j < d; j++) for (const s of [1, -1]) dirs.push(Float64Array.from({ length: d }, (_, k) => (k === j ? s : 0)));
      for (let k = 0; k < 200; k++) dirs.push(Float64Array.from({ length: d }, () => r.normal()));
      for (const dir of dirs) {
        for (const eps of [1e-3, 1e-1]) {
          const moved = v.map((vj, j) => vj + eps * dir[j]);
          expect(lassoObjective(x, y, moved, lambda)).toBeGreaterThanOrEqual(p0 - 1e-12);
        }
      }
      if (lambda >= 10) expect(Array.from(v).every((vj) => vj === 0)).toBe(true);
    },
  );

  it('orthogonal columns of unequal norms: V_j = S_{λN/c_j}(X_jᵀy/c_j), checked by KKT', () => {
    const norms2 = Array.from({ length: d }, (_, j) => 5 + 7 * j);
    const p = problem(n, d, 3, norms2);
    const v = lassoOrthogonal(p.x, p.y, 0.3);
    expect(lassoKktResidual(p.x, p.y, v, 0.3)).toBeLessThan(1e-9);
    expect(v.some((vj) => vj === 0)).toBe(true);
    expect(v.some((vj) => vj !== 0)).toBe(true);
  });

  it('rejects a design that is not orthogonal, naming the columns', () => {
    const x2 = Float64Array.from([1, 1, 0, 1, 1, 0]); // 3×2, columns (1,0,1) and (1,1,0)
    expect(() => lassoOrthogonal(x2, [1, 2, 3], 0.1)).toThrow(/columns 0 and 1 are not orthogonal/);
    expect(() => lassoObjective(x2, [1, 2], [0, 0], 0.1)).toThrow(/X has 6 entries/);
  });

  it('lassoObjective by hand: X = I₂ (N = 2), y = (1, 2), V = (0.5, −1), λ = 0.25', () => {
    // 1/(2·2)·((1 − 0.5)² + (2 + 1)²) + 0.25·1.5 = (0.25 + 9)/4 + 0.375 = 2.6875
    expect(lassoObjective([1, 0, 0, 1], [1, 2], [0.5, -1], 0.25)).toBeCloseTo(2.6875, 14);
  });
});

describe('group soft threshold', () => {
  it('V_g = max(0, 1 − t/‖z_g‖)·z_g', () => {
    const v = groupSoftThreshold([3, 4, 0.3, 0.4, 5], [[0, 1], [2, 3]], 1);
    // ‖(3,4)‖ = 5 → ×0.8; ‖(0.3,0.4)‖ = 0.5 → 0; index 4 in no group: unchanged.
    expect(Array.from(v).map((x) => +x.toFixed(12))).toEqual([2.4, 3.2, 0, 0, 5]);
  });

  it('groupLassoOrthonormal satisfies the group-lasso optimality conditions', () => {
    const n = 40;
    const d = 12;
    // Groups 1 and 3 have no signal: their ‖z_G‖ is noise, ≈ 0.5·√(3/40) ≈ 0.14 < λ.
    const { x, y } = problem(n, d, 5, undefined, (j) => (j >= 3 && j < 6) || j >= 9);
    const groups = [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]];
    const lambda = 0.5;
    const v = groupLassoOrthonormal(x, y, groups, lambda);
    // g = Xᵀ(y − XV)/N; optimality: ‖g_G‖ ≤ λ where V_G = 0, and g_G = λ·V_G/‖V_G‖ otherwise.
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      r[i] = y[i];
      for (let j = 0; j < d; j++) r[i] -= x[i * d + j] * v[j];
    }
    const g = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) g[j] += (x[i * d + j] * r[i]) / n;
    let zeroGroups = 0;
    for (const G of groups) {
      const vn = Math.hypot(...G.map((j) => v[j]));
      if (vn === 0) {
        zeroGroups++;
        expect(Math.hypot(...G.map((j) => g[j]))).toBeLessThanOrEqual(lambda + 1e-9);
      } else {
        for (const j of G) expect(Math.abs(g[j] - (lambda * v[j]) / vn)).toBeLessThan(1e-9);
      }
    }
    expect(zeroGroups).toBe(2);
    expect(() => groupLassoOrthonormal(orthogonalDesign(n, d, 1, Array(d).fill(3)), y, groups, lambda)).toThrow(/expected N = 40/);
  });
});
