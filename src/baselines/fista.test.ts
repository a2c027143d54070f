import { coordinateDescent } from './coordinate_descent';
import { fista, lipschitzConstant } from './fista';
import { dualityGap, lassoObjective } from './lasso_objective';
import { Design, maxAbsDiff } from '../numeric/matrix';
import { orthogonalLassoSolution, syntheticProblem } from '../data/synthetic_lasso';

describe('fista', () => {
  it('estimates the Lipschitz constant of ∇f: 1 on XᵀX = N·I, σ_max(X)²/N in general', () => {
    const orth = syntheticProblem({ n: 80, d: 30, design: 'orthogonal', seed: 1 });
    expect(lipschitzConstant(orth.X)).toBeCloseTo(1, 10);
    // Two columns x₁ = (1, 1, 0)ᵀ·√1.5, x₂ = (1, −1, 0)ᵀ·√0.5: XᵀX = diag(3, 1), N = 3, so L = 1.
    const X = { rows: 3, cols: 2, data: Float64Array.from([Math.sqrt(1.5), Math.sqrt(0.5), Math.sqrt(1.5), -Math.sqrt(0.5), 0, 0]) };
    // Power iteration gives a Rayleigh quotient: from below, within its stopping tolerance (1e-6).
    const L = lipschitzConstant(X);
    expect(L).toBeLessThanOrEqual(1);
    expect(L).toBeGreaterThan(1 - 1e-6);
    expect(lipschitzConstant(X, { tol: 1e-14, maxIter: 1000 })).toBeCloseTo(1, 12);
  });

  describe.each([1, 3])('on an orthogonal design (XᵀX = N·I), m = %i', (m) => {
    it('equals the soft threshold S_λ(XᵀY/N) for several λ', () => {
      const p = syntheticProblem({ n: 120, d: 40, m, k: 40, design: 'orthogonal', seed: 5 });
      const X = Design.fromMatrix(p.X);
      for (const ratio of [0.02, 0.1, 0.3, 0.7, 0.95]) {
        const lambda = ratio * p.lambdaMax;
        const exact = orthogonalLassoSolution(p.X, p.Y, lambda);
        const sol = fista(X, p.Y, lambda, { tol: 1e-12 });
        expect(sol.converged).toBe(true);
        expect(maxAbsDiff(sol.coef.data, exact.data)).toBeLessThan(1e-6);
        const pStar = lassoObjective(X, p.Y, exact, lambda);
        expect(Math.abs(lassoObjective(X, p.Y, sol.coef, lambda) - pStar) / pStar).toBeLessThan(1e-6);
      }
    });
  });

  it.each([true, false])('matches coordinate descent on a d > N design (restart: %s)', (restart) => {
    const p = syntheticProblem({ n: 60, d: 150, m: 2, k: 10, lambdaRatio: 0.05, seed: 3 });
    const X = Design.fromMatrix(p.X);
    const sol = fista(X, p.Y, p.lambda, { tol: 1e-12, restart, maxIter: 50000 });
    expect(sol.converged).toBe(true);
    const cd = coordinateDescent(X, p.Y, p.lambda, { tol: 1e-13 });
    expect(maxAbsDiff(sol.coef.data, cd.coef.data)).toBeLessThan(1e-6);
    expect(sol.gap).toBeCloseTo(dualityGap(X, p.Y, sol.coef, p.lambda), 12);
  });

  it('restart needs fewer iterations than plain FISTA', () => {
    const p = syntheticProblem({ n: 60, d: 150, k: 10, lambdaRatio: 0.05, seed: 3 });
    const X = Design.fromMatrix(p.X);
    const withRestart = fista(X, p.Y, p.lambda, { tol: 1e-10 });
    const plain = fista(X, p.Y, p.lambda, { tol: 1e-10, restart: false });
    expect(withRestart.nIter).toBeLessThan(plain.nIter);
  });

  it.each([1e-3, 'power', 'backtracking'] as const)('converges from any starting Lipschitz constant (%s)', (lipschitz) => {
    const p = syntheticProblem({ n: 60, d: 150, k: 10, lambdaRatio: 0.1, seed: 3 });
    const sol = fista(p.X, p.Y, p.lambda, { tol: 1e-10, lipschitz });
    expect(sol.converged).toBe(true);
    const cd = coordinateDescent(p.X, p.Y, p.lambda, { tol: 1e-13 });
    expect(maxAbsDiff(sol.coef.data, cd.coef.data)).toBeLessThan(1e-5);
  });

  it('λ ≥ λ_max gives exact zeros', () => {
    const p = syntheticProblem({ n: 50, d: 80, m: 2, seed: 8 });
    for (const lambda of [p.lambdaMax, 2 * p.lambdaMax]) {
      const sol = fista(p.X, p.Y, lambda);
      expect(sol.coef.data.every((v) => v === 0)).toBe(true);
      expect(sol.gap).toBe(0);
    }
  });

  it('a run that hits maxIter says so and reports its gap', () => {
    const p = syntheticProblem({ n: 60, d: 150, k: 10, lambdaRatio: 0.01, seed: 3 });
    const sol = fista(p.X, p.Y, p.lambda, { tol: 1e-14, maxIter: 7 });
    expect(sol.converged).toBe(false);
    expect(sol.nIter).toBe(7);
    expect(sol.gap).toBeCloseTo(dualityGap(p.X, p.Y, sol.coef, p.lambda), 12);
  });
});
