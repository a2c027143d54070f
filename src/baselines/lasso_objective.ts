/**
 * The lasso objective every method in this project minimises, stated once.
 *
 *     P(V) = 1/(2N)·‖Y − XV‖²_F + λ‖V‖₁
 *
 * X is N×d (samples × features), Y is N×m, V is d×m, ‖V‖₁ = Σ_jc |V_jc|; all row-major (C order).
 * The objective separates over the m output columns: column c is the single-output lasso
 * P_c(v) = 1/(2N)·‖y_c − Xv‖² + λ‖v‖₁, and P(V) = Σ_c P_c(V_{:,c}). No intercept is fitted.
 *
 * The same λ under other names:
 * - scikit-learn: `Lasso(alpha=λ, fit_intercept=False)` minimises exactly P (independently per column
 *   when y is 2-D); its `alpha` is our λ. (`MultiTaskLasso` is the group penalty, a different problem.)
 * - glmnet: `glmnet(x, y, family = "gaussian", alpha = 1, lambda = λ, intercept = FALSE,
 *   standardize = FALSE)` minimises P; glmnet's `lambda` is our λ, and its `alpha` is the elastic-net
 *   mixing weight (1 = lasso), not the penalty. (Its `family = "mgaussian"` is again the group penalty.)
 * - spred (paper Algorithm 1, Theorem 1): it minimises 1/(2N)·‖Y − X(U⊙W)‖²_F + κ(‖U‖² + ‖W‖²), whose
 *   minimisers have U⊙W = V* with L1 strength 2κ, so λ = 2κ (κ = λ/2).
 *
 * λ_max = max_j |x_jᵀy|/N is the smallest λ at which V = 0 is optimal (the subgradient condition at 0).
 *
 * Duality gap (scikit-learn's `enet_coordinate_descent`, divided by N to be in P's units): for a column
 * v with residual r = y − Xv, the rescaled residual θ = s·r, s = min(1, Nλ/‖Xᵀr‖_∞), is dual feasible
 * (‖Xᵀθ‖_∞ ≤ Nλ), with dual objective D(θ) = (θᵀy)/N − ‖θ‖²/(2N) = (‖y‖² − ‖y − θ‖²)/(2N), so
 *
 *     gap(v) = P(v) − D(θ) = [½(1 + s²)‖r‖² + Nλ‖v‖₁ − s·rᵀy] / N  ≥ P(v) − P* ≥ 0,
 *
 * zero exactly at the optimum. Solvers stop when gap ≤ tol·‖y‖²/N (scikit-learn's rule, tol = 1e-4 by
 * default). For m columns the gaps add up.
 */
import { DataError, UsageError } from '../errors';
import { asDesign, Design, DesignInput, dotAt, getColumn, l1Norm, matrix, Matrix, maxAbs, setColumn, sumSq, transposeTimes } from '../numeric/matrix';
import { lassoObjectiveFromResidual } from '../spred/lasso_objective';

/** What every solver returns. */
export interface LassoSolution {
  /** The coefficients V, d×m. */
  coef: Matrix;
  /** Iterations of the solver: the largest over the m columns (full sweeps for CD, steps for LARS). */
  nIter: number;
  /** Duality gap of `coef`, summed over columns, in the units of P. */
  gap: number;
  /** Whether every column met its stopping rule; `false` means a cap was hit (warn, naming `gap`). */
  converged: boolean;
}

/**
 * Watches a solver at work: called with output column `column`'s current coefficients after each
 * iteration (coordinate descent: each full sweep; FISTA: each step; LARS: each path step) and once more
 * with its final coefficients. `w` is the solver's buffer or a scratch copy: read it, do not keep it.
 * Columns are solved one after another, so at any moment the earlier columns are final and the later
 * ones still at their start (0 unless warm-started).
 */
export type IterationObserver = (column: number, w: Float64Array) => void;

/** What one output column's solve reports to `solveByColumn`. */
export interface ColumnSolve {
  /** The column's coefficients (length d). */
  w: Float64Array;
  nIter: number;
  /** Duality gap of `w`. */
  gap: number;
  converged: boolean;
}

/**
 * The column loop every solver shares: P separates over the m output columns, so each is solved on
 * its own, in order. `solveColumn` gets column `col` of Y and an observer already bound to `col` (or
 * undefined); the observer then also sees the column's result. nIter is the largest over the
 * columns, gaps add up, and the solve has converged when every column has.
 */
export function solveByColumn(
  d: number,
  Y: Matrix,
  onIteration: IterationObserver | undefined,
  solveColumn: (col: number, y: Float64Array, observe?: (w: Float64Array) => void) => ColumnSolve,
): LassoSolution {
  const coef = matrix(d, Y.cols);
  let nIter = 0;
  let gap = 0;
  let converged = true;
  for (let col = 0; col < Y.cols; col++) {
    const observe = onIteration && ((w: Float64Array) => onIteration(col, w));
    const res = solveColumn(col, getColumn(Y, col), observe);
    observe?.(res.w);
    setColumn(coef, col, res.w);
    nIter = Math.max(nIter, res.nIter);
    gap += res.gap;
    converged &&= res.converged;
  }
  return { coef, nIter, gap, converged };
}

/** Soft threshold S_t(z) = sign(z)·max(|z| − t, 0): the method library's, re-exported for the solvers. */
export { softThreshold } from '../spred/soft_threshold';

/** Throws a one-line error unless X (N×d), Y (N×m), λ ≥ 0 and V (d×m, if given) fit together. */
export function checkLassoArgs(X: Design, Y: Matrix, lambda: number, V?: Matrix): void {
  if (Y.rows !== X.n) throw new DataError(`lasso: X has ${X.n} rows but Y has ${Y.rows}`);
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new UsageError(`lasso: λ must be finite and ≥ 0, got ${lambda}`);
  if (V !== undefined && (V.rows !== X.d || V.cols !== Y.cols)) {
    throw new DataError(`lasso: coefficients are ${V.rows}×${V.cols}, expected ${X.d}×${Y.cols}`);
  }
}

/** The parts of one column's primal and dual values, in units of N·P (scikit-learn's scaling). */
export interface GapParts {
  /** ‖r‖² for the residual r = y − Xv. */
  rr: number;
  /** rᵀy. */
  ry: number;
  /** ‖v‖₁. */
  l1: number;
  /** ‖Xᵀr‖_∞. */
  dualNorm: number;
}

/** One column's duality gap in the units of P, from its parts (see the module comment). */
export function gapFromParts(parts: GapParts, n: number, lambda: number): number {
  const nl = n * lambda;
  const s = parts.dualNorm > nl ? nl / parts.dualNorm : 1;
  return (0.5 * (1 + s * s) * parts.rr + nl * parts.l1 - s * parts.ry) / n;
}

/** Residual r = y − Xv of one column. */
function residual(X: Design, y: Float64Array, v: Float64Array): Float64Array {
  const r = X.matvec(v);
  for (let i = 0; i < r.length; i++) r[i] = y[i] - r[i];
  return r;
}

/** Gap parts of one column, computed from scratch: O(N·d). */
export function columnGapParts(X: Design, y: Float64Array, v: Float64Array): GapParts {
  const r = residual(X, y, v);
  return { rr: sumSq(r), ry: dotAt(r, 0, y, 0, r.length), l1: l1Norm(v), dualNorm: maxAbs(X.tmatvec(r)) };
}

/** P(V) = 1/(2N)·‖Y − XV‖²_F + λ‖V‖₁, summed over the output columns (src/spred/lasso_objective.ts). */
export function lassoObjective(Xin: DesignInput, Y: Matrix, V: Matrix, lambda: number): number {
  const X = asDesign(Xin);
  checkLassoArgs(X, Y, lambda, V);
  let total = 0;
  for (let c = 0; c < Y.cols; c++) {
    const v = getColumn(V, c);
    total += lassoObjectiveFromResidual(residual(X, getColumn(Y, c), v), v, X.n, lambda);
  }
  return total;
}

/** λ_max = max over features j and columns c of |x_jᵀ y_c|/N: V = 0 is optimal iff λ ≥ λ_max. */
export function lambdaMax(X: DesignInput, Y: Matrix): number {
  if (X instanceof Design) {
    checkLassoArgs(X, Y, 0);
    let m = 0;
    for (let c = 0; c < Y.cols; c++) m = Math.max(m, columnLambdaMax(X.tmatvec(getColumn(Y, c)), X.n));
    return m;
  }
  // A row-major X is not copied; the sums are bitwise those of the Design branch.
  return columnLambdaMax(transposeTimes(X, Y).data, X.rows);
}

/**
 * λ_max of one column from its correlations c = Xᵀy: max_j |c_j|/N. Solvers return V = 0 at once when
 * λ ≥ this value, computed exactly as `lambdaMax` computes it, so that λ = λ_max gives exact zeros
 * (comparing x_jᵀy with N·λ instead can be off by one rounding).
 */
export function columnLambdaMax(c: Float64Array, n: number): number {
  return maxAbs(c) / n;
}

/** Duality gap of V, summed over the columns, in the units of P (see the module comment). */
export function dualityGap(Xin: DesignInput, Y: Matrix, V: Matrix, lambda: number): number {
  const X = asDesign(Xin);
  checkLassoArgs(X, Y, lambda, V);
  let total = 0;
  for (let c = 0; c < Y.cols; c++) {
    total += gapFromParts(columnGapParts(X, getColumn(Y, c), getColumn(V, c)), X.n, lambda);
  }
  return total;
}

/**
 * Largest violation of the lasso optimality (KKT) conditions, with g = x_jᵀr/N:
 * |g| ≤ λ where V_jc = 0, and g = λ·sign(V_jc) where V_jc ≠ 0. Zero at the optimum.
 */
export function kktViolation(Xin: DesignInput, Y: Matrix, V: Matrix, lambda: number): number {
  const X = asDesign(Xin);
  checkLassoArgs(X, Y, lambda, V);
  let worst = 0;
  for (let c = 0; c < Y.cols; c++) {
    const v = getColumn(V, c);
    const g = X.tmatvec(residual(X, getColumn(Y, c), v));
    for (let j = 0; j < X.d; j++) {
      const gj = g[j] / X.n;
      const viol = v[j] === 0 ? Math.abs(gj) - lambda : Math.abs(gj - lambda * Math.sign(v[j]));
      worst = Math.max(worst, viol);
    }
  }
  return worst;
}

/** Validated warm start for column c, or zeros. */
export function initialColumn(init: Matrix | undefined, d: number, c: number): Float64Array {
  return init === undefined ? new Float64Array(d) : getColumn(init, c);
}
