/**
 * Non-negative LARS ("nlars"): the path of the non-negative lasso
 *   min_β ½‖y − Xβ‖² + λ·Σ_j β_j   subject to β ≥ 0
 * from λ = max_j x_jᵀy down, as in Mørup, Madsen & Hansen (2008), "Approximation of the lasso and
 * elastic net by non-negative least angle regression" — the solver pyHSICLasso's `nlars.py` ports and
 * HSIC Lasso (Yamada et al. 2014) uses to rank features.
 *
 * Along the path every active feature has correlation c_j = x_jᵀr = C (= λ) and β_j > 0; every other
 * feature has c_j ≤ C. Each step, with G_A = X_AᵀX_A and w = G_A⁻¹·1 (coefficient direction) and
 * a = Xᵀ(X_A w) (so a_j = 1 on A), moving β_A by γw lowers C and every active c_j by γ and an inactive
 * c_j by γa_j. The step γ is the smallest positive of
 *   - an inactive feature catching up from below (only positive correlations count: β ≥ 0):
 *         (C − c_j)/(1 − a_j);
 *   - an active coefficient reaching zero (it is dropped, the lasso modification):  −β_j/w_j;
 *   - the end of the path, C reaching 0 (β is then the non-negative least-squares fit on A):  C.
 * Steps ≤ `minStep` (pyHSICLasso: 1e-9) are ignored, as there; a feature dropped in the previous step
 * cannot re-enter at once (its c_j equals C up to round-off).
 *
 * Only Gram columns Xᵀx_j of features that enter are needed (plus Xᵀy), so X is reached through a
 * `GramOracle`: HSIC Lasso's design is too large to store at gene-expression sizes and computes each
 * Gram column by one pass over its features (`hsic_lasso.ts`). Each column is asked for at most once.
 * c is updated incrementally (c ← c − γa), where pyHSICLasso recomputes Xᵀ(y − Xβ) each step; the two
 * agree up to round-off. G_A is kept as an updatable Cholesky factor (`cholesky.ts`); a feature
 * numerically in the span of the active ones is skipped for the rest of the path.
 *
 * Stopping (as pyHSICLasso): when a (k+1)-th feature would enter, β is the path's value at that
 * breakpoint, and the k active features are returned ordered by β, largest first.
 */
import { UsageError } from '../errors';
import { CholeskyFactor } from './cholesky';
import { Design } from '../numeric/matrix';

/** Access to a design through its Gram matrix: Xᵀy and the columns Xᵀx_j. */
export interface GramOracle {
  /** Number of features. */
  readonly d: number;
  /** Xᵀy, length d. */
  readonly xty: Float64Array;
  /** Xᵀx_j, length d (entry j is ‖x_j‖²). Called once per feature that enters. */
  gramColumn(j: number): Float64Array;
}

/** Options of `nonnegLars`. */
export interface NonnegLarsOptions {
  /** Step lengths ≤ this are not events, and the path ends when C < this. Default 1e-9 (pyHSICLasso). */
  minStep?: number;
  /** Cap on steps (additions plus drops). Default 8·k + 100. */
  maxSteps?: number;
}

/** The path at one breakpoint: the non-negative lasso solution at λ. */
export interface NonnegLarsBreakpoint {
  /** λ = C, the correlation x_jᵀr shared by the active features. */
  lambda: number;
  /** The active features after the step (those with β_j > 0), in entry order. */
  features: number[];
  /** Their coefficients. */
  coef: number[];
}

/** Result of `nonnegLars`. */
export interface NonnegLarsResult {
  /** The active features at the end, ordered by coefficient, largest first (pyHSICLasso's `A`). */
  selected: number[];
  /** Their coefficients β (pyHSICLasso's `get_index_score`). */
  coef: number[];
  /** The same features in the order they (last) entered the active set. */
  entryOrder: number[];
  /** All d coefficients. */
  beta: Float64Array;
  /** Breakpoints from λ_max (β = 0) to the end, one per step. */
  path: NonnegLarsBreakpoint[];
  /** Steps taken (additions plus drops). */
  steps: number;
  /** `k`: a (k+1)-th feature was about to enter; `end`: C reached 0; `maxSteps`: the cap ran out. */
  stop: 'k' | 'end' | 'maxSteps';
}

/**
 * Non-negative LARS to the top `k` features (see the module comment). `k` ≥ 1; fewer are returned when
 * the path ends first (no feature with positive correlation left).
 */
export function nonnegLars(oracle: GramOracle, k: number, options: NonnegLarsOptions = {}): NonnegLarsResult {
  const { d, xty } = oracle;
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`nonnegLars: k must be a positive integer, got ${k}`);
  if (xty.length !== d) throw new UsageError(`nonnegLars: Xᵀy has length ${xty.length}, expected ${d}`);
  const minStep = options.minStep ?? 1e-9;
  const maxSteps = options.maxSteps ?? 8 * k + 100;
  if (!(maxSteps >= 1)) throw new UsageError(`nonnegLars: maxSteps must be ≥ 1, got ${maxSteps}`);

  const beta = new Float64Array(d);
  const c = Float64Array.from(xty); // c = Xᵀ(y − Xβ)
  const gram = new Map<number, Float64Array>();
  const gramOf = (j: number): Float64Array => {
    let g = gram.get(j);
    if (!g) {
      g = oracle.gramColumn(j);
      if (g.length !== d) throw new UsageError(`nonnegLars: Gram column ${j} has length ${g.length}, expected ${d}`);
      gram.set(j, g);
    }
    return g;
  };

  const active: number[] = []; // entry order = Cholesky order
  const inActive = new Uint8Array(d);
  const skipped = new Uint8Array(d);
  const chol = new CholeskyFactor(Math.min(k + 1, 64));
  const path: NonnegLarsBreakpoint[] = [];
  const record = (C: number): void => {
    path.push({ lambda: C, features: active.slice(), coef: active.map((j) => beta[j]) });
  };
  const add = (j: number): void => {
    const g = gramOf(j);
    if (!chol.append(active.map((t) => g[t]), g[j])) {
      skipped[j] = 1;
      return;
    }
    active.push(j);
    inActive[j] = 1;
  };

  let C = -Infinity;
  let first = -1;
  for (let j = 0; j < d; j++) {
    if (c[j] > C) {
      C = c[j];
      first = j;
    }
  }
  const done = (stop: NonnegLarsResult['stop'], steps: number): NonnegLarsResult => {
    const entryOrder = active.slice();
    // Stable sort: equal coefficients keep entry order, as Python's `sorted` does in pyHSICLasso.
    const selected = entryOrder.slice().sort((p, q) => beta[q] - beta[p]);
    return { selected, coef: selected.map((j) => beta[j]), entryOrder, beta, path, steps, stop };
  };
  if (!(C >= minStep)) return done('end', 0);
  record(C); // β = 0 at λ_max
  add(first);

  const a = new Float64Array(d);
  const ones = new Float64Array(k + 1).fill(1);
  let justDropped = -1;
  let steps = 0;
  while (steps < maxSteps) {
    if (active.length === 0) {
      // Only reachable when every candidate was skipped as collinear.
      return done('end', steps);
    }
    if (!(C >= minStep)) return done('end', steps);
    steps++;
    const nA = active.length;
    const w = chol.solve(ones.length >= nA ? ones.subarray(0, nA) : new Float64Array(nA).fill(1));
    a.fill(0);
    for (let t = 0; t < nA; t++) {
      const g = gramOf(active[t]);
      const wt = w[t];
      for (let j = 0; j < d; j++) a[j] += wt * g[j];
    }

    let gamma = Infinity;
    let event: 'enter' | 'drop' | 'end' = 'end';
    let which = -1;
    for (let j = 0; j < d; j++) {
      if (inActive[j] || skipped[j] || j === justDropped) continue;
      const g1 = (C - c[j]) / (1 - a[j]);
      if (g1 > minStep && g1 < gamma) {
        gamma = g1;
        event = 'enter';
        which = j;
      }
    }
    for (let t = 0; t < nA; t++) {
      const g2 = -beta[active[t]] / w[t];
      if (g2 > minStep && g2 < gamma) {
        gamma = g2;
        event = 'drop';
        which = t;
      }
    }
    if (C > minStep && C < gamma) {
      gamma = C;
      event = 'end';
    }
    if (gamma === Infinity) return done('end', steps - 1);

    for (let t = 0; t < nA; t++) beta[active[t]] += gamma * w[t];
    for (let j = 0; j < d; j++) c[j] -= gamma * a[j];
    C -= gamma;
    for (let t = 0; t < nA; t++) c[active[t]] = C;
    justDropped = -1;

    if (event === 'drop') {
      const j = active[which];
      beta[j] = 0;
      chol.remove(which);
      active.splice(which, 1);
      inActive[j] = 0;
      justDropped = j;
    } else if (event === 'end') {
      C = 0;
    }
    record(C);
    if (event === 'end') return done('end', steps);
    if (event === 'enter') {
      if (active.length === k) return done('k', steps);
      add(which);
    }
  }
  return done('maxSteps', steps);
}

/** A `GramOracle` over an explicit design X (N×d) and response y: Gram columns are computed on demand. */
export function designGramOracle(X: Design, y: Float64Array): GramOracle {
  if (y.length !== X.n) throw new UsageError(`designGramOracle: y has length ${y.length}, X has ${X.n} rows`);
  const col = new Float64Array(X.n);
  return {
    d: X.d,
    xty: X.tmatvec(y),
    gramColumn(j: number): Float64Array {
      col.set(X.columns.subarray(j * X.n, (j + 1) * X.n));
      return X.tmatvec(col);
    },
  };
}
