import { RunError } from '../errors';
import { dualityGap, lassoObjective } from './lasso_objective';
import { lars } from './lars';
import { referenceOptimum } from './reference_optimum';
import { syntheticProblem } from '../data/synthetic_lasso';

describe('referenceOptimum', () => {
  const p = syntheticProblem({ n: 80, d: 200, m: 2, k: 10, lambdaRatio: 0.02, seed: 7 });

  it('solves to a duality gap ≤ 1e-12·‖Y‖²/N and reports P(V*)', () => {
    const ref = referenceOptimum(p.X, p.Y, p.lambda);
    const yy = p.Y.data.reduce((s, v) => s + v * v, 0) / p.X.rows;
    expect(ref.gap).toBeLessThanOrEqual(1e-12 * yy);
    expect(ref.gap).toBeCloseTo(dualityGap(p.X, p.Y, ref.coef, p.lambda), 14);
    expect(ref.objective).toBe(lassoObjective(p.X, p.Y, ref.coef, p.lambda));
    // LARS reaches the exact solution by another route: the two objectives agree to round-off.
    const exact = lassoObjective(p.X, p.Y, lars(p.X, p.Y, p.lambda).coef, p.lambda);
    expect(Math.abs(ref.objective - exact) / exact).toBeLessThan(1e-12);
  });

  it('throws a RunError naming the gap when it cannot get there', () => {
    expect(() => referenceOptimum(p.X, p.Y, p.lambda, { maxIter: 1 })).toThrow(RunError);
    expect(() => referenceOptimum(p.X, p.Y, p.lambda, { maxIter: 1 })).toThrow(/duality gap \d\.\d+e[-+]\d+/);
  });
});
