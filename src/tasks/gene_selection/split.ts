import { createRng } from '../../numeric/prng';
import type { GeneSelectionConfig } from './config';

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

/** The authors' unstratified split of n rows: test round(0.2n), dev round(0.2·rest), the rest (≈ 64 %) train. */
export function authorsAllocation(n: number): ClassAllocation {
  const test = Math.round(0.2 * n);
  const dev = Math.round(0.2 * (n - test));
  return { train: n - test - dev, dev, test };
}

/** A seeded unstratified 64/16/20 split of n rows (the authors' loader: shuffle, cut). */
export function authorsSplit(n: number, seed: number): Split {
  const a = authorsAllocation(n);
  const order = createRng(seed).sample(n, n);
  const sorted = (xs: Int32Array) => Int32Array.from(xs).sort();
  return { train: sorted(order.subarray(0, a.train)), dev: sorted(order.subarray(a.train, a.train + a.dev)), test: sorted(order.subarray(a.train + a.dev)) };
}

/** The split of a data set's rows the config asks for. */
export function splitFor(data: { labels: Int32Array; splitMode: 'stratified' | 'authors' }, config: GeneSelectionConfig, seed: number): Split {
  return data.splitMode === 'authors'
    ? authorsSplit(data.labels.length, seed)
    : stratifiedSplit(data.labels, config.trainFraction, config.devFraction, seed);
}

export interface PreparedSplit {
  split: Split;
  train: Float32Array;
  dev: Float32Array;
  test: Float32Array;
  stats: Standardisation;
}

/**
 * The split's three parts, preprocessed with statistics of its training rows only — or with `fixed`
 * statistics (`preprocess: authors`). `rowSample` maps the split's rows to rows of `values` (a sample
 * is several rows in `labels: authors` mode).
 */
export function prepareSplit(values: Float32Array, d: number, split: Split, rowSample: Int32Array, fixed?: Standardisation): PreparedSplit {
  const samples = (rows: Int32Array) => Int32Array.from(rows, (r) => rowSample[r]);
  const train = samples(split.train);
  const stats = fixed ?? fitStandardisation(values, d, train);
  return {
    split,
    stats,
    train: applyStandardisation(values, d, train, stats),
    dev: applyStandardisation(values, d, samples(split.dev), stats),
    test: applyStandardisation(values, d, samples(split.test), stats),
  };
}
