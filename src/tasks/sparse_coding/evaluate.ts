import * as tf from '@tensorflow/tfjs';

/**
 * F(D, S) and what the outputs report about a set of codes, measured batch by batch:
 * - objective: (1/N) Σ_i [½‖x_i − s_i·D‖² + α‖s_i‖₁] (config.ts);
 * - r2: 1 − Σ‖x_i − s_i·D‖² / Σ‖x_i − x̄‖² (x̄ the mean patch): reconstruction R²;
 * - zero fractions of S: exactly 0, |s| < threshold, |s| ≤ strict threshold.
 */
export interface CodeStats {
  objective: number;
  r2: number;
  exactZeros: number;
  zerosBelowThreshold: number;
  zerosBelowStrict: number;
}

/** Patches cut into minibatches on the backend, with their total sum of squares about the mean patch. */
export interface PatchBatches {
  batches: tf.Tensor2D[];
  sizes: number[];
  count: number;
  dim: number;
  /** Σ‖x_i − x̄‖². */
  totalSumSquares: number;
}

/** Consecutive rows of X in batches of `batchSize` (the last may be smaller). Patches were drawn at random, so consecutive rows are a random batch. */
export function uploadBatches(X: Float32Array, count: number, dim: number, batchSize: number): PatchBatches {
  const sizes: number[] = [];
  for (let start = 0; start < count; start += batchSize) sizes.push(Math.min(batchSize, count - start));
  let start = 0;
  const batches = sizes.map((n) => {
    const t = tf.tensor2d(X.subarray(start * dim, (start + n) * dim), [n, dim]);
    start += n;
    return t;
  });
  const mean = new Float64Array(dim);
  for (let i = 0; i < count * dim; i++) mean[i % dim] += X[i];
  for (let j = 0; j < dim; j++) mean[j] /= count;
  let tss = 0;
  for (let i = 0; i < count * dim; i++) tss += (X[i] - mean[i % dim]) ** 2;
  return { batches, sizes, count, dim, totalSumSquares: tss };
}

export function disposeBatches(p: PatchBatches): void {
  tf.dispose(p.batches);
}

/** The statistics of the codes `codesOf(b)` (new tensors, freed here) against dictionary D. */
export async function codeStats(p: PatchBatches, codesOf: (b: number) => tf.Tensor2D, D: tf.Tensor2D, alpha: number, threshold: number, strict: number): Promise<CodeStats> {
  let sse = 0;
  let l1 = 0;
  let exact = 0;
  let below = 0;
  let belowStrict = 0;
  let entries = 0;
  for (const [b, Xb] of p.batches.entries()) {
    const v = tf.tidy(() => {
      const S = codesOf(b);
      const a = tf.abs(S);
      return tf.stack([
        tf.sum(tf.square(tf.sub(Xb, tf.matMul(S, D)))),
        tf.sum(a),
        tf.sum(tf.cast(tf.equal(a, 0), 'float32')),
        tf.sum(tf.cast(tf.less(a, threshold), 'float32')),
        tf.sum(tf.cast(tf.lessEqual(a, strict), 'float32')),
      ]);
    });
    let values: Float32Array;
    try {
      values = (await v.data()) as Float32Array;
    } finally {
      v.dispose();
    }
    const [e, s1, z, zb, zs] = values;
    sse += e;
    l1 += s1;
    exact += z;
    below += zb;
    belowStrict += zs;
    entries += p.sizes[b] * D.shape[0];
  }
  return {
    objective: (0.5 * sse + alpha * l1) / p.count,
    r2: 1 - sse / p.totalSumSquares,
    exactZeros: exact / entries,
    zerosBelowThreshold: below / entries,
    zerosBelowStrict: belowStrict / entries,
  };
}
