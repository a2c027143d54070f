/**
 * Cyclic coordinate descent for the lasso P(V) of `lasso_objective.ts`: the method of glmnet
 * (Friedman, Hastie & Tibshirani 2010, "Regularization paths for generalized linear models via
 * coordinate descent") and scikit-learn's `Lasso` (`enet_coordinate_descent`).
 *
 * Coordinate update (one column y, coefficients w): with ρ_j = x_jᵀr + ‖x_j‖²·w_j, the exact minimiser
 * of P over w_j is  w_j ← S_{Nλ}(ρ_j) / ‖x_j‖².
 *
 * Two ways to get x_jᵀr (Friedman et al. §2.2):
 * - `residual` ("naive") updates keep r = y − Xw; a coordinate costs O(N).
 * - `covariance` updates keep g = Xᵀr and the Gram columns Xᵀx_k of the coefficients that have ever
 *   been non-zero (computed once each, O(Nd), shared by the m output columns); a change of w_k costs
 *   O(d) (O(|A|) inside active-set sweeps), and a zero coordinate costs O(1) to examine.
 * `auto` picks `residual`. Measured here (N from 10³ to 2·10⁴, d from 10² to 3·10³, k ∈ {10, 100},
 * λ/λ_max from 0.1 to 0.001, one λ from a cold start), covariance updates were never faster and up to
 * 50× slower: the first sweep from w = 0 makes most features non-zero for a moment, and each costs a
 * Gram column, O(Nd), so a cold start pays ~O(Nd²) (what scikit-learn's `precompute=True` pays up
 * front), while residual updates converge in a few O(Nd) sweeps on these designs. Covariance updates pay
 * off along a λ path with warm starts (glmnet's setting), where features enter a few at a time.
 *
 * One iteration (`nIter` counts them) = sweeps over the active set {j : w_j ≠ 0} until its largest
 * change is ≤ tol·max|w| or `maxActiveSweeps` (10) sweeps are done (glmnet's active-set strategy),
 * then one sweep over all d coordinates, which lets new variables in and confirms the others. The cap
 * matters from a cold start at small λ: the first sweep activates up to ~N features, most of them only
 * for a while, and solving that nearly singular subproblem to tolerance is wasted work. Measured here
 * (N = 1000, d ∈ {10³, 10⁴}, k ∈ {10, 100}, λ/λ_max from 0.1 to 0.002): caps of 10–30 were fastest,
 * up to 6× faster than no cap (1000) and up to 2× faster than plain cyclic sweeps (`activeSet: false`).
 *
 * After a full sweep whose largest change is ≤ tol·max|w| (or on the last iteration) the duality gap
 * is computed, and the column stops when gap ≤ tol·‖y‖²/N (scikit-learn's rule). An iteration's outcome depends only on w, so a warm start
 * from the coefficients of a 5-iteration run equals a 10-iteration run.
 *
 * For m > 1 each output column is solved independently. A column with λ ≥ its λ_max returns 0 at once.
 */
import { UsageError } from '../errors';
import { checkLassoArgs, columnLambdaMax, gapFromParts, initialColumn, type IterationObserver, LassoSolution, solveByColumn } from './lasso_objective';
import { asDesign, axpyAt, Design, DesignInput, dotAt, Matrix, sumSq } from '../numeric/matrix';

export type CoordinateUpdates = 'auto' | 'residual' | 'covariance';

/** Options of `coordinateDescent`. */
export interface CoordinateDescentOptions {
  /** Stop a column when its duality gap ≤ tol·‖y‖²/N; also the relative coefficient-change tolerance. Default 1e-4. */
  tol?: number;
  /** Cap on iterations (full sweeps) per column; a column that hits it reports `converged: false`. Default 1000. */
  maxIter?: number;
  /** How x_jᵀr is obtained (see the module comment). Default `auto`, which is `residual`. */
  updates?: CoordinateUpdates;
  /** Iterate on the active set between full sweeps. Default true; false gives plain cyclic sweeps. */
  activeSet?: boolean;
  /** Cap on active-set sweeps between two full sweeps. Default 10 (see the module comment). */
  maxActiveSweeps?: number;
  /** Warm start: initial coefficients, d×m. Default zeros. */
  coefInit?: Matrix;
  /** Called after every full sweep and with each column's result (see `IterationObserver`). */
  onIteration?: IterationObserver;
}

/** Per-column outcome. */
interface ColumnResult {
  nIter: number;
  gap: number;
  converged: boolean;
}

interface Settings {
  tol: number;
  maxIter: number;
  activeSet: boolean;
  maxActiveSweeps: number;
}

/** Largest |Δw| and largest |w| seen in one sweep. */
interface SweepStats {
  dMax: number;
  wMax: number;
}

function isSettled(s: SweepStats, tol: number): boolean {
  return s.wMax === 0 || s.dMax <= tol * s.wMax;
}

/** Fills `out` with the indices of the non-zero entries of w; returns how many. */
function nonZeros(w: Float64Array, out: Int32Array): number {
  let k = 0;
  for (let j = 0; j < w.length; j++) if (w[j] !== 0) out[k++] = j;
  return k;
}

/**
 * The outer loop shared by both update schemes: active-set sweeps, a full sweep, and the gap test.
 * `sweep(indices, count, full)` updates w in place; `gap()` returns the current duality gap.
 */
function iterate(
  w: Float64Array,
  s: Settings,
  tolGap: number,
  sweep: (idx: Int32Array, count: number, full: boolean) => SweepStats,
  gap: () => number,
  observe?: (w: Float64Array) => void,
): ColumnResult {
  const d = w.length;
  const all = new Int32Array(d);
  for (let j = 0; j < d; j++) all[j] = j;
  const active = new Int32Array(d);
  let g = Number.POSITIVE_INFINITY;
  for (let it = 1; it <= s.maxIter; it++) {
    if (s.activeSet) {
      const k = nonZeros(w, active);
      for (let t = 0; k > 0 && t < s.maxActiveSweeps; t++) {
        if (isSettled(sweep(active, k, false), s.tol)) break;
      }
    }
    const full = sweep(all, d, true);
    observe?.(w);
    if (isSettled(full, s.tol) || it === s.maxIter) {
      g = gap();
      if (g <= tolGap) return { nIter: it, gap: g, converged: true };
    }
  }
  return { nIter: s.maxIter, gap: g, converged: false };
}

/** Residual ("naive") updates for one column; w is updated in place. */
function solveResidual(X: Design, y: Float64Array, w: Float64Array, lambda: number, s: Settings, observe?: (w: Float64Array) => void): ColumnResult {
  const { n, columns, colSq } = X;
  const nl = n * lambda;
  const r = new Float64Array(n);
  const resetResidual = (): void => {
    X.matvec(w, r);
    for (let i = 0; i < n; i++) r[i] = y[i] - r[i];
  };
  resetResidual();
  const yy = sumSq(y);
  const sweep = (idx: Int32Array, count: number): SweepStats => {
    let dMax = 0;
    let wMax = 0;
    for (let t = 0; t < count; t++) {
      const j = idx[t];
      const cs = colSq[j];
      if (cs === 0) continue;
      const off = j * n;
      const wj = w[j];
      const rho = dotAt(columns, off, r, 0, n) + wj * cs;
      const next = rho > nl ? (rho - nl) / cs : rho < -nl ? (rho + nl) / cs : 0;
      if (next !== wj) {
        axpyAt(wj - next, columns, off, r, 0, n);
        w[j] = next;
        dMax = Math.max(dMax, Math.abs(next - wj));
      }
      wMax = Math.max(wMax, Math.abs(next));
    }
    return { dMax, wMax };
  };
  const gap = (): number => {
    resetResidual(); // drop the rounding drift of the incremental updates
    const ry = dotAt(r, 0, y, 0, n);
    let l1 = 0;
    for (let j = 0; j < w.length; j++) l1 += Math.abs(w[j]);
    let dualNorm = 0;
    for (let j = 0; j < X.d; j++) dualNorm = Math.max(dualNorm, Math.abs(dotAt(columns, j * n, r, 0, n)));
    return gapFromParts({ rr: sumSq(r), ry, l1, dualNorm }, n, lambda);
  };
  return iterate(w, s, (s.tol * yy) / n, sweep, gap, observe);
}

/** Lazily computed Gram columns Xᵀx_k, shared by the output columns of one solve. */
class GramColumns {
  private readonly cache: (Float64Array | undefined)[];
  constructor(private readonly X: Design) {
    this.cache = new Array<Float64Array | undefined>(X.d);
  }
  get(k: number): Float64Array {
    let col = this.cache[k];
    if (col === undefined) {
      const { n, d, columns } = this.X;
      col = new Float64Array(d);
      const off = k * n;
      for (let j = 0; j < d; j++) col[j] = dotAt(columns, j * n, columns, off, n);
      this.cache[k] = col;
    }
    return col;
  }
}

/** Covariance updates for one column; w is updated in place. */
function solveCovariance(
  X: Design,
  y: Float64Array,
  w: Float64Array,
  lambda: number,
  s: Settings,
  gram: GramColumns,
  c: Float64Array, // Xᵀy
  observe?: (w: Float64Array) => void,
): ColumnResult {
  const { n, d, colSq } = X;
  const nl = n * lambda;
  const g = new Float64Array(d); // Xᵀr = Xᵀy − Σ_k (Xᵀx_k)·w_k
  const active = new Int32Array(d);
  let activeCount = 0;
  const refresh = (): void => {
    g.set(c);
    for (let k = 0; k < d; k++) if (w[k] !== 0) axpyAt(-w[k], gram.get(k), 0, g, 0, d);
  };
  refresh();
  const yy = sumSq(y);
  const sweep = (idx: Int32Array, count: number, full: boolean): SweepStats => {
    if (full) {
      refresh(); // the active-set sweeps kept g current on the active set only
    } else {
      active.set(idx.subarray(0, count));
      activeCount = count;
    }
    let dMax = 0;
    let wMax = 0;
    for (let t = 0; t < count; t++) {
      const j = idx[t];
      const cs = colSq[j];
      if (cs === 0) continue;
      const wj = w[j];
      const rho = g[j] + wj * cs;
      const next = rho > nl ? (rho - nl) / cs : rho < -nl ? (rho + nl) / cs : 0;
      if (next !== wj) {
        const delta = next - wj;
        const G = gram.get(j);
        if (full) {
          axpyAt(-delta, G, 0, g, 0, d);
        } else {
          for (let u = 0; u < activeCount; u++) {
            const k = active[u];
            g[k] -= delta * G[k];
          }
        }
        w[j] = next;
        dMax = Math.max(dMax, Math.abs(delta));
      }
      wMax = Math.max(wMax, Math.abs(next));
    }
    return { dMax, wMax };
  };
  const gap = (): number => {
    refresh();
    // ‖r‖² = ‖y‖² − 2wᵀXᵀy + wᵀXᵀXw = ‖y‖² − wᵀc − wᵀg, and rᵀy = ‖y‖² − wᵀc.
    let wc = 0;
    let wg = 0;
    let l1 = 0;
    let dualNorm = 0;
    for (let j = 0; j < d; j++) {
      wc += w[j] * c[j];
      wg += w[j] * g[j];
      l1 += Math.abs(w[j]);
      dualNorm = Math.max(dualNorm, Math.abs(g[j]));
    }
    const rr = Math.max(0, yy - wc - wg);
    return gapFromParts({ rr, ry: yy - wc, l1, dualNorm }, n, lambda);
  };
  return iterate(w, s, (s.tol * yy) / n, sweep, gap, observe);
}

/**
 * Minimises P(V) = 1/(2N)·‖Y − XV‖²_F + λ‖V‖₁ by cyclic coordinate descent, column by column.
 * `converged: false` means some column hit `maxIter`; its gap is in `gap` and the caller should warn.
 */
export function coordinateDescent(
  Xin: DesignInput,
  Y: Matrix,
  lambda: number,
  options: CoordinateDescentOptions = {},
): LassoSolution {
  const X = asDesign(Xin);
  checkLassoArgs(X, Y, lambda, options.coefInit);
  const settings: Settings = {
    tol: options.tol ?? 1e-4,
    maxIter: options.maxIter ?? 1000,
    activeSet: options.activeSet ?? true,
    maxActiveSweeps: options.maxActiveSweeps ?? 10,
  };
  if (!(settings.tol >= 0) || !(settings.maxIter >= 1)) {
    throw new UsageError(`coordinate descent: need tol ≥ 0 and maxIter ≥ 1, got ${settings.tol} and ${settings.maxIter}`);
  }
  const updates = options.updates ?? 'auto';
  const covariance = updates === 'covariance';
  const gram = covariance ? new GramColumns(X) : undefined;
  return solveByColumn(X.d, Y, options.onIteration, (col, y, observe) => {
    const xty = X.tmatvec(y);
    if (columnLambdaMax(xty, X.n) <= lambda) {
      return { w: new Float64Array(X.d), nIter: 0, gap: 0, converged: true }; // V = 0 is optimal, its gap exactly 0
    }
    const w = initialColumn(options.coefInit, X.d, col);
    const res = gram ? solveCovariance(X, y, w, lambda, settings, gram, xty, observe) : solveResidual(X, y, w, lambda, settings, observe);
    return { w, ...res };
  });
}
