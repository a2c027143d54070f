import { coordinateDescent } from '../../baselines/coordinate_descent';
import { fista } from '../../baselines/fista';
import { lars } from '../../baselines/lars';
import type { Design, Matrix } from '../../numeric/matrix';
import { tracedSolve, type TracedSolve } from './baseline_trace';

export type BaselineName = 'cd' | 'lars' | 'fista';

/**
 * One timed solve of a classical baseline (src/baselines/, TypeScript on Float64Array), all reading
 * the same column-major X, traced at every iteration (`baseline_trace.ts`, off the clock). CD: residual
 * updates with active sets and a duality-gap stop (the scikit-learn/glmnet method;
 * `coordinate_descent.ts` says why residual rather than covariance updates); FISTA: backtracking and
 * restarts, same gap stop; LARS: the exact lasso path down to λ.
 */
export function solveBaseline(
  name: BaselineName,
  X: Design,
  Y: Matrix,
  lambda: number,
  tol: number,
  thresholds: readonly [number, number],
): TracedSolve {
  return tracedSolve(X, Y, lambda, thresholds, (onIteration) =>
    name === 'cd'
      ? coordinateDescent(X, Y, lambda, { tol, onIteration })
      : name === 'fista'
        ? fista(X, Y, lambda, { tol, onIteration })
        : lars(X, Y, lambda, { onIteration }),
  );
}
