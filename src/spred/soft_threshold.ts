/**
 * Closed-form lasso and group-lasso solutions on an orthogonal design, and the lasso objective and
 * optimality residual, in plain float64 (no tfjs).
 *
 * Normalisation (scikit-learn's `Lasso`): for X ∈ ℝ^{N×d} (row-major Float64Array, N = y.length,
 * d = V.length) and λ ≥ 0,
 *
 *     P(V) = 1/(2N)·‖y − XV‖² + λ‖V‖₁.
 *
 * If the columns are orthogonal, XᵀX = diag(c) with c_j = ‖X_j‖², P separates into
 * c_j/(2N)·V_j² − (X_jᵀy/N)·V_j + λ|V_j| and
 *
 *     V_j = S_{λN/c_j}(X_jᵀy / c_j),      S_t(z) = sign(z)·max(|z| − t, 0).
 *
 * With the usual orthonormal-times-√N design (XᵀX = N·I, every column of norm √N) this is
 * V = S_λ(Xᵀy/N). spred reaches it with κ = λ/2 (conventions.ts).
 *
 * The group lasso P_G(V) = 1/(2N)‖y − XV‖² + λ Σ_g ‖V_g‖₂ with XᵀX = N·I has
 * V_g = max(0, 1 − λ/‖z_g‖)·z_g, z = Xᵀy/N (the group soft threshold).
 */
import { lassoObjectiveFromResidual } from './lasso_objective';

function soft(z: number, t: number): number {
  if (z > t) return z - t;
  if (z < -t) return z + t;
  return 0;
}

/** S_t(z) = sign(z)·max(|z| − t, 0) for t ≥ 0: of a number, or elementwise of a vector (a new array). */
export function softThreshold(z: number, t: number): number;
export function softThreshold(z: ArrayLike<number>, t: number): Float64Array;
export function softThreshold(z: number | ArrayLike<number>, t: number): number | Float64Array {
  if (typeof z === 'number') return soft(z, t);
  const out = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) out[i] = soft(z[i], t);
  return out;
}

/** Rows N and columns d of a row-major design, checked against y (and V when given). */
function dims(x: ArrayLike<number>, y: ArrayLike<number>, v?: ArrayLike<number>): { n: number; d: number } {
  const n = y.length;
  if (n === 0) throw new RangeError('y is empty');
  const d = v ? v.length : x.length / n;
  if (!Number.isInteger(d) || x.length !== n * d) {
    throw new RangeError(`X has ${x.length} entries; expected N·d = ${n}·${v ? d : 'd'} (row-major, N = y.length)`);
  }
  return { n, d };
}

/** Xᵀr for row-major X [n, d]. */
function xtMul(x: ArrayLike<number>, r: ArrayLike<number>, n: number, d: number): Float64Array {
  const out = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const ri = r[i];
    if (ri === 0) continue;
    const row = i * d;
    for (let j = 0; j < d; j++) out[j] += x[row + j] * ri;
  }
  return out;
}

/** y − XV. */
function residual(x: ArrayLike<number>, y: ArrayLike<number>, v: ArrayLike<number>, n: number, d: number): Float64Array {
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * d;
    for (let j = 0; j < d; j++) s += x[row + j] * v[j];
    r[i] = y[i] - s;
  }
  return r;
}

/**
 * Column norms² c_j of X, after checking the columns are orthogonal: every |X_iᵀX_j| (i ≠ j) must be
 * ≤ tol·max_j c_j. Throws a RangeError naming the worst pair otherwise.
 */
export function orthogonalColumnNorms(x: ArrayLike<number>, n: number, d: number, tol = 1e-8): Float64Array {
  const c = new Float64Array(d);
  let worst = 0;
  let pair: [number, number] = [0, 0];
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i * d + a] * x[i * d + b];
      if (a === b) c[a] = s;
      else if (Math.abs(s) > worst) {
        worst = Math.abs(s);
        pair = [a, b];
      }
    }
  }
  const scale = Math.max(...c);
  if (worst > tol * scale) {
    throw new RangeError(`design columns ${pair[0]} and ${pair[1]} are not orthogonal: |X_iᵀX_j| = ${worst} > ${tol}·max‖X_j‖² = ${tol * scale}`);
  }
  return c;
}

/**
 * The exact minimiser of P(V) = 1/(2N)‖y − XV‖² + λ‖V‖₁ for a design with orthogonal columns:
 * V_j = S_{λN/c_j}(X_jᵀy/c_j), which is S_λ(Xᵀy/N) when XᵀX = N·I. Columns of zero norm get V_j = 0.
 */
export function lassoOrthogonal(x: ArrayLike<number>, y: ArrayLike<number>, lambda: number): Float64Array {
  if (!(lambda >= 0)) throw new RangeError(`lambda must be ≥ 0, got ${lambda}`);
  const { n, d } = dims(x, y);
  const c = orthogonalColumnNorms(x, n, d);
  const xty = xtMul(x, y, n, d);
  const v = new Float64Array(d);
  for (let j = 0; j < d; j++) v[j] = c[j] === 0 ? 0 : soft(xty[j] / c[j], (lambda * n) / c[j]);
  return v;
}

/**
 * Group soft threshold: V_g = max(0, 1 − t/‖z_g‖₂)·z_g for every group (a partition of the indices of z,
 * each group a list of indices). Entries in no group are copied unchanged.
 */
export function groupSoftThreshold(z: ArrayLike<number>, groups: readonly (readonly number[])[], t: number): Float64Array {
  const out = Float64Array.from(z);
  for (const g of groups) {
    let norm = 0;
    for (const i of g) norm += z[i] * z[i];
    norm = Math.sqrt(norm);
    const shrink = norm > t ? 1 - t / norm : 0;
    for (const i of g) out[i] = shrink * z[i];
  }
  return out;
}

/**
 * The exact minimiser of the group lasso 1/(2N)‖y − XV‖² + λ Σ_g ‖V_g‖₂ when XᵀX = N·I (checked, relative
 * tolerance 1e-8): V = groupSoftThreshold(Xᵀy/N, groups, λ).
 */
export function groupLassoOrthonormal(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  groups: readonly (readonly number[])[],
  lambda: number,
): Float64Array {
  if (!(lambda >= 0)) throw new RangeError(`lambda must be ≥ 0, got ${lambda}`);
  const { n, d } = dims(x, y);
  const c = orthogonalColumnNorms(x, n, d);
  for (let j = 0; j < d; j++) {
    if (Math.abs(c[j] - n) > 1e-8 * n) throw new RangeError(`column ${j} has ‖X_j‖² = ${c[j]}, expected N = ${n} (XᵀX = N·I)`);
  }
  const z = xtMul(x, y, n, d).map((s) => s / n);
  return groupSoftThreshold(z, groups, lambda);
}

/** P(V) = 1/(2N)·‖y − XV‖² + λ‖V‖₁ for row-major X [N, d] (lasso_objective.ts computes it from y − XV). */
export function lassoObjective(x: ArrayLike<number>, y: ArrayLike<number>, v: ArrayLike<number>, lambda: number): number {
  const { n, d } = dims(x, y, v);
  return lassoObjectiveFromResidual(residual(x, y, v, n, d), v, n, lambda);
}

/**
 * Largest violation of the lasso's optimality (KKT) conditions at V, with g = Xᵀ(y − XV)/N:
 * |g_j| ≤ λ where V_j = 0, and g_j = λ·sign(V_j) where V_j ≠ 0. Returns
 * max_j ( V_j = 0 ? max(0, |g_j| − λ) : |g_j − λ·sign(V_j)| ); 0 exactly at the minimiser.
 */
export function lassoKktResidual(x: ArrayLike<number>, y: ArrayLike<number>, v: ArrayLike<number>, lambda: number): number {
  const { n, d } = dims(x, y, v);
  const g = xtMul(x, residual(x, y, v, n, d), n, d);
  let worst = 0;
  for (let j = 0; j < d; j++) {
    const gj = g[j] / n;
    const viol = v[j] === 0 ? Math.max(0, Math.abs(gj) - lambda) : Math.abs(gj - lambda * Math.sign(v[j]));
    if (viol > worst) worst = viol;
  }
  return worst;
}
