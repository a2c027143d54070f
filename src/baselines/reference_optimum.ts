/**
 * The reference optimum P* of a lasso problem, against which every method's suboptimality
 * (P(V) − P*)/P* and support are judged: coordinate descent run to a duality gap ≤ 1e-12·‖Y‖²_F/N.
 * Since gap ≥ P(V) − P* ≥ 0, the reported objective is within that of the true optimum.
 */
import { RunError } from '../errors';
import { coordinateDescent, CoordinateUpdates } from './coordinate_descent';
import { lassoObjective } from './lasso_objective';
import { asDesign, DesignInput, Matrix } from '../numeric/matrix';

/** Options of `referenceOptimum`. */
export interface ReferenceOptimumOptions {
  /** Relative duality-gap tolerance (see `coordinateDescent`). Default 1e-12. */
  tol?: number;
  /** Cap on coordinate-descent iterations per column. Default 100000. */
  maxIter?: number;
  /** Update scheme of the coordinate descent. Default `auto`. */
  updates?: CoordinateUpdates;
}

/** The reference solution of one problem. */
export interface ReferenceOptimum {
  /** V*, d×m. */
  coef: Matrix;
  /** P(V*). */
  objective: number;
  /** Duality gap of V*: an upper bound on P(V*) − P*. */
  gap: number;
  /** Coordinate-descent iterations (largest over columns). */
  nIter: number;
}

/** Solves the problem to a tight tolerance; throws a RunError if coordinate descent does not get there. */
export function referenceOptimum(
  Xin: DesignInput,
  Y: Matrix,
  lambda: number,
  options: ReferenceOptimumOptions = {},
): ReferenceOptimum {
  const X = asDesign(Xin);
  const tol = options.tol ?? 1e-12;
  const maxIter = options.maxIter ?? 100000;
  const sol = coordinateDescent(X, Y, lambda, { tol, maxIter, updates: options.updates });
  if (!sol.converged) {
    throw new RunError(
      `reference optimum: coordinate descent stopped after ${sol.nIter} iterations with duality gap ${sol.gap.toExponential(2)} (wanted ≤ ${tol}·‖Y‖²/N)`,
    );
  }
  return { coef: sol.coef, objective: lassoObjective(X, Y, sol.coef, lambda), gap: sol.gap, nIter: sol.nIter };
}
