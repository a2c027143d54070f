import { createRng } from '../../numeric/prng';

/**
 * The splits and the per-split preprocessing of the gene-selection protocol (§4.2): stratified random
 * train / dev / test parts, and preprocessing fitted on the training rows only — missing values imputed
 * with the training mean of the gene, then each gene standardised with its training mean and standard
 * deviation. Nothing computed from dev or test rows reaches the model or the statistics.
 */

export interface ClassAllocation {
  train: number;
  dev: number;
  test: number;
}

/**
 * How a class of n samples is divided: dev = max(1, round(n·devFraction)), test = max(1,
 * round(n·testFraction)) with testFraction = 1 − trainFraction − devFraction, train the rest; null
 * when train would be empty (the class is too small for the split).
 */
export function classAllocation(n: number, trainFraction: number, devFraction: number): ClassAllocation | null {
  const testFraction = 1 - trainFraction - devFraction;
  const dev = Math.max(1, Math.round(n * devFraction));
  const test = Math.max(1, Math.round(n * testFraction));
  const train = n - dev - test;
  return train >= 1 ? { train, dev, test } : null;
}

export interface Split {
  /** Row indices (into the data set's kept samples), each part sorted ascending. */
  train: Int32Array;
  dev: Int32Array;
  test: Int32Array;
}

/** A seeded stratified split of `labels` (class indices): each class shuffled, then cut by `classAllocation`. */
export function stratifiedSplit(labels: Int32Array, trainFraction: number, devFraction: number, seed: number): Split {
  const rng = createRng(seed);
  const byClass = new Map<number, number[]>();
  labels.forEach((c, i) => {
    const list = byClass.get(c);
    if (list) list.push(i);
    else byClass.set(c, [i]);
  });
  const train: number[] = [];
  const dev: number[] = [];
  const test: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(c)!;
    const a = classAllocation(rows.length, trainFraction, devFraction);
    if (a === null) throw new RangeError(`class ${c} has ${rows.length} samples: too few for the split`);
    const order = rng.sample(rows.length, rows.length);
    order.forEach((j, k) => (k < a.train ? train : k < a.train + a.dev ? dev : test).push(rows[j]));
  }
  const sorted = (xs: number[]) => Int32Array.from(xs).sort();
  return { train: sorted(train), dev: sorted(dev), test: sorted(test) };
}

export interface Standardisation {
  /** Per gene: training mean (NaN-ignoring; 0 when every training value is missing). */
  mean: Float64Array;
  /** Per gene: training standard deviation (n − 1; 0 for a gene constant on the training rows). */
  sd: Float64Array;
}

/** Per-gene mean and standard deviation over the `rows` of an n × d sample-major matrix, missing values skipped. */
export function fitStandardisation(values: Float32Array, d: number, rows: Int32Array): Standardisation {
  const mean = new Float64Array(d);
  const count = new Float64Array(d);
  for (const r of rows) {
    const o = r * d;
    for (let g = 0; g < d; g++) {
      const v = values[o + g];
      if (v === v) {
        mean[g] += v;
        count[g]++;
      }
    }
  }
  for (let g = 0; g < d; g++) mean[g] = count[g] > 0 ? mean[g] / count[g] : 0;
  // Imputed values equal the mean, so they add nothing to the sum of squares; divide by (rows − 1).
  const ss = new Float64Array(d);
  for (const r of rows) {
    const o = r * d;
    for (let g = 0; g < d; g++) {
      const v = values[o + g];
      if (v === v) ss[g] += (v - mean[g]) ** 2;
    }
  }
  const sd = new Float64Array(d);
  const denom = Math.max(1, rows.length - 1);
  for (let g = 0; g < d; g++) sd[g] = Math.sqrt(ss[g] / denom);
  return { mean, sd };
}

/**
 * The `rows` of the matrix imputed and standardised with `s` (from the training rows): (x − mean)/sd,
 * a missing value becoming 0 (the training mean), and a gene with sd 0 becoming 0 everywhere.
 */
export function applyStandardisation(values: Float32Array, d: number, rows: Int32Array, s: Standardisation): Float32Array {
  const out = new Float32Array(rows.length * d);
  const inv = s.sd.map((x) => (x > 0 ? 1 / x : 0));
  rows.forEach((r, k) => {
    const o = r * d;
    const q = k * d;
    for (let g = 0; g < d; g++) {
      const v = values[o + g];
      out[q + g] = v === v && inv[g] > 0 ? (v - s.mean[g]) * inv[g] : 0;
    }
  });
  return out;
}

export interface PreparedSplit {
  split: Split;
  train: Float32Array;
  dev: Float32Array;
  test: Float32Array;
  stats: Standardisation;
}

/** The split's three parts, preprocessed with statistics of its training rows only. */
export function prepareSplit(values: Float32Array, d: number, split: Split): PreparedSplit {
  const stats = fitStandardisation(values, d, split.train);
  return {
    split,
    stats,
    train: applyStandardisation(values, d, split.train, stats),
    dev: applyStandardisation(values, d, split.dev, stats),
    test: applyStandardisation(values, d, split.test, stats),
  };
}
