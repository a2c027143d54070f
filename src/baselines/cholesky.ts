/**
 * An updatable Cholesky factor G = L·Lᵀ of the Gram matrix G = X_Aᵀ X_A of an active set A, for LARS:
 * appending a column costs O(k²) (one forward substitution), removing one costs O(k²) (Givens rotations
 * restore the triangle), and a solve costs O(k²), where k = |A|. Refactoring from scratch would be O(k³).
 *
 * Rows of L follow the order in which columns were appended; `remove(i)` deletes the i-th.
 */
export class CholeskyFactor {
  /** L row-major with row stride `cap`; only the lower triangle of the first `size` rows is meaningful. */
  private L: Float64Array;
  private cap: number;
  private k = 0;

  constructor(capacity = 16) {
    this.cap = Math.max(1, capacity);
    this.L = new Float64Array(this.cap * this.cap);
  }

  /** Number of columns in the factor. */
  get size(): number {
    return this.k;
  }

  /** Entry L_ij (0 above the diagonal). */
  get(i: number, j: number): number {
    return j <= i ? this.L[i * this.cap + j] : 0;
  }

  /**
   * Appends a column with Gram entries `g` (its inner products with the current k columns, in order)
   * and `diag` (its squared norm). Returns false, leaving the factor unchanged, when the column is
   * numerically in the span of the others: its squared distance to that span ≤ `rtol`·`diag`.
   */
  append(g: ArrayLike<number>, diag: number, rtol = 1e-10): boolean {
    const k = this.k;
    if (k === this.cap) this.grow();
    const { L, cap } = this;
    const row = k * cap;
    let zz = 0;
    for (let p = 0; p < k; p++) {
      let v = g[p];
      const rp = p * cap;
      for (let q = 0; q < p; q++) v -= L[rp + q] * L[row + q];
      v /= L[rp + p];
      L[row + p] = v;
      zz += v * v;
    }
    const d2 = diag - zz;
    if (!(d2 > rtol * diag)) return false;
    L[row + k] = Math.sqrt(d2);
    this.k = k + 1;
    return true;
  }

  /** Removes the i-th column (and row) of G, keeping L lower-triangular with Givens rotations. */
  remove(i: number): void {
    const k = this.k;
    if (i < 0 || i >= k) throw new RangeError(`cholesky: no column ${i} in a factor of size ${k}`);
    const { L, cap } = this;
    // Drop row i: rows below move up one and are left with one entry above the diagonal.
    for (let p = i + 1; p < k; p++) {
      L.copyWithin((p - 1) * cap, p * cap, p * cap + p + 1);
    }
    for (let q = i; q < k - 1; q++) {
      const a = L[q * cap + q];
      const b = L[q * cap + q + 1];
      const r = Math.hypot(a, b);
      const c = a / r;
      const s = b / r;
      for (let p = q; p < k - 1; p++) {
        const x = L[p * cap + q];
        const y = L[p * cap + q + 1];
        L[p * cap + q] = c * x + s * y;
        L[p * cap + q + 1] = c * y - s * x;
      }
    }
    this.k = k - 1; // entries above the diagonal are never read, so the rotated-out ones stay
  }

  /** Solves G x = b (length k) by a forward and a backward substitution. */
  solve(b: ArrayLike<number>, out: Float64Array = new Float64Array(this.k)): Float64Array {
    const { L, cap, k } = this;
    for (let p = 0; p < k; p++) {
      let v = b[p];
      const rp = p * cap;
      for (let q = 0; q < p; q++) v -= L[rp + q] * out[q];
      out[p] = v / L[rp + p];
    }
    for (let p = k - 1; p >= 0; p--) {
      let v = out[p];
      for (let q = p + 1; q < k; q++) v -= L[q * cap + p] * out[q];
      out[p] = v / L[p * cap + p];
    }
    return out;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const L = new Float64Array(cap * cap);
    for (let p = 0; p < this.k; p++) L.set(this.L.subarray(p * this.cap, p * this.cap + p + 1), p * cap);
    this.L = L;
    this.cap = cap;
  }
}
