/**
 * The block kernels of HSIC Lasso (Yamada et al. 2014; block form: Climente-González et al. 2019), as
 * pyHSICLasso 1.4.2 computes them (`hsic_lasso.py: compute_kernel`, `kernel_tools.py`), for one variable
 * (a feature or the output) at a time:
 *
 * - The samples are cut into `blocks` = ⌊n/B⌋ blocks of B; the last n mod B samples of each ordering are
 *   left out ("discarded"). This is done for M orderings: random permutations from a seeded generator
 *   (`numeric/prng.ts`; pyHSICLasso uses numpy's). Vanilla HSIC Lasso is B = n, one block, M = 1, in
 *   sample order (the order does not change the inner products).
 * - On each block a B×B kernel: `gaussian`, K_ij = exp(−(z_i − z_j)²/2) on z = x/(std(x) + 1e-19), std
 *   the population standard deviation over all n samples (width 1 after standardisation); or `delta`,
 *   the class-normalised delta kernel K_ij = 1/n_c if x_i = x_j = c, else 0, n_c counted in the block.
 * - Centred, K̃ = HKH with H = I − 11ᵀ/B; normalised, K̃/(‖K̃‖_F + 1e-9); scaled by √(1/(blocks·M)).
 *
 * HSIC Lasso's design column of a variable is the concatenation of its M·blocks normalised kernels,
 * n·B·M values when stored flat as pyHSICLasso does. Here each symmetric block is packed as its upper
 * triangle with the off-diagonal entries multiplied by √2, B(B+1)/2 values, so that the plain dot
 * product of two packed vectors equals the Frobenius inner product Σ_blocks ⟨K̃, L̃⟩_F of the flat ones
 * (Σ_ij A_ij B_ij = Σ_i A_ii B_ii + Σ_{i<j} (√2 A_ij)(√2 B_ij) for symmetric A, B): the same design, in
 * (B+1)/(2B) of the space.
 */
import { UsageError } from '../errors';
import { createRng } from '../numeric/prng';

export type HsicKernel = 'gaussian' | 'delta';

/** How the samples are cut into blocks: fixed for a run, shared by all features and the output. */
export interface BlockLayout {
  /** Samples. */
  readonly n: number;
  /** Block size B (n for the vanilla form). */
  readonly blockSize: number;
  /** Orderings M actually used (1 when there is a single block, as in pyHSICLasso). */
  readonly permutations: number;
  /** Blocks per ordering, ⌊n/B⌋. */
  readonly blocks: number;
  /** Samples left out of each ordering, n mod B. */
  readonly discarded: number;
  /** Sample indices: block b of ordering m is `order[(m·blocks + b)·B .. +B)`. */
  readonly order: Int32Array;
  /** Packed length of one block, B(B+1)/2. */
  readonly blockLength: number;
  /** Packed length of one variable's design column, M·blocks·B(B+1)/2. */
  readonly vectorLength: number;
  /** √(1/(blocks·M)), applied to every column (pyHSICLasso scales X and Xᵀy this way). */
  readonly scale: number;
}

/** Block size and orderings as pyHSICLasso resolves them: B = 0 means B = n; M = 1 with one block. */
export function resolveBlocks(n: number, blockSize: number, permutations: number): { B: number; M: number; blocks: number; discarded: number } {
  if (!Number.isInteger(n) || n < 2) throw new UsageError(`HSIC Lasso needs at least 2 samples, got ${n}`);
  if (!Number.isInteger(blockSize) || blockSize < 0) throw new UsageError(`HSIC Lasso: block size must be a non-negative integer, got ${blockSize}`);
  if (!Number.isInteger(permutations) || permutations < 1) throw new UsageError(`HSIC Lasso: permutations must be a positive integer, got ${permutations}`);
  const B = blockSize === 0 ? n : blockSize;
  if (B < 2 || B > n) throw new UsageError(`HSIC Lasso: block size must be 0 or in [2, n = ${n}], got ${blockSize}`);
  const blocks = Math.floor(n / B);
  return { B, M: blocks === 1 ? 1 : permutations, blocks, discarded: n % B };
}

/** Packed length of one variable's design column for (n, B, M) (B = 0: vanilla). */
export function hsicVectorLength(n: number, blockSize: number, permutations: number): number {
  const { B, M, blocks } = resolveBlocks(n, blockSize, permutations);
  return M * blocks * ((B * (B + 1)) / 2);
}

/** The block layout for n samples; orderings are drawn from `seed` unless B = n (sample order). */
export function blockLayout(n: number, blockSize: number, permutations: number, seed: number): BlockLayout {
  const { B, M, blocks, discarded } = resolveBlocks(n, blockSize, permutations);
  const used = blocks * B;
  const order = new Int32Array(M * used);
  if (B === n) {
    for (let i = 0; i < n; i++) order[i] = i;
  } else {
    const rng = createRng(seed);
    for (let m = 0; m < M; m++) order.set(rng.sample(n, n).subarray(0, used), m * used);
  }
  const blockLength = (B * (B + 1)) / 2;
  return { n, blockSize: B, permutations: M, blocks, discarded, order, blockLength, vectorLength: M * blocks * blockLength, scale: Math.sqrt(1 / (blocks * M)) };
}

/** Computes packed design columns for one layout; holds the scratch space (not shareable across threads). */
export class BlockKernels {
  private readonly K: Float64Array;
  private readonly z: Float64Array;
  private readonly rowMean: Float64Array;
  private readonly sqrt2 = Math.SQRT2;

  constructor(readonly layout: BlockLayout) {
    const B = layout.blockSize;
    this.K = new Float64Array(B * B);
    this.z = new Float64Array(layout.n);
    this.rowMean = new Float64Array(B);
  }

  /** The packed design column of variable x (length n) under `kernel`, written to `out`. */
  column(x: ArrayLike<number>, kernel: HsicKernel, out: Float64Array = new Float64Array(this.layout.vectorLength)): Float64Array {
    const { n, blockSize: B, blocks, permutations: M, order, blockLength, vectorLength, scale } = this.layout;
    if (x.length !== n) throw new UsageError(`HSIC Lasso: a variable has ${x.length} values, expected ${n}`);
    if (out.length !== vectorLength) throw new UsageError(`HSIC Lasso: output has length ${out.length}, expected ${vectorLength}`);
    const { K, z, rowMean } = this;
    if (kernel === 'gaussian') {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += x[i];
      mean /= n;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (x[i] - mean) * (x[i] - mean);
      const s = 1 / (Math.sqrt(ss / n) + 1e-19);
      for (let i = 0; i < n; i++) z[i] = x[i] * s;
    } else {
      for (let i = 0; i < n; i++) z[i] = x[i];
    }
    let o = 0;
    for (let blk = 0; blk < M * blocks; blk++) {
      const base = blk * B;
      if (kernel === 'gaussian') {
        for (let i = 0; i < B; i++) {
          const zi = z[order[base + i]];
          K[i * B + i] = 1;
          for (let j = i + 1; j < B; j++) {
            const t = zi - z[order[base + j]];
            const v = Math.exp(-0.5 * t * t);
            K[i * B + j] = v;
            K[j * B + i] = v;
          }
        }
      } else {
        for (let i = 0; i < B; i++) {
          const zi = z[order[base + i]];
          let count = 0;
          for (let j = 0; j < B; j++) if (z[order[base + j]] === zi) count++;
          const v = 1 / count;
          for (let j = 0; j < B; j++) K[i * B + j] = z[order[base + j]] === zi ? v : 0;
        }
      }
      // Centre: K̃_ij = K_ij − r_i − r_j + g (K symmetric, r its row means, g their mean).
      let g = 0;
      for (let i = 0; i < B; i++) {
        let r = 0;
        for (let j = 0; j < B; j++) r += K[i * B + j];
        rowMean[i] = r / B;
        g += r;
      }
      g /= B * B;
      let fro = 0;
      for (let i = 0; i < B; i++) {
        const ri = rowMean[i] - g;
        for (let j = 0; j < B; j++) {
          const v = K[i * B + j] - ri - rowMean[j];
          K[i * B + j] = v;
          fro += v * v;
        }
      }
      const f = scale / (Math.sqrt(fro) + 1e-9);
      const f2 = f * this.sqrt2;
      for (let i = 0; i < B; i++) {
        out[o++] = K[i * B + i] * f;
        for (let j = i + 1; j < B; j++) out[o++] = K[i * B + j] * f2;
      }
    }
    if (o !== M * blocks * blockLength) throw new Error('hsic_kernel: packing length mismatch');
    return out;
  }
}
