/**
 * The three baselines against each other on a general design (scikit-learn's "LARS against coordinate
 * descent" test idea): N = 100, d = 300, a 10-sparse truth, λ from 10 % down to 0.5 % of λ_max (where
 * the LARS path has drops). Each must reach the same objective (1e-6 relative), the same support, and
 * the lasso optimality conditions with g_j = x_jᵀr/N: |g_j| ≤ λ where v_j = 0, g_j = λ·sign(v_j) where v_j ≠ 0.
 */
import { coordinateDescent } from './coordinate_descent';
import { fista } from './fista';
import { lars } from './lars';
import { LassoSolution, lassoObjective } from './lasso_objective';
import { Design, getColumn, Matrix } from '../numeric/matrix';
import { syntheticProblem } from '../data/synthetic_lasso';

function support(V: Matrix): number[] {
  return Array.from(V.data.keys()).filter((i) => V.data[i] !== 0);
}

/** Checks the KKT conditions entry by entry, to 1e-6. */
function expectKkt(X: Design, Y: Matrix, V: Matrix, lambda: number): void {
  for (let c = 0; c < Y.cols; c++) {
    const v = getColumn(V, c);
    const r = X.matvec(v);
    const y = getColumn(Y, c);
    for (let i = 0; i < X.n; i++) r[i] = y[i] - r[i];
    const g = X.tmatvec(r).map((gj) => gj / X.n);
    for (let j = 0; j < X.d; j++) {
      if (v[j] === 0) expect(Math.abs(g[j])).toBeLessThanOrEqual(lambda + 1e-6);
      else expect(Math.abs(g[j] - lambda * Math.sign(v[j]))).toBeLessThanOrEqual(1e-6);
    }
  }
}

describe('coordinate descent, LARS and FISTA agree on N = 100, d = 300, k = 10', () => {
  const cases: [number, number][] = [
    [1, 0.1],
    [1, 0.02],
    [1, 0.005],
    [3, 0.05],
  ];
  it.each(cases)('m = %i, λ = %f·λ_max', (m, ratio) => {
    const p = syntheticProblem({ n: 100, d: 300, m, k: 10, lambdaRatio: ratio, seed: 1 });
    const X = Design.fromMatrix(p.X);
    const solutions: [string, LassoSolution][] = [
      ['cd', coordinateDescent(X, p.Y, p.lambda, { tol: 1e-12 })],
      ['lars', lars(X, p.Y, p.lambda)],
      ['fista', fista(X, p.Y, p.lambda, { tol: 1e-12 })],
    ];
    const objectives = solutions.map(([, s]) => lassoObjective(X, p.Y, s.coef, p.lambda));
    const best = Math.min(...objectives);
    const supp = support(solutions[0][1].coef);
    expect(supp.length).toBeGreaterThan(0);
    for (const [i, [name, s]] of solutions.entries()) {
      expect([name, s.converged]).toEqual([name, true]);
      expect((objectives[i] - best) / best).toBeLessThan(1e-6);
      expect([name, support(s.coef)]).toEqual([name, supp]);
      expectKkt(X, p.Y, s.coef, p.lambda);
    }
  });
});
