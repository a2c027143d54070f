import { coordinateDescent } from '../../baselines/coordinate_descent';
import { fista } from '../../baselines/fista';
import { lars } from '../../baselines/lars';
import type { LassoSolution } from '../../baselines/lasso_objective';
import type { Design, Matrix } from '../../baselines/matrix';

export type BaselineName = 'cd' | 'lars' | 'fista';

/**
 * One timed solve of a classical baseline (src/baselines/, TypeScript on Float64Array), all reading
 * the same column-major X. CD: residual updates with active sets and a duality-gap stop (the
 * scikit-learn/glmnet method; `coordinate_descent.ts` says why residual rather than covariance
 * updates); FISTA: backtracking and restarts, same gap stop; LARS: the exact lasso path down to λ.
 */
export function solveBaseline(name: BaselineName, X: Design, Y: Matrix, lambda: number, tol: number): { solution: LassoSolution; seconds: number } {
  const t0 = performance.now();
  const solution =
    name === 'cd' ? coordinateDescent(X, Y, lambda, { tol }) : name === 'fista' ? fista(X, Y, lambda, { tol }) : lars(X, Y, lambda);
  return { solution, seconds: (performance.now() - t0) / 1000 };
}
