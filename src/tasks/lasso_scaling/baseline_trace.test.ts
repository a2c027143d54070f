import { coordinateDescent } from '../../baselines/coordinate_descent';
import { lassoObjective } from '../../baselines/lasso_objective';
import { Design } from '../../numeric/matrix';
import { syntheticProblem } from '../../data/synthetic_lasso';
import { tracedSolve } from './baseline_trace';
import { supportStats } from './timing';

const p = syntheticProblem({ n: 80, d: 400, m: 3, k: 8, noise: 0.1, design: 'gaussian', seed: 1 });
const X = Design.fromMatrix(p.X);
const lambda = 0.1 * p.lambdaMax;
const thresholds = [1e-3, 1e-6] as const;

test('the trace ends at the result: its objective and zero-rates are those of the returned V', () => {
  const { solution, trace, seconds } = tracedSolve(X, p.Y, lambda, thresholds, (onIteration) => coordinateDescent(X, p.Y, lambda, { tol: 1e-8, onIteration }));
  const last = trace[trace.length - 1];
  expect(last.objective).toBeCloseTo(lassoObjective(X, p.Y, solution.coef, lambda), 10);
  expect(last.zeroRate2).toBe(supportStats(solution.coef.data, solution.coef.data, 1e-6).zeroRate);
  expect(last.zeroRate1).toBe(supportStats(solution.coef.data, solution.coef.data, 1e-3).zeroRate);
  expect(last.seconds).toBeLessThanOrEqual(seconds);
  trace.forEach((t, i) => i > 0 && expect(t.seconds).toBeGreaterThanOrEqual(trace[i - 1].seconds));
});

test('columns not reached yet count as V = 0: the objective falls column by column, the first point is mostly zeros', () => {
  const { trace, solution } = tracedSolve(X, p.Y, lambda, thresholds, (onIteration) => coordinateDescent(X, p.Y, lambda, { onIteration }));
  // Only column 0 has moved at the first observation: the other two columns (2/3 of V) are still 0.
  expect(trace[0].zeroRate2).toBeGreaterThanOrEqual(2 / 3);
  const zeroObjective = lassoObjective(X, p.Y, { ...solution.coef, data: new Float64Array(solution.coef.data.length) }, lambda);
  expect(trace[0].objective).toBeLessThan(zeroObjective);
  expect(trace[0].objective).toBeGreaterThan(trace[trace.length - 1].objective);
});
