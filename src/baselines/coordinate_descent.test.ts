import { UsageError } from '../errors';
import { coordinateDescent, CoordinateUpdates } from './coordinate_descent';
import { dualityGap, lassoObjective } from './lasso_objective';
import { Design, matrix, maxAbsDiff } from '../numeric/matrix';
import { orthogonalLassoSolution, syntheticProblem } from '../data/synthetic_lasso';

const UPDATES: CoordinateUpdates[] = ['residual', 'covariance'];

describe('coordinateDescent', () => {
  describe.each([1, 3])('on an orthogonal design (XᵀX = N·I), m = %i', (m) => {
    const p = syntheticProblem({ n: 120, d: 40, m, k: 40, design: 'orthogonal', seed: 5 });
    const X = Design.fromMatrix(p.X);
    it.each(UPDATES)('%s updates equal the soft threshold S_λ(XᵀY/N) for several λ', (updates) => {
      for (const ratio of [0.02, 0.1, 0.3, 0.7, 0.95]) {
        const lambda = ratio * p.lambdaMax;
        const exact = orthogonalLassoSolution(p.X, p.Y, lambda);
        const sol = coordinateDescent(X, p.Y, lambda, { tol: 1e-10, updates });
        expect(sol.converged).toBe(true);
        expect(maxAbsDiff(sol.coef.data, exact.data)).toBeLessThan(1e-6);
        const pStar = lassoObjective(X, p.Y, exact, lambda);
        expect(Math.abs(lassoObjective(X, p.Y, sol.coef, lambda) - pStar) / pStar).toBeLessThan(1e-6);
      }
    });
  });

  it.each(UPDATES)('warm start: 5 + 5 iterations equal 10 (%s updates)', (updates) => {
    // scikit-learn's test_warm_start idea. tol = 0 never stops early, so each run does exactly maxIter
    // iterations; an iteration depends only on the coefficients it starts from.
    const p = syntheticProblem({ n: 60, d: 150, m: 2, k: 15, lambdaRatio: 0.01, seed: 2 });
    for (const activeSet of [false, true]) {
      const opts = { tol: 0, updates, activeSet, maxActiveSweeps: 2 };
      const five = coordinateDescent(p.X, p.Y, p.lambda, { ...opts, maxIter: 5 });
      const fivePlusFive = coordinateDescent(p.X, p.Y, p.lambda, { ...opts, maxIter: 5, coefInit: five.coef });
      const ten = coordinateDescent(p.X, p.Y, p.lambda, { ...opts, maxIter: 10 });
      expect(ten.nIter).toBe(10);
      expect(ten.converged).toBe(false);
      expect(maxAbsDiff(five.coef.data, ten.coef.data)).toBeGreaterThan(1e-6); // the check is not vacuous
      expect(maxAbsDiff(fivePlusFive.coef.data, ten.coef.data)).toBeLessThan(1e-12);
    }
  });

  it('a warm start from the solution stops after one iteration', () => {
    const p = syntheticProblem({ n: 60, d: 150, k: 15, seed: 2 });
    const sol = coordinateDescent(p.X, p.Y, p.lambda, { tol: 1e-10 });
    const again = coordinateDescent(p.X, p.Y, p.lambda, { tol: 1e-10, coefInit: sol.coef });
    expect(again.nIter).toBe(1);
    expect(maxAbsDiff(again.coef.data, sol.coef.data)).toBeLessThan(1e-9);
  });

  it.each(UPDATES)('λ ≥ λ_max gives exact zeros (%s updates), even from a warm start', (updates) => {
    const p = syntheticProblem({ n: 50, d: 80, m: 2, seed: 8 });
    for (const lambda of [p.lambdaMax, 1.5 * p.lambdaMax]) {
      const sol = coordinateDescent(p.X, p.Y, lambda, { updates, coefInit: matrix(80, 2, new Float64Array(160).fill(1)) });
      expect(sol.coef.data.every((v) => v === 0)).toBe(true);
      expect(sol.gap).toBe(0);
      expect(sol.converged).toBe(true);
    }
    // Just below λ_max exactly one coefficient per column that attains it becomes non-zero.
    const below = coordinateDescent(p.X, p.Y, 0.999 * p.lambdaMax, { updates });
    expect(below.coef.data.filter((v) => v !== 0).length).toBe(1);
  });

  it.each(UPDATES)('the duality gap is ≥ 0 and shrinks to ~0 (%s updates)', (updates) => {
    const p = syntheticProblem({ n: 80, d: 200, k: 10, lambdaRatio: 0.05, seed: 4 });
    const yy = p.Y.data.reduce((s, v) => s + v * v, 0) / p.X.rows;
    const gaps = [1, 2, 4, 8, 100].map((maxIter) => {
      const sol = coordinateDescent(p.X, p.Y, p.lambda, { tol: 1e-14, maxIter, activeSet: false, updates });
      // The reported gap is the gap of the returned coefficients.
      expect(sol.gap).toBeCloseTo(dualityGap(p.X, p.Y, sol.coef, p.lambda), 10);
      return sol.gap;
    });
    gaps.forEach((g) => expect(g).toBeGreaterThanOrEqual(0));
    expect(gaps[0]).toBeGreaterThan(1e-3 * yy);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeLessThan(gaps[i - 1]);
    expect(gaps[gaps.length - 1]).toBeLessThan(1e-13 * yy);
  });

  it('residual and covariance updates reach the same solution', () => {
    const p = syntheticProblem({ n: 100, d: 300, m: 2, k: 10, lambdaRatio: 0.02, seed: 6 });
    const X = Design.fromMatrix(p.X);
    const a = coordinateDescent(X, p.Y, p.lambda, { tol: 1e-12, updates: 'residual' });
    const b = coordinateDescent(X, p.Y, p.lambda, { tol: 1e-12, updates: 'covariance' });
    expect(maxAbsDiff(a.coef.data, b.coef.data)).toBeLessThan(1e-8);
  });

  it('a run that hits maxIter says so and reports its gap', () => {
    const p = syntheticProblem({ n: 60, d: 150, k: 15, lambdaRatio: 0.01, seed: 2 });
    const sol = coordinateDescent(p.X, p.Y, p.lambda, { tol: 1e-12, maxIter: 2, activeSet: false });
    expect(sol.converged).toBe(false);
    expect(sol.nIter).toBe(2);
    expect(sol.gap).toBeGreaterThan(0);
    expect(sol.gap).toBeCloseTo(dualityGap(p.X, p.Y, sol.coef, p.lambda), 12);
    expect(() => coordinateDescent(p.X, p.Y, p.lambda, { maxIter: 0 })).toThrow(UsageError);
  });
});
