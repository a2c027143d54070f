/**
 * The `onIteration` observer of the three baselines: it sees every iteration of every column, its last
 * call per column is that column's result, and watching does not change what the solver returns.
 */
import { coordinateDescent } from './coordinate_descent';
import { fista } from './fista';
import { lars } from './lars';
import type { IterationObserver, LassoSolution } from './lasso_objective';
import { Design, getColumn } from '../numeric/matrix';
import { syntheticProblem } from '../data/synthetic_lasso';

const p = syntheticProblem({ n: 60, d: 150, m: 2, k: 6, noise: 0.1, design: 'gaussian', seed: 3 });
const X = Design.fromMatrix(p.X);
const lambda = 0.05 * p.lambdaMax;

const solvers: [string, (observe?: IterationObserver) => LassoSolution][] = [
  ['coordinate descent', (onIteration) => coordinateDescent(X, p.Y, lambda, { tol: 1e-8, onIteration })],
  ['FISTA', (onIteration) => fista(X, p.Y, lambda, { tol: 1e-8, onIteration })],
  ['LARS', (onIteration) => lars(X, p.Y, lambda, { onIteration })],
];

describe.each(solvers)('%s', (_name, solve) => {
  const calls: { column: number; w: Float64Array }[] = [];
  let watched: LassoSolution;
  let plain: LassoSolution;
  beforeAll(() => {
    watched = solve((column, w) => calls.push({ column, w: w.slice() }));
    plain = solve();
  });

  test('watching does not change the result', () => {
    expect(Array.from(watched.coef.data)).toEqual(Array.from(plain.coef.data));
    expect(watched.nIter).toBe(plain.nIter);
  });

  test('columns are observed in order, each at least once per iteration plus its result', () => {
    const columns = calls.map((c) => c.column);
    expect(columns).toEqual([...columns].sort((a, b) => a - b));
    for (const col of [0, 1]) {
      const mine = calls.filter((c) => c.column === col);
      expect(mine.length).toBeGreaterThanOrEqual(2);
      expect(Array.from(mine[mine.length - 1].w)).toEqual(Array.from(getColumn(watched.coef, col)));
    }
    expect(calls.filter((c) => c.column === 0).length).toBeGreaterThanOrEqual(Math.min(watched.nIter, 2));
  });
});

test('coordinate descent: one observation per full sweep, plus the result', () => {
  const calls: number[] = [];
  const one = syntheticProblem({ n: 60, d: 150, m: 1, k: 6, noise: 0.1, design: 'gaussian', seed: 3 });
  const s = coordinateDescent(Design.fromMatrix(one.X), one.Y, 0.05 * one.lambdaMax, { tol: 1e-8, onIteration: (c) => calls.push(c) });
  expect(calls).toHaveLength(s.nIter + 1);
});
