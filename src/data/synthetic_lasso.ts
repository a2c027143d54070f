/**
 * Seeded synthetic lasso problems (paper §4.1), shared by the baselines, spred and the lasso tasks.
 *
 *   Y = X·V* + σ·E,   X N×d,  V* d×m with k non-zero rows,  E N×m standard normal,
 *   λ = lambdaRatio·λ_max(X, Y)  (λ_max = max |XᵀY|/N, where V = 0 becomes optimal).
 *
 * Designs:
 * - `gaussian`: i.i.d. N(0, 1) entries, then every column centred and scaled to ‖x_j‖² = N (mean 0,
 *   variance 1 with the 1/N convention), as glmnet and scikit-learn's examples standardise.
 * - `orthogonal`: XᵀX = N·I (needs N ≥ d): the Gaussian matrix orthonormalised by modified Gram–Schmidt
 *   (two passes, for orthogonality to round-off) and scaled by √N. The paper's "1D output and orthogonal
 *   input" experiment; there the lasso solution is the soft threshold S_λ(XᵀY/N) (`orthogonalLassoSolution`).
 *
 * Draw order from one `Xoshiro128(seed)` stream, fixed so a seed names one problem: X row by row, the
 * support (k rows of V*, shared by the m outputs), the non-zero values of V* row by row, then E row by row.
 */
import { UsageError } from '../errors';
import { lambdaMax, softThreshold } from '../baselines/lasso_objective';
import { Design, matrix, Matrix, transposeTimes } from '../numeric/matrix';
import { Xoshiro128 } from '../numeric/prng';

/** Arguments of `syntheticProblem`. */
export interface SyntheticProblemArgs {
  /** Samples N (rows of X and Y). */
  n: number;
  /** Features d (columns of X). */
  d: number;
  /** Outputs m (columns of Y and V*). Default 1. */
  m?: number;
  /** Non-zero rows of the ground truth V*. Default min(10, d). */
  k?: number;
  /** Standard deviation σ of the Gaussian noise. Default 0.1 (the authors' script). */
  noise?: number;
  /** λ as a fraction of λ_max. Default 0.1. */
  lambdaRatio?: number;
  /** Seed of the generator. Default 0. */
  seed?: number;
  /** `gaussian` (standardised columns) or `orthogonal` (XᵀX = N·I, needs N ≥ d). Default `gaussian`. */
  design?: 'gaussian' | 'orthogonal';
  /** Distribution of the non-zero entries of V*: unit-variance `gaussian` or `laplace`. Default `gaussian`. */
  coefficients?: 'gaussian' | 'laplace';
}

/** A generated problem; `args` holds every default resolved. */
export interface SyntheticProblem {
  args: Required<SyntheticProblemArgs>;
  /** Design, N×d row-major. */
  X: Matrix;
  /** Targets, N×m row-major. */
  Y: Matrix;
  /** Ground truth V*, d×m row-major. */
  vTrue: Matrix;
  /** The k non-zero rows of V*, ascending. */
  support: Int32Array;
  /** max |XᵀY|/N. */
  lambdaMax: number;
  /** lambdaRatio·lambdaMax. */
  lambda: number;
}

function checkShape(n: number, d: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 1 || d < 1) {
    throw new UsageError(`synthetic problem: N and d must be positive integers, got N=${n}, d=${d}`);
  }
}

/** Centres each column of X and scales it to ‖x_j‖² = N (a constant column becomes 0). */
export function standardizeColumns(X: Matrix): Matrix {
  const { rows: n, cols: d, data } = X;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j] - mean[j];
      data[i * d + j] = v;
      sq[j] += v * v;
    }
  }
  const scale = sq.map((s) => (s > 0 ? Math.sqrt(n / s) : 0));
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] *= scale[j];
  return X;
}

function gaussianMatrix(rng: Xoshiro128, rows: number, cols: number): Matrix {
  return matrix(rows, cols, rng.fillNormal(new Float64Array(rows * cols)));
}

/** Orthonormalises the columns of G (N×d, N ≥ d) in place by two passes of modified Gram–Schmidt, then scales them to ‖x_j‖² = N. */
function orthogonalize(G: Matrix): Matrix {
  const { rows: n, cols: d } = G;
  const cols = Design.fromMatrix(G).columns; // column-major working copy
  for (let j = 0; j < d; j++) {
    const oj = j * n;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        const ok = k * n;
        let p = 0;
        for (let i = 0; i < n; i++) p += cols[ok + i] * cols[oj + i];
        for (let i = 0; i < n; i++) cols[oj + i] -= p * cols[ok + i];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += cols[oj + i] * cols[oj + i];
      norm = Math.sqrt(norm);
      if (norm === 0) throw new UsageError('orthogonal design: a Gaussian column was dependent; try another seed');
      for (let i = 0; i < n; i++) cols[oj + i] /= norm;
    }
  }
  const s = Math.sqrt(n);
  for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) G.data[i * d + j] = s * cols[j * n + i];
  return G;
}

/**
 * X with XᵀX = N·I, as N×d row-major values: a seeded Gaussian matrix, orthonormalised and scaled by
 * √N. Needs N ≥ d. (`matrix(n, d, orthogonalDesign(n, d, seed))` for a `Matrix`.)
 */
export function orthogonalDesign(n: number, d: number, seed: number): Float64Array {
  return orthogonalFrom(new Xoshiro128(seed), n, d).data;
}

function orthogonalFrom(rng: Xoshiro128, n: number, d: number): Matrix {
  checkShape(n, d);
  if (n < d) throw new UsageError(`orthogonal design: needs N ≥ d for orthogonal columns, got N=${n}, d=${d}`);
  return orthogonalize(gaussianMatrix(rng, n, d));
}

/** The lasso minimiser when XᵀX = N·I: V = S_λ(XᵀY/N), entry by entry. */
export function orthogonalLassoSolution(X: Matrix, Y: Matrix, lambda: number): Matrix {
  const V = transposeTimes(X, Y);
  for (let t = 0; t < V.data.length; t++) V.data[t] = softThreshold(V.data[t] / X.rows, lambda);
  return V;
}

/** Generates the problem described in the module comment. */
export function syntheticProblem(input: SyntheticProblemArgs): SyntheticProblem {
  const args: Required<SyntheticProblemArgs> = {
    m: 1,
    k: Math.min(10, input.d),
    noise: 0.1,
    lambdaRatio: 0.1,
    seed: 0,
    design: 'gaussian',
    coefficients: 'gaussian',
    ...input,
  };
  const { n, d, m, k, noise, lambdaRatio, seed } = args;
  checkShape(n, d);
  if (!Number.isInteger(m) || m < 1) throw new UsageError(`synthetic problem: m must be a positive integer, got ${m}`);
  if (!Number.isInteger(k) || k < 0 || k > d) throw new UsageError(`synthetic problem: k must be an integer in [0, d=${d}], got ${k}`);
  if (!(noise >= 0)) throw new UsageError(`synthetic problem: noise must be ≥ 0, got ${noise}`);
  if (!(lambdaRatio >= 0)) throw new UsageError(`synthetic problem: lambdaRatio must be ≥ 0, got ${lambdaRatio}`);

  const rng = new Xoshiro128(seed);
  const X = args.design === 'orthogonal' ? orthogonalFrom(rng, n, d) : standardizeColumns(gaussianMatrix(rng, n, d));
  const support = rng.sample(d, k).sort();
  const vTrue = matrix(d, m);
  for (const j of support) {
    for (let c = 0; c < m; c++) {
      let v: number;
      if (args.coefficients === 'laplace') {
        const u = rng.uniform() - 0.5; // Laplace(0, 1/√2) by inversion: variance 1
        v = (-Math.sign(u) * Math.log(1 - 2 * Math.abs(u))) / Math.SQRT2;
      } else {
        v = rng.normal();
      }
      vTrue.data[j * m + c] = v;
    }
  }
  const Y = matrix(n, m);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < m; c++) {
      let s = 0;
      for (const j of support) s += X.data[i * d + j] * vTrue.data[j * m + c];
      Y.data[i * m + c] = s + noise * rng.normal();
    }
  }
  const lmax = lambdaMax(X, Y);
  return { args, X, Y, vTrue, support, lambdaMax: lmax, lambda: lambdaRatio * lmax };
}
