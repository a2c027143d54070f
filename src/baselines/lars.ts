/**
 * Least angle regression with the lasso modification (Efron, Hastie, Johnstone & Tibshirani 2004,
 * "Least angle regression", §3.1), followed from λ_max down to a given λ of the objective P in
 * `lasso_objective.ts`; the coefficients are returned at λ exactly.
 *
 * Along the path the active features A all have |x_jᵀr| = C = Nλ(path) and sign s_j. Each step:
 *   q = G_A⁻¹ s_A,  A_A = (s_Aᵀq)^(−1/2),  δ = A_A·q  (coefficient direction),  u = X_A δ,  a = Xᵀu,
 * so moving the coefficients by γδ lowers every active correlation to C − γA_A and changes an inactive
 * one to c_j − γa_j. The step γ is the smallest of
 *   - a new feature catching up:      min⁺ over j ∉ A of (C − c_j)/(A_A − a_j), (C + c_j)/(A_A + a_j);
 *   - an active coefficient crossing zero (the lasso modification: it is dropped): min⁺ −w_j/δ_j;
 *   - the target:                     (C − Nλ)/A_A, which interpolates the last segment exactly.
 * G_A = X_AᵀX_A is kept as an updatable Cholesky factor (`cholesky.ts`). A feature that is numerically
 * in the span of the active ones (possible once |A| approaches N) is skipped for the rest of the path.
 * For m > 1 each output column follows its own path.
 */
import { UsageError } from '../errors';
import { CholeskyFactor } from './cholesky';
import { checkLassoArgs, columnGapParts, columnLambdaMax, gapFromParts, type IterationObserver, LassoSolution, solveByColumn } from './lasso_objective';
import { asDesign, axpyAt, Design, DesignInput, dotAt, Matrix } from '../numeric/matrix';

/** Options of `lars`. */
export interface LarsOptions {
  /** Cap on path steps (additions plus drops) per column. Default 8·min(N, d) + 100. */
  maxSteps?: number;
  /**
   * Called with the path's coefficients after every step (a scratch copy: the path keeps only the
   * active ones) and with each column's result (see `IterationObserver`).
   */
  onIteration?: IterationObserver;
}

interface PathResult {
  w: Float64Array;
  steps: number;
  /** Whether the path reached λ (false: `maxSteps` ran out). */
  reached: boolean;
}

function larsColumn(X: Design, y: Float64Array, lambda: number, maxSteps: number, observe?: (w: Float64Array) => void): PathResult {
  const { n, d, columns, colSq } = X;
  const nl = n * lambda;
  const w = new Float64Array(d);
  const c = X.tmatvec(y); // correlations Xᵀr, r = y − Xw
  let C = 0;
  let first = -1;
  for (let j = 0; j < d; j++) {
    if (Math.abs(c[j]) > C) {
      C = Math.abs(c[j]);
      first = j;
    }
  }
  if (columnLambdaMax(c, n) <= lambda) return { w, steps: 0, reached: true };

  const maxActive = Math.min(n, d);
  const active = new Int32Array(maxActive); // feature of each slot, in Cholesky order
  const sign = new Float64Array(maxActive);
  const coefA = new Float64Array(maxActive);
  const dir = new Float64Array(maxActive);
  const inActive = new Uint8Array(d);
  const skipped = new Uint8Array(d);
  for (let j = 0; j < d; j++) if (colSq[j] === 0) skipped[j] = 1;
  const chol = new CholeskyFactor(Math.min(maxActive, 64));
  const gramRow = new Float64Array(maxActive);
  let k = 0;

  const add = (j: number): void => {
    for (let t = 0; t < k; t++) gramRow[t] = dotAt(columns, active[t] * n, columns, j * n, n);
    if (!chol.append(gramRow, colSq[j])) {
      skipped[j] = 1;
      return;
    }
    active[k] = j;
    sign[k] = Math.sign(c[j]);
    coefA[k] = 0;
    inActive[j] = 1;
    k++;
  };
  const drop = (t: number): number => {
    const j = active[t];
    chol.remove(t);
    active.copyWithin(t, t + 1, k);
    sign.copyWithin(t, t + 1, k);
    coefA.copyWithin(t, t + 1, k);
    inActive[j] = 0;
    k--;
    return j;
  };

  add(first);
  const u = new Float64Array(n);
  const a = new Float64Array(d);
  let justDropped = -1;
  let steps = 0;
  let scratch: Float64Array | undefined; // what `observe` sees; w stays zero until the end
  while (steps < maxSteps) {
    steps++;
    const q = chol.solve(sign.subarray(0, k));
    let sq = 0;
    for (let t = 0; t < k; t++) sq += sign[t] * q[t];
    const AA = 1 / Math.sqrt(sq);
    u.fill(0);
    for (let t = 0; t < k; t++) {
      dir[t] = AA * q[t];
      axpyAt(dir[t], columns, active[t] * n, u, 0, n);
    }

    let gamma = (C - nl) / AA;
    let event: 'stop' | 'enter' | 'drop' = 'stop';
    let which = -1;
    // a_j = x_jᵀu, needed for the inactive features only (an active one has a_j = s_j·A_A).
    for (let j = 0; j < d; j++) {
      if (inActive[j] || skipped[j]) continue;
      const aj = dotAt(columns, j * n, u, 0, n);
      a[j] = aj;
      if (k === maxActive || j === justDropped) continue;
      const d1 = AA - aj;
      if (d1 > 0) {
        const g1 = (C - c[j]) / d1;
        if (g1 > 0 && g1 < gamma) {
          gamma = g1;
          event = 'enter';
          which = j;
        }
      }
      const d2 = AA + aj;
      if (d2 > 0) {
        const g2 = (C + c[j]) / d2;
        if (g2 > 0 && g2 < gamma) {
          gamma = g2;
          event = 'enter';
          which = j;
        }
      }
    }
    for (let t = 0; t < k; t++) {
      if (dir[t] === 0) continue;
      const g0 = -coefA[t] / dir[t];
      if (g0 > 0 && g0 < gamma) {
        gamma = g0;
        event = 'drop';
        which = t;
      }
    }

    for (let t = 0; t < k; t++) coefA[t] += gamma * dir[t];
    for (let j = 0; j < d; j++) if (!inActive[j] && !skipped[j]) c[j] -= gamma * a[j];
    C -= gamma * AA;
    for (let t = 0; t < k; t++) c[active[t]] = sign[t] * C;
    justDropped = -1;

    if (event === 'stop') {
      for (let t = 0; t < k; t++) w[active[t]] = coefA[t];
      return { w, steps, reached: true };
    }
    if (event === 'drop') {
      coefA[which] = 0;
      justDropped = drop(which);
    } else {
      add(which);
    }
    if (observe) {
      scratch ??= new Float64Array(d);
      scratch.fill(0);
      for (let t = 0; t < k; t++) scratch[active[t]] = coefA[t];
      observe(scratch);
    }
  }
  for (let t = 0; t < k; t++) w[active[t]] = coefA[t];
  return { w, steps, reached: false };
}

/**
 * Solves the lasso P(V) at λ by following the LARS–lasso path, column by column. `gap` is the duality
 * gap of the result (round-off only, when `converged`); `converged: false` means `maxSteps` ran out.
 */
export function lars(Xin: DesignInput, Y: Matrix, lambda: number, options: LarsOptions = {}): LassoSolution {
  const X = asDesign(Xin);
  checkLassoArgs(X, Y, lambda);
  const maxSteps = options.maxSteps ?? 8 * Math.min(X.n, X.d) + 100;
  if (!(maxSteps >= 1)) throw new UsageError(`lars: maxSteps must be ≥ 1, got ${maxSteps}`);
  return solveByColumn(X.d, Y, options.onIteration, (_col, y, observe) => {
    const res = larsColumn(X, y, lambda, maxSteps, observe);
    return { w: res.w, nIter: res.steps, gap: gapFromParts(columnGapParts(X, y, res.w), X.n, lambda), converged: res.reached };
  });
}
