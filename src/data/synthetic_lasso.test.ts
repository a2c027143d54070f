import { UsageError } from '../errors';
import { lambdaMax } from '../baselines/lasso_objective';
import { matrix } from '../numeric/matrix';
import { orthogonalDesign, orthogonalLassoSolution, syntheticProblem } from './synthetic_lasso';

describe('syntheticProblem', () => {
  const p = syntheticProblem({ n: 50, d: 80, m: 3, k: 6, noise: 0.1, lambdaRatio: 0.2, seed: 11 });

  it('standardises the columns: mean 0 and ‖x_j‖² = N', () => {
    for (let j = 0; j < 80; j++) {
      let s = 0;
      let sq = 0;
      for (let i = 0; i < 50; i++) {
        s += p.X.data[i * 80 + j];
        sq += p.X.data[i * 80 + j] ** 2;
      }
      expect(Math.abs(s)).toBeLessThan(1e-12);
      expect(sq).toBeCloseTo(50, 10);
    }
  });

  it('has a k-row-sparse ground truth, noise of size σ, and λ = ratio·λ_max', () => {
    expect(p.support.length).toBe(6);
    expect(Array.from(p.support)).toEqual(Array.from(p.support).sort((a, b) => a - b));
    for (let j = 0; j < 80; j++) {
      const row = p.vTrue.data.subarray(j * 3, j * 3 + 3);
      expect(row.some((v) => v !== 0)).toBe(p.support.includes(j));
    }
    // Y − X·V* is the noise: its standard deviation is ≈ σ = 0.1.
    let sq = 0;
    for (let i = 0; i < 50; i++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (const j of p.support) s += p.X.data[i * 80 + j] * p.vTrue.data[j * 3 + c];
        sq += (p.Y.data[i * 3 + c] - s) ** 2;
      }
    }
    expect(Math.sqrt(sq / 150)).toBeGreaterThan(0.08);
    expect(Math.sqrt(sq / 150)).toBeLessThan(0.12);
    expect(p.lambdaMax).toBe(lambdaMax(p.X, p.Y));
    expect(p.lambda).toBe(0.2 * p.lambdaMax);
    expect(p.args).toMatchObject({ design: 'gaussian', coefficients: 'gaussian', seed: 11 });
  });

  it('is a pure function of its arguments', () => {
    const q = syntheticProblem({ n: 50, d: 80, m: 3, k: 6, noise: 0.1, lambdaRatio: 0.2, seed: 11 });
    expect(q.Y.data).toEqual(p.Y.data);
    expect(syntheticProblem({ n: 50, d: 80, m: 3, k: 6, seed: 12 }).Y.data).not.toEqual(p.Y.data);
    expect(syntheticProblem({ n: 20, d: 10, coefficients: 'laplace', seed: 1 }).vTrue.data.some((v) => v !== 0)).toBe(true);
  });

  it('rejects bad sizes', () => {
    expect(() => syntheticProblem({ n: 0, d: 5 })).toThrow(UsageError);
    expect(() => syntheticProblem({ n: 5, d: 5, k: 6 })).toThrow(UsageError);
    expect(() => syntheticProblem({ n: 5, d: 8, design: 'orthogonal' })).toThrow(UsageError);
  });
});

describe('orthogonalDesign', () => {
  it('has XᵀX = N·I', () => {
    const n = 60;
    const d = 25;
    const X = orthogonalDesign(n, d, 4);
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += X[i * d + a] * X[i * d + b];
        expect(Math.abs(s - (a === b ? n : 0))).toBeLessThan(1e-11);
      }
    }
  });

  it('gives the soft-threshold solution S_λ(Xᵀy/N)', () => {
    // With X = √N·I (N = d = 2) and y = [3, −1]·√2: Xᵀy/N = [3, −1], so λ = 1.5 gives [1.5, 0].
    const s = Math.SQRT2;
    const X = matrix(2, 2, Float64Array.from([s, 0, 0, s]));
    const y = matrix(2, 1, Float64Array.from([3 * s, -s]));
    const V = orthogonalLassoSolution(X, y, 1.5);
    expect(V.data[0]).toBeCloseTo(1.5, 14);
    expect(V.data[1]).toBe(0);
  });
});
