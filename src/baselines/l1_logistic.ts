/**
 * L1-penalised multinomial logistic regression without intercept — the linear baseline a user would
 * run in scikit-learn or glmnet, and the convex problem spred-linear solves by reparametrisation:
 *
 *     F(V) = (1/N) Σ_i [log Σ_c exp(x_iᵀV_c) − x_iᵀV_{y_i}]  +  2κ Σ_j ‖V_j,:‖₂
 *
 * X is N×d, V is d×C (row j = gene j's weights for the C classes). The penalty is the group lasso with
 * one group per feature (row), so a feature is in or out of the model for every class at once; it is
 * what κ(‖U‖² + ‖W‖²) equals at a minimum of the spred form (U⊙x)·W = x·(diag(U)·W) (Theorem 3), hence
 * the same κ. Other tools: glmnet `family = "multinomial", type.multinomial = "grouped", alpha = 1,
 * intercept = FALSE, standardize = FALSE` with `lambda` = 2κ; scikit-learn has no grouped multinomial
 * penalty (its `penalty="l1"` is elementwise, and its `C` = 1/(N·λ)).
 *
 * Solved by FISTA with backtracking (`fistaComposite`); the prox is group soft-thresholding
 * V_j ← V_j·max(0, 1 − 2κ·step/‖V_j‖₂), so unselected features are exactly 0.
 */
import { UsageError } from '../errors';
import { fistaComposite, type CompositeOptions, type CompositeProblem, type CompositeResult } from './fista';

/** The training data of a multinomial problem: X sample-major, labels in 0..classes−1. */
export interface LogisticData {
  /** N×d, row-major. */
  x: ArrayLike<number>;
  n: number;
  d: number;
  labels: ArrayLike<number>;
  classes: number;
}

function checkData(data: LogisticData): void {
  const { x, n, d, labels, classes } = data;
  if (x.length !== n * d) throw new UsageError(`l1Logistic: x has ${x.length} values, expected N·d = ${n}·${d}`);
  if (labels.length !== n) throw new UsageError(`l1Logistic: ${labels.length} labels for ${n} samples`);
  if (!(classes >= 2)) throw new UsageError(`l1Logistic: need at least 2 classes, got ${classes}`);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (!(Number.isInteger(l) && l >= 0 && l < classes)) throw new UsageError(`l1Logistic: label ${l} of sample ${i} is not in 0..${classes - 1}`);
  }
}

/** The mean multinomial cross-entropy of V (d×C, row-major); writes its gradient into `grad` when given. */
export function multinomialLoss(data: LogisticData, v: ArrayLike<number>, grad?: Float64Array): number {
  const { x, n, d, labels, classes: C } = data;
  const logits = new Float64Array(C);
  if (grad) grad.fill(0);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    logits.fill(0);
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const xij = x[o + j];
      if (xij === 0) continue;
      const r = j * C;
      for (let c = 0; c < C; c++) logits[c] += xij * v[r + c];
    }
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, logits[c]);
    let s = 0;
    for (let c = 0; c < C; c++) s += Math.exp(logits[c] - max);
    const lse = max + Math.log(s);
    loss += lse - logits[labels[i]];
    if (grad) {
      // ∂/∂logit_c = p_c − [c = y_i]; reuse `logits` for it.
      for (let c = 0; c < C; c++) logits[c] = Math.exp(logits[c] - lse) / n;
      logits[labels[i]] -= 1 / n;
      for (let j = 0; j < d; j++) {
        const xij = x[o + j];
        if (xij === 0) continue;
        const r = j * C;
        for (let c = 0; c < C; c++) grad[r + c] += xij * logits[c];
      }
    }
  }
  return loss / n;
}

/** ‖V_j,:‖₂ for every row j of V (d×C). */
export function rowNorms(v: ArrayLike<number>, d: number, C: number): Float64Array {
  const out = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += v[j * C + c] ** 2;
    out[j] = Math.sqrt(s);
  }
  return out;
}

/** F(V) above: mean cross-entropy + 2κ Σ_j ‖V_j,:‖₂. */
export function groupLogisticObjective(data: LogisticData, v: ArrayLike<number>, kappa: number): number {
  const norms = rowNorms(v, data.d, data.classes);
  let pen = 0;
  for (const x of norms) pen += x;
  return multinomialLoss(data, v) + 2 * kappa * pen;
}

/** The smallest κ at which V = 0 is optimal: max_j ‖∇_j f(0)‖₂ / 2. */
export function kappaMax(data: LogisticData): number {
  checkData(data);
  const g = new Float64Array(data.d * data.classes);
  multinomialLoss(data, new Float64Array(data.d * data.classes), g);
  return Math.max(...rowNorms(g, data.d, data.classes)) / 2;
}

/** Options of `l1Logistic`: those of `fistaComposite` plus a warm start. */
export interface L1LogisticOptions extends CompositeOptions {
  /** Initial V, d×C row-major. Default zeros. */
  init?: ArrayLike<number>;
}

export interface L1LogisticResult extends CompositeResult {
  /** V, d×C row-major (the same array as `x`). */
  coef: Float64Array;
  /** ‖V_j,:‖₂ per feature (0 exactly for features out of the model). */
  norms: Float64Array;
}

/** Minimises F(V) by FISTA; check `converged` (false: `maxIter` reached with `optimality` above `tol`). */
export function l1Logistic(data: LogisticData, kappa: number, options: L1LogisticOptions = {}): L1LogisticResult {
  checkData(data);
  if (!(kappa >= 0)) throw new UsageError(`l1Logistic: κ must be ≥ 0, got ${kappa}`);
  const { d, classes: C } = data;
  const problem: CompositeProblem = {
    size: d * C,
    smooth: (v, grad) => multinomialLoss(data, v, grad),
    penalty: (v) => 2 * kappa * rowNorms(v, d, C).reduce((a, b) => a + b, 0),
    prox: (z, step, out) => {
      const t = 2 * kappa * step;
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let c = 0; c < C; c++) s += z[j * C + c] ** 2;
        const norm = Math.sqrt(s);
        const scale = norm > t ? 1 - t / norm : 0;
        for (let c = 0; c < C; c++) out[j * C + c] = z[j * C + c] * scale;
      }
    },
  };
  const x0 = options.init ? Float64Array.from(options.init) : new Float64Array(d * C);
  const res = fistaComposite(problem, x0, options);
  return { ...res, coef: res.x, norms: rowNorms(res.x, d, C) };
}
