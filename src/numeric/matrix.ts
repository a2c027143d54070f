/**
 * Dense matrices for the classical lasso solvers: a row-major `Matrix` (what users, `.npy` files and
 * the problem generator hand over) and a column-major `Design` (what the solvers read).
 *
 * Coordinate descent and LARS touch X one column at a time, so a row-major X of N×d with d = 10⁴ would
 * stride through N cache lines per column. As scikit-learn does (it copies X to Fortran order before
 * its coordinate descent), every solver reads X through a `Design`, built once: `Design.fromMatrix(X)`.
 * Pass the same `Design` to several solvers to pay for the copy once.
 */
import { DataError } from '../errors';

/** A dense matrix in row-major (C) order: entry (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A `rows`×`cols` matrix over `data` (zeros when omitted); throws if the length does not match. */
export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`matrix: bad shape (${rows}, ${cols})`);
  }
  const values = data ?? new Float64Array(rows * cols);
  if (values.length !== rows * cols) {
    throw new DataError(`matrix: ${values.length} values do not fill shape (${rows}, ${cols})`);
  }
  return { rows, cols, data: values };
}

/** Column `c` of a row-major matrix, copied into a contiguous array. */
export function getColumn(M: Matrix, c: number, out: Float64Array = new Float64Array(M.rows)): Float64Array {
  for (let i = 0; i < M.rows; i++) out[i] = M.data[i * M.cols + c];
  return out;
}

/** Writes `v` into column `c` of a row-major matrix. */
export function setColumn(M: Matrix, c: number, v: Float64Array): void {
  for (let i = 0; i < M.rows; i++) M.data[i * M.cols + c] = v[i];
}

/**
 * XᵀY (d×m) for row-major X (N×d) and Y (N×m), accumulated row by row (no transposed copy of X).
 * Rows are summed into four partial sums exactly as `dotAt` does, so entry (j, c) is bitwise equal to
 * `Design.fromMatrix(X).tmatvec(y_c)[j]`.
 */
export function transposeTimes(X: Matrix, Y: Matrix): Matrix {
  if (X.rows !== Y.rows) throw new DataError(`transposeTimes: X has ${X.rows} rows but Y has ${Y.rows}`);
  const { rows: n, cols: d } = X;
  const m = Y.cols;
  const acc = [0, 1, 2, 3].map(() => new Float64Array(d * m));
  const blocked = n - (n % 4);
  for (let i = 0; i < n; i++) {
    const out = acc[i < blocked ? i % 4 : 0];
    const xo = i * d;
    for (let c = 0; c < m; c++) {
      const yic = Y.data[i * m + c];
      for (let j = 0; j < d; j++) out[j * m + c] += X.data[xo + j] * yic;
    }
  }
  const [s0, s1, s2, s3] = acc;
  for (let t = 0; t < d * m; t++) s0[t] = s0[t] + s1[t] + (s2[t] + s3[t]);
  return { rows: d, cols: m, data: s0 };
}

/** a[ao .. ao+n) · b[bo .. bo+n), with four accumulators (V8 does not vectorise this loop itself). */
export function dotAt(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[ao + i] * b[bo + i];
    s1 += a[ao + i + 1] * b[bo + i + 1];
    s2 += a[ao + i + 2] * b[bo + i + 2];
    s3 += a[ao + i + 3] * b[bo + i + 3];
  }
  for (; i < n; i++) s0 += a[ao + i] * b[bo + i];
  return s0 + s1 + (s2 + s3);
}

/** y[yo .. yo+n) += alpha · x[xo .. xo+n). */
export function axpyAt(alpha: number, x: Float64Array, xo: number, y: Float64Array, yo: number, n: number): void {
  for (let i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
}

/** Sum of squares of a vector. */
export function sumSq(v: Float64Array): number {
  return dotAt(v, 0, v, 0, v.length);
}

/** ‖v‖₁ = Σ|v_i|, added left to right. */
export function l1Norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += Math.abs(v[i]);
  return s;
}

/** ‖v‖∞ = max |v_i|: 0 for an empty vector, NaN when an entry is NaN. */
export function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}

/** ‖a − b‖∞ of two equally long vectors (e.g. the `data` of two matrices); NaN when an entry is NaN. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`maxAbsDiff: lengths ${a.length} and ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/**
 * The design X (N×d) stored by columns, with its squared column norms ‖x_j‖². Column j occupies
 * `columns[j*n .. (j+1)*n)`. Immutable once built.
 */
export class Design {
  private constructor(
    /** Rows N (samples). */
    readonly n: number,
    /** Columns d (features). */
    readonly d: number,
    /** Column-major values: X_ij at `columns[j * n + i]`. */
    readonly columns: Float64Array,
    /** ‖x_j‖², one per column. */
    readonly colSq: Float64Array,
  ) {}

  /** Copies a row-major X into column order (a blocked transpose), O(Nd) time and memory. */
  static fromMatrix(X: Matrix): Design {
    const { rows: n, cols: d, data } = X;
    const columns = new Float64Array(n * d);
    const B = 64;
    for (let i0 = 0; i0 < n; i0 += B) {
      const i1 = Math.min(n, i0 + B);
      for (let j0 = 0; j0 < d; j0 += B) {
        const j1 = Math.min(d, j0 + B);
        for (let i = i0; i < i1; i++) {
          const row = i * d;
          for (let j = j0; j < j1; j++) columns[j * n + i] = data[row + j];
        }
      }
    }
    return Design.fromColumns(n, d, columns);
  }

  /** Wraps column-major values (not copied). */
  static fromColumns(n: number, d: number, columns: Float64Array): Design {
    if (columns.length !== n * d) {
      throw new DataError(`design: ${columns.length} values do not fill shape (${n}, ${d})`);
    }
    const colSq = new Float64Array(d);
    for (let j = 0; j < d; j++) colSq[j] = dotAt(columns, j * n, columns, j * n, n);
    return new Design(n, d, columns, colSq);
  }

  /** x_jᵀ v for a vector v of length N. */
  dotColumn(j: number, v: Float64Array): number {
    return dotAt(this.columns, j * this.n, v, 0, this.n);
  }

  /** out = Xᵀ v (length d), for v of length N. */
  tmatvec(v: Float64Array, out: Float64Array = new Float64Array(this.d)): Float64Array {
    const { n, d, columns } = this;
    for (let j = 0; j < d; j++) out[j] = dotAt(columns, j * n, v, 0, n);
    return out;
  }

  /** out = X w (length N), skipping the zero entries of w: O(N·nnz(w)). */
  matvec(w: Float64Array, out: Float64Array = new Float64Array(this.n)): Float64Array {
    const { n, d, columns } = this;
    out.fill(0);
    for (let j = 0; j < d; j++) {
      const wj = w[j];
      if (wj !== 0) axpyAt(wj, columns, j * n, out, 0, n);
    }
    return out;
  }
}

/** Either form of X; solvers convert a `Matrix` with `Design.fromMatrix` on every call. */
export type DesignInput = Matrix | Design;

/** `X` as a `Design`, copying a row-major matrix into column order if needed. */
export function asDesign(X: DesignInput): Design {
  return X instanceof Design ? X : Design.fromMatrix(X);
}
