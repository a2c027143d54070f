/**
 * FISTA (Beck & Teboulle 2009, "A fast iterative shrinkage-thresholding algorithm for linear inverse
 * problems") for the lasso P(V) of `lasso_objective.ts`, one output column at a time.
 *
 * With f(w) = 1/(2N)·‖y − Xw‖², ∇f(w) = −Xᵀ(y − Xw)/N, and a step 1/L:
 *   x_k = S_{λ/L}(y_k − ∇f(y_k)/L),   t_{k+1} = (1 + √(1 + 4t_k²))/2,
 *   y_{k+1} = x_k + ((t_k − 1)/t_{k+1})·(x_k − x_{k−1}).
 * The global Lipschitz constant of ∇f is σ_max(X)²/N; instead of paying for it up front, L starts
 * from a lower bound (max_j ‖x_j‖²/N, or a power-iteration estimate) and each step checks Beck &
 * Teboulle's sufficient-decrease condition, which for this quadratic f reads
 * ‖X(x_k − y_k)‖²/N ≤ L·‖x_k − y_k‖²; L grows by 1.25× until it holds (their backtracking variant,
 * which keeps the O(1/k²) guarantee).
 * With `restart` (default), the momentum resets whenever (y_k − x_k)ᵀ(x_k − x_{k−1}) > 0 (the gradient
 * scheme of O'Donoghue & Candès 2015), which gives linear convergence once the support settles.
 *
 * Cost per iteration: one Xᵀ·(N-vector), O(Nd), plus X·x_k and X·(x_k − y_k) over their non-zeros. Every `gapEvery`
 * iterations the duality gap of x_k is computed (another O(Nd)); the column stops when
 * gap ≤ tol·‖y‖²/N, the rule of `coordinate_descent.ts`.
 */
import { UsageError } from '../errors';
import { checkLassoArgs, columnLambdaMax, gapFromParts, initialColumn, type IterationObserver, LassoSolution, solveByColumn } from './lasso_objective';
import { asDesign, Design, DesignInput, dotAt, Matrix, sumSq } from '../numeric/matrix';
import { Xoshiro128 } from '../numeric/prng';

/** Options of `fista`. */
export interface FistaOptions {
  /** Stop a column when its duality gap ≤ tol·‖y‖²/N. Default 1e-4. */
  tol?: number;
  /** Cap on iterations per column; a column that hits it reports `converged: false`. Default 20000. */
  maxIter?: number;
  /** Reset the momentum when it points uphill (O'Donoghue & Candès). Default true. */
  restart?: boolean;
  /** Compute the duality gap every this many iterations. Default 10. */
  gapEvery?: number;
  /**
   * Initial Lipschitz constant L of ∇f, raised by backtracking whenever the sufficient-decrease test
   * fails: a number, `power` (the power-iteration estimate of σ_max(X)²/N, `lipschitzConstant`), or
   * `backtracking` (max_j ‖x_j‖²/N, a lower bound of σ_max(X)²/N, so L only grows as far as the
   * iterates need). Default `backtracking`: on N = 1000, d = 10⁴ the power iteration alone costs
   * more than the whole solve.
   */
  lipschitz?: number | 'power' | 'backtracking';
  /** Warm start: initial coefficients, d×m. Default zeros. */
  coefInit?: Matrix;
  /** Called with x_k after every step and with each column's result (see `IterationObserver`). */
  onIteration?: IterationObserver;
}

/** Options of `lipschitzConstant`. */
export interface PowerIterationOptions {
  /** Cap on power iterations. Default 100. */
  maxIter?: number;
  /** Stop when the eigenvalue estimate changes by ≤ tol (relative). Default 1e-6. */
  tol?: number;
  /** Seed of the random start vector. Default 0. */
  seed?: number;
}

/**
 * The largest eigenvalue of XᵀX/N (the Lipschitz constant of ∇f) by power iteration from a random
 * start. The estimate is a Rayleigh quotient, so it is at most the true value.
 */
export function lipschitzConstant(Xin: DesignInput, options: PowerIterationOptions = {}): number {
  const X = asDesign(Xin);
  const maxIter = options.maxIter ?? 100;
  const tol = options.tol ?? 1e-6;
  const rng = new Xoshiro128(options.seed ?? 0);
  let v: Float64Array = new Float64Array(X.d);
  for (let j = 0; j < X.d; j++) v[j] = rng.normal();
  let norm = Math.sqrt(sumSq(v));
  if (norm === 0) return 0;
  for (let j = 0; j < X.d; j++) v[j] /= norm;
  const Xv = new Float64Array(X.n);
  let estimate = 0;
  for (let it = 0; it < maxIter; it++) {
    X.matvec(v, Xv);
    const next = sumSq(Xv) / X.n; // vᵀ(XᵀX/N)v with ‖v‖ = 1
    v = X.tmatvec(Xv, v);
    norm = Math.sqrt(sumSq(v));
    if (norm === 0) return 0;
    for (let j = 0; j < X.d; j++) v[j] /= norm;
    const done = Math.abs(next - estimate) <= tol * next;
    estimate = next;
    if (done) break;
  }
  return estimate;
}

interface FistaSettings {
  tol: number;
  maxIter: number;
  restart: boolean;
  gapEvery: number;
}

interface ColumnResult {
  nIter: number;
  gap: number;
  converged: boolean;
  /** The Lipschitz constant after backtracking, handed on to the next column. */
  L: number;
}

function fistaColumn(
  X: Design,
  y: Float64Array,
  x0: Float64Array,
  lambda: number,
  L0: number,
  s: FistaSettings,
  observe?: (w: Float64Array) => void,
): ColumnResult {
  const { n, d } = X;
  let L = L0 > 0 ? L0 : 1;
  let x = x0; // x_{k−1}
  let Xx = X.matvec(x);
  const yv = x.slice(); // the extrapolated point y_k
  const Xy = Xx.slice();
  let xn: Float64Array = new Float64Array(d);
  let Xxn: Float64Array = new Float64Array(n);
  const r = new Float64Array(n);
  const grad = new Float64Array(d); // Xᵀ(y − X·y_k) = −N·∇f(y_k)
  const diff = new Float64Array(d); // x_k − y_k
  const Xdiff = new Float64Array(n);
  const yy = sumSq(y);
  const tolGap = (s.tol * yy) / n;
  let t = 1;
  let gap = Number.POSITIVE_INFINITY;

  const gapAt = (w: Float64Array, Xw: Float64Array): number => {
    let l1 = 0;
    for (let i = 0; i < n; i++) r[i] = y[i] - Xw[i];
    const ry = dotAt(r, 0, y, 0, n);
    for (let j = 0; j < d; j++) l1 += Math.abs(w[j]);
    X.tmatvec(r, grad);
    let dualNorm = 0;
    for (let j = 0; j < d; j++) dualNorm = Math.max(dualNorm, Math.abs(grad[j]));
    return gapFromParts({ rr: sumSq(r), ry, l1, dualNorm }, n, lambda);
  };

  for (let it = 1; it <= s.maxIter; it++) {
    for (let i = 0; i < n; i++) r[i] = y[i] - Xy[i];
    X.tmatvec(r, grad);
    for (;;) {
      const step = 1 / (n * L);
      const thr = lambda / L;
      for (let j = 0; j < d; j++) {
        const z = yv[j] + step * grad[j];
        const v = z > thr ? z - thr : z < -thr ? z + thr : 0;
        xn[j] = v;
        diff[j] = v - yv[j];
      }
      // ‖X(x_k − y_k)‖² from the difference itself, not from X·x_k − X·y_k: no cancellation, so
      // the test cannot fail on round-off once L is large enough.
      X.matvec(diff, Xdiff);
      if (sumSq(Xdiff) <= n * L * sumSq(diff) * (1 + 1e-12)) break;
      L *= 1.25;
    }
    X.matvec(xn, Xxn);
    let uphill = 0;
    if (s.restart) for (let j = 0; j < d; j++) uphill += (yv[j] - xn[j]) * (xn[j] - x[j]);
    if (uphill > 0) t = 1;
    const tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const beta = (t - 1) / tn;
    for (let j = 0; j < d; j++) yv[j] = xn[j] + beta * (xn[j] - x[j]);
    for (let i = 0; i < n; i++) Xy[i] = Xxn[i] + beta * (Xxn[i] - Xx[i]);
    [x, xn] = [xn, x];
    [Xx, Xxn] = [Xxn, Xx];
    t = tn;
    observe?.(x);
    if (it % s.gapEvery === 0 || it === s.maxIter) {
      gap = gapAt(x, Xx);
      if (gap <= tolGap) {
        x0.set(x);
        return { nIter: it, gap, converged: true, L };
      }
    }
  }
  x0.set(x);
  return { nIter: s.maxIter, gap, converged: false, L };
}

/**
 * Minimises P(V) = 1/(2N)·‖Y − XV‖²_F + λ‖V‖₁ by FISTA, column by column.
 * `converged: false` means some column hit `maxIter`; its gap is in `gap` and the caller should warn.
 */
export function fista(Xin: DesignInput, Y: Matrix, lambda: number, options: FistaOptions = {}): LassoSolution {
  const X = asDesign(Xin);
  checkLassoArgs(X, Y, lambda, options.coefInit);
  const settings: FistaSettings = {
    tol: options.tol ?? 1e-4,
    maxIter: options.maxIter ?? 20000,
    restart: options.restart ?? true,
    gapEvery: options.gapEvery ?? 10,
  };
  if (!(settings.tol >= 0) || !(settings.maxIter >= 1) || !(settings.gapEvery >= 1)) {
    throw new UsageError('fista: need tol ≥ 0, maxIter ≥ 1 and gapEvery ≥ 1');
  }
  const start = options.lipschitz ?? 'backtracking';
  let L = typeof start === 'number' ? start : 0; // 0: computed when a column first needs it
  return solveByColumn(X.d, Y, options.onIteration, (col, y, observe) => {
    if (columnLambdaMax(X.tmatvec(y), X.n) <= lambda) return { w: new Float64Array(X.d), nIter: 0, gap: 0, converged: true };
    const w = initialColumn(options.coefInit, X.d, col);
    if (L === 0) L = start === 'power' ? lipschitzConstant(X) : X.colSq.reduce((a, b) => Math.max(a, b), 0) / X.n;
    const res = fistaColumn(X, y, w, lambda, L, settings, observe);
    L = res.L; // handed on to the next column
    return { w, ...res };
  });
}

/**
 * A composite problem min_x f(x) + g(x) for `fistaComposite`: f smooth (its gradient Lipschitz), g
 * convex with a cheap proximal map. Coordinates are one flat Float64Array (a d×m matrix row-major).
 */
export interface CompositeProblem {
  /** Length of x. */
  readonly size: number;
  /** f(x); also writes ∇f(x) into `grad` when it is given. */
  smooth(x: Float64Array, grad?: Float64Array): number;
  /** g(x). */
  penalty(x: Float64Array): number;
  /** Writes prox_{step·g}(z) = argmin_x g(x) + ‖x − z‖²/(2·step) into `out`. */
  prox(z: Float64Array, step: number, out: Float64Array): void;
}

/** Options of `fistaComposite`. */
export interface CompositeOptions {
  /**
   * Stop when the gradient mapping at the extrapolated point, L·‖y_k − x_k‖₂ (zero exactly at a
   * minimiser: the norm of the smallest subgradient there as L → ∞), is at most this. Default 1e-6.
   */
  tol?: number;
  /** Cap on iterations; hitting it reports `converged: false`. Default 20000. */
  maxIter?: number;
  /** O'Donoghue & Candès' gradient restart, as in `fista`. Default true. */
  restart?: boolean;
  /** Initial L (raised ×2 by backtracking, lowered ×0.9 before each step so it can follow the local curvature). Default 1. */
  lipschitz?: number;
}

/** What `fistaComposite` returns. */
export interface CompositeResult {
  x: Float64Array;
  /** f(x) + g(x). */
  objective: number;
  nIter: number;
  /** The last gradient-mapping norm L·‖y_k − x_k‖₂. */
  optimality: number;
  converged: boolean;
  L: number;
}

/**
 * FISTA with backtracking (Beck & Teboulle 2009, FISTA with backtracking, §4) for a general smooth
 * f — the same scheme `fista` runs for the lasso's quadratic f, whose sufficient-decrease test is
 * specialised there. Here the test is the general one: f(x_k) ≤ f(y_k) + ∇f(y_k)ᵀ(x_k − y_k) + L/2‖x_k − y_k‖².
 */
export function fistaComposite(problem: CompositeProblem, x0: Float64Array, options: CompositeOptions = {}): CompositeResult {
  const size = problem.size;
  if (x0.length !== size) throw new UsageError(`fistaComposite: x0 has ${x0.length} values, the problem ${size}`);
  const tol = options.tol ?? 1e-6;
  const maxIter = options.maxIter ?? 20000;
  const restart = options.restart ?? true;
  let L = options.lipschitz ?? 1;
  if (!(tol >= 0) || !(maxIter >= 1) || !(L > 0)) throw new UsageError('fistaComposite: need tol ≥ 0, maxIter ≥ 1 and lipschitz > 0');
  let x = x0.slice(); // x_{k−1}
  let xn = new Float64Array(size);
  const y = x0.slice();
  const grad = new Float64Array(size);
  const z = new Float64Array(size);
  let t = 1;
  let optimality = Infinity;
  for (let it = 1; it <= maxIter; it++) {
    const fy = problem.smooth(y, grad);
    L *= 0.9;
    let sq = 0;
    for (;;) {
      for (let j = 0; j < size; j++) z[j] = y[j] - grad[j] / L;
      problem.prox(z, 1 / L, xn);
      let lin = 0;
      sq = 0;
      for (let j = 0; j < size; j++) {
        const dj = xn[j] - y[j];
        lin += grad[j] * dj;
        sq += dj * dj;
      }
      const fx = problem.smooth(xn);
      // Relative slack for round-off once the step is tiny.
      if (fx <= fy + lin + (L / 2) * sq + 1e-15 * Math.abs(fy)) break;
      L *= 2;
    }
    optimality = L * Math.sqrt(sq);
    let uphill = 0;
    if (restart) for (let j = 0; j < size; j++) uphill += (y[j] - xn[j]) * (xn[j] - x[j]);
    if (uphill > 0) t = 1;
    const tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const beta = (t - 1) / tn;
    for (let j = 0; j < size; j++) y[j] = xn[j] + beta * (xn[j] - x[j]);
    [x, xn] = [xn, x];
    t = tn;
    if (optimality <= tol) {
      return { x, objective: problem.smooth(x) + problem.penalty(x), nIter: it, optimality, converged: true, L };
    }
  }
  return { x, objective: problem.smooth(x) + problem.penalty(x), nIter: maxIter, optimality, converged: false, L };
}
