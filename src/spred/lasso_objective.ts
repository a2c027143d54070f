import { l1Norm, sumSq } from '../numeric/matrix';

/**
 * The lasso objective P(V) = 1/(2N)·‖Y − XV‖²_F + λ‖V‖₁ (scikit-learn's `Lasso(alpha=λ)`; spred solves
 * it with κ = λ/2, conventions.ts), computed once here, in float64, from the residual R = Y − XV and the
 * coefficients V:
 *
 *     P = ‖R‖²_F / (2N) + λ‖V‖₁.
 *
 * Every form of P in the project is built on this: the row-major X·V form (`lassoObjective` in
 * soft_threshold.ts), the solvers' Design form (src/baselines/lasso_objective.ts, one call per output
 * column), the baselines' traces, and spred's trace from the float32 residual it reads off the backend.
 */
export function lassoObjectiveFromResidual(residual: Float64Array, coef: ArrayLike<number>, n: number, lambda: number): number {
  return sumSq(residual) / (2 * n) + lambda * l1Norm(coef);
}
