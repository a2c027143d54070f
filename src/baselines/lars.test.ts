import { coordinateDescent } from './coordinate_descent';
import { dualityGap, lassoObjective } from './lasso_objective';
import { lars } from './lars';
import { Design, matrix, maxAbsDiff } from '../numeric/matrix';
import { orthogonalLassoSolution, syntheticProblem } from '../data/synthetic_lasso';

describe('lars (LARS with the lasso modification)', () => {
  it('solves a 2-feature path by hand', () => {
    // X = [[1, 0], [0, 2]], y = [2, 2]: correlations Xᵀy = [2, 4]. Feature 2 enters at Nλ = 4, feature 1
    // at Nλ = 2; at λ = 0.5 (Nλ = 1) the solution is [S₁(2)/1, S₁(4)/4] = [1, 0.75].
    const X = matrix(2, 2, Float64Array.from([1, 0, 0, 2]));
    const y = matrix(2, 1, Float64Array.from([2, 2]));
    const sol = lars(X, y, 0.5);
    expect(sol.coef.data[0]).toBeCloseTo(1, 14);
    expect(sol.coef.data[1]).toBeCloseTo(0.75, 14);
    expect(sol.nIter).toBe(2);
    // Between the two knots only feature 2 is active: λ = 1.5 gives [0, S₃(4)/4] = [0, 0.25].
    expect(Array.from(lars(X, y, 1.5).coef.data)).toEqual([0, 0.25]);
  });

  describe.each([1, 3])('on an orthogonal design (XᵀX = N·I), m = %i', (m) => {
    it('equals the soft threshold S_λ(XᵀY/N) for several λ', () => {
      const p = syntheticProblem({ n: 120, d: 40, m, k: 40, design: 'orthogonal', seed: 5 });
      const X = Design.fromMatrix(p.X);
      for (const ratio of [0.02, 0.1, 0.3, 0.7, 0.95]) {
        const lambda = ratio * p.lambdaMax;
        const exact = orthogonalLassoSolution(p.X, p.Y, lambda);
        const sol = lars(X, p.Y, lambda);
        expect(sol.converged).toBe(true);
        expect(maxAbsDiff(sol.coef.data, exact.data)).toBeLessThan(1e-6);
        const pStar = lassoObjective(X, p.Y, exact, lambda);
        expect(Math.abs(lassoObjective(X, p.Y, sol.coef, lambda) - pStar) / pStar).toBeLessThan(1e-6);
      }
    });
  });

  it('drops variables whose coefficient crosses zero and still matches coordinate descent', () => {
    // At a small λ on a d > N design the lasso path has drops: more steps than final non-zeros.
    const p = syntheticProblem({ n: 60, d: 150, k: 15, lambdaRatio: 0.003, seed: 2 });
    const X = Design.fromMatrix(p.X);
    const sol = lars(X, p.Y, p.lambda);
    const nnz = sol.coef.data.filter((v) => v !== 0).length;
    expect(sol.nIter).toBeGreaterThan(nnz);
    const cd = coordinateDescent(X, p.Y, p.lambda, { tol: 1e-13 });
    expect(maxAbsDiff(sol.coef.data, cd.coef.data)).toBeLessThan(1e-6);
    expect(sol.gap).toBeGreaterThanOrEqual(0);
    expect(sol.gap).toBeLessThan(1e-12);
    expect(sol.gap).toBeCloseTo(dualityGap(X, p.Y, sol.coef, p.lambda), 14);
  });

  it('λ ≥ λ_max gives exact zeros', () => {
    const p = syntheticProblem({ n: 50, d: 80, m: 2, seed: 8 });
    for (const lambda of [p.lambdaMax, 3 * p.lambdaMax]) {
      const sol = lars(p.X, p.Y, lambda);
      expect(sol.coef.data.every((v) => v === 0)).toBe(true);
      expect(sol.nIter).toBe(0);
      expect(sol.gap).toBe(0);
    }
  });

  it('reports converged: false when maxSteps runs out before λ', () => {
    const p = syntheticProblem({ n: 50, d: 80, k: 10, lambdaRatio: 0.01, seed: 8 });
    const sol = lars(p.X, p.Y, p.lambda, { maxSteps: 3 });
    expect(sol.converged).toBe(false);
    expect(sol.nIter).toBe(3);
    expect(sol.gap).toBeGreaterThan(0);
  });
});
