/**
 * HSIC Lasso (Yamada, Jitkrittum, Sigal, Xing & Sugiyama 2014, "High-dimensional feature selection by
 * feature-wise kernelized lasso"), in the block form of pyHSICLasso 1.4.2 (Climente-González et al. 2019),
 * which the paper's authors ran as their nonlinear baseline:
 *
 *   min_{β ≥ 0} ½‖L̄ − Σ_j β_j K̄_j‖²_F + λ‖β‖₁,
 *
 * K̄_j the centred, Frobenius-normalised block kernels of feature j and L̄ those of the output
 * (`hsic_kernel.ts`), solved by non-negative LARS (`nonneg_lars.ts`) until k features are active; the
 * features are returned ordered by β, largest first, as pyHSICLasso's `get_index()` does.
 * Classification: `outputKernel: 'delta'` (class-normalised delta kernel; pyHSICLasso's
 * `classification`). Regression: `'gaussian'` (pyHSICLasso's `regression`). Features: `'gaussian'`
 * (standardised, width 1; the default) or `'delta'` (pyHSICLasso's `discrete_x=True`).
 *
 * Memory. Stored flat as pyHSICLasso stores it, the design has n·B·M rows × d columns in float32:
 * n·B·M·d·4 bytes, ~8 GB at 606 samples × 54675 genes, B = 20, M = 3. Here (1) each symmetric block is
 * packed to B(B+1)/2 values (`hsic_kernel.ts`), so a column has P = M·⌊n/B⌋·B(B+1)/2 values (18900 at
 * that size: ~4.1 GB for all columns); (2) LARS never needs the design itself, only Xᵀy and the Gram
 * columns Xᵀx_a of features that enter, which are computed by one pass over all features each; and (3)
 * the first ⌊budget/(4P)⌋ columns are kept in float32 between passes (`memoryBudgetBytes`, default
 * 2 GiB) while the others are recomputed from X in every pass. Working memory in bytes (X not counted):
 *
 *   min(d, ⌊budget/(4P)⌋)·4P  +  (k + 4)·d·8  +  4·P·8  +  O(B²)
 *   stored columns              Gram columns,   output column,
 *                               c, a, β         scratch
 *
 * `hsicLassoMemory` evaluates it. A pass costs ⌊n/B⌋·M·B² kernel entries per recomputed feature
 * (B(B−1)/2 exponentials per block) plus a P-long dot product per feature; a run makes k + 1 passes
 * (plus one per feature re-entering after a drop).
 */
import { UsageError } from '../errors';
import { blockLayout, BlockKernels, hsicVectorLength, type HsicKernel, resolveBlocks } from './hsic_kernel';
import { type GramOracle, type NonnegLarsBreakpoint, nonnegLars } from './nonneg_lars';
import type { Matrix } from '../numeric/matrix';

/** The features of an n×d data set, one column at a time (so callers need not copy a row subset). */
export interface FeatureColumns {
  /** Samples. */
  readonly n: number;
  /** Features. */
  readonly d: number;
  /** Writes feature j's n values to `out` and returns it. */
  column(j: number, out: Float64Array): Float64Array;
}

/** The columns of a row-major matrix, optionally restricted to the rows `rows` (no copy is made). */
export function matrixColumns(X: Matrix, rows?: ArrayLike<number>): FeatureColumns {
  const { cols: d, data } = X;
  const n = rows ? rows.length : X.rows;
  return {
    n,
    d,
    column(j: number, out: Float64Array): Float64Array {
      if (rows) for (let i = 0; i < n; i++) out[i] = data[rows[i] * d + j];
      else for (let i = 0; i < n; i++) out[i] = data[i * d + j];
      return out;
    },
  };
}

/** Options of `hsicLasso`. */
export interface HsicLassoOptions {
  /** Block size B; 0 = vanilla HSIC Lasso (one block of all samples). Default 20 (pyHSICLasso). */
  blockSize?: number;
  /** Permutations M of the block form (1 is used when there is a single block). Default 3. */
  permutations?: number;
  /** Seed of the block permutations. Default 0. */
  seed?: number;
  /** Kernel on the features. Default `gaussian`. */
  featureKernel?: HsicKernel;
  /** Kernel on the output: `delta` for class labels (default), `gaussian` for a real response. */
  outputKernel?: HsicKernel;
  /** Bytes of design columns kept between LARS passes (float32); the rest are recomputed. Default 2 GiB. */
  memoryBudgetBytes?: number;
}

/** Result of `hsicLasso`. */
export interface HsicLassoResult {
  /** Selected features (column indices), ordered by score, largest first (pyHSICLasso's `get_index()`). */
  selected: number[];
  /** Their non-negative LARS coefficients β (pyHSICLasso's `get_index_score()`). */
  scores: number[];
  /** The selected features in the order they (last) entered the LARS active set. */
  entryOrder: number[];
  /** The LARS path at its breakpoints. */
  path: NonnegLarsBreakpoint[];
  /** Why LARS stopped: `k` features reached, or the path `end`ed first. */
  stop: 'k' | 'end' | 'maxSteps';
  /** Block size, permutations and blocks actually used, and samples left out of each ordering. */
  blockSize: number;
  permutations: number;
  blocks: number;
  discarded: number;
  /** Design columns kept in memory (the first `storedFeatures`); the others were recomputed per pass. */
  storedFeatures: number;
  /** Passes over the features (one for Xᵀy, one per Gram column). */
  passes: number;
}

/** What a call needs, from `hsicLassoMemory`. */
export interface HsicLassoMemory {
  /** Packed design-column length P. */
  vectorLength: number;
  /** pyHSICLasso's flat float32 design, n·B·M·d·4 bytes (for comparison). */
  denseBytes: number;
  /** All d packed columns in float32, d·P·4 bytes. */
  fullStoreBytes: number;
  /** Columns that fit the budget and are kept. */
  storedFeatures: number;
  /** Working memory of the call (the formula in the module comment). */
  bytes: number;
}

const DEFAULT_BUDGET = 2 ** 31;
/** Stored columns live in Float32Arrays of at most this many bytes each. */
const CHUNK_BYTES = 2 ** 28;

/** Memory `hsicLasso` uses for n samples, d features and k selected (see the module comment). */
export function hsicLassoMemory(n: number, d: number, k: number, options: Pick<HsicLassoOptions, 'blockSize' | 'permutations' | 'memoryBudgetBytes'> = {}): HsicLassoMemory {
  const blockSize = options.blockSize ?? 20;
  const { B, M } = resolveBlocks(n, blockSize, options.permutations ?? 3);
  const P = hsicVectorLength(n, blockSize, options.permutations ?? 3);
  const budget = options.memoryBudgetBytes ?? DEFAULT_BUDGET;
  if (!(budget >= 0)) throw new UsageError(`HSIC Lasso: memoryBudgetBytes must be ≥ 0, got ${budget}`);
  const storedFeatures = Math.min(d, Math.floor(budget / (4 * P)));
  const bytes = storedFeatures * 4 * P + (k + 4) * d * 8 + 4 * P * 8 + 2 * B * B * 8;
  return { vectorLength: P, denseBytes: n * B * M * d * 4, fullStoreBytes: d * P * 4, storedFeatures, bytes };
}

/**
 * numeric/matrix.ts `dotAt` for a float32 or float64 left side. Kept apart on purpose: passing a
 * Float32Array to `dotAt` would make its call sites polymorphic and slow coordinate descent's hot loop.
 */
function dotMixed(a: Float32Array | Float64Array, b: Float64Array, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + (s2 + s3);
}

function isMatrix(X: Matrix | FeatureColumns): X is Matrix {
  return (X as Matrix).data !== undefined;
}

/**
 * Selects `k` features of X (n samples × d features) for the output y (n values: class labels for the
 * `delta` output kernel, compared exactly; real values for `gaussian`) by HSIC Lasso.
 */
export function hsicLasso(X: Matrix | FeatureColumns, y: ArrayLike<number>, k: number, options: HsicLassoOptions = {}): HsicLassoResult {
  const cols = isMatrix(X) ? matrixColumns(X) : X;
  const { n, d } = cols;
  if (y.length !== n) throw new UsageError(`HSIC Lasso: ${y.length} outputs for ${n} samples`);
  if (!Number.isInteger(k) || k < 1 || k > d) throw new UsageError(`HSIC Lasso: k must be an integer in [1, d = ${d}], got ${k}`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(y[i])) throw new UsageError(`HSIC Lasso: output ${i} is not a finite number`);
  const featureKernel = options.featureKernel ?? 'gaussian';
  const outputKernel = options.outputKernel ?? 'delta';
  const layout = blockLayout(n, options.blockSize ?? 20, options.permutations ?? 3, options.seed ?? 0);
  const mem = hsicLassoMemory(n, d, k, options);
  const P = layout.vectorLength;
  const kernels = new BlockKernels(layout);

  const L = kernels.column(y, outputKernel);
  const x = new Float64Array(n);
  const scratch = new Float64Array(P);
  const computeColumn = (j: number): Float64Array => {
    cols.column(j, x);
    for (let i = 0; i < n; i++) if (!Number.isFinite(x[i])) throw new UsageError(`HSIC Lasso: feature ${j}, sample ${i} is not a finite number (impute missing values first)`);
    return kernels.column(x, featureKernel, scratch);
  };

  // Stored columns: features [0, storedFeatures), `perChunk` to a Float32Array.
  const stored = mem.storedFeatures;
  const perChunk = Math.max(1, Math.floor(CHUNK_BYTES / (4 * P)));
  const chunks: Float32Array[] = [];
  for (let j0 = 0; j0 < stored; j0 += perChunk) chunks.push(new Float32Array(Math.min(perChunk, stored - j0) * P));
  const storedColumn = (j: number): Float32Array => {
    const off = (j % perChunk) * P;
    return chunks[Math.floor(j / perChunk)].subarray(off, off + P);
  };
  /** Feature j's column: the stored copy, or recomputed into the scratch buffer. */
  const columnOf = (j: number): Float32Array | Float64Array => (j < stored ? storedColumn(j) : computeColumn(j));

  let passes = 1;
  const xty = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const v = computeColumn(j);
    if (j < stored) {
      const s = storedColumn(j);
      s.set(v);
      xty[j] = dotMixed(s, L, P);
    } else {
      xty[j] = dotMixed(v, L, P);
    }
  }

  const oracle: GramOracle = {
    d,
    xty,
    gramColumn(a: number): Float64Array {
      passes++;
      const va = Float64Array.from(columnOf(a));
      const g = new Float64Array(d);
      for (let j = 0; j < d; j++) g[j] = dotMixed(columnOf(j), va, P);
      return g;
    },
  };
  const res = nonnegLars(oracle, k);
  return {
    selected: res.selected,
    scores: res.coef,
    entryOrder: res.entryOrder,
    path: res.path,
    stop: res.stop,
    blockSize: layout.blockSize,
    permutations: layout.permutations,
    blocks: layout.blocks,
    discarded: layout.discarded,
    storedFeatures: stored,
    passes,
  };
}
