/**
 * Summary statistics, in one place: sum, mean, median, ranks, Pearson and Spearman correlation, and a
 * least-squares line with its R².
 *
 * NaN: every function here returns NaN (or NaNs) when an input value is NaN, rather than a number that
 * depends on where the NaN stood (a comparator `a - b` sort treats NaN as equal to everything). An empty
 * input gives NaN (there is nothing to summarise), never a throw: callers that want `null` for "none"
 * test the length themselves.
 */

/** Σ xs, added left to right from 0 (0 for an empty input). */
export function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
}

/** Arithmetic mean; NaN for an empty input. */
export function mean(xs: ArrayLike<number>): number {
  return sum(xs) / xs.length;
}

/** Standard error of the mean: the sample standard deviation (n − 1) over √n; NaN for fewer than 2 values. */
export function standardError(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return NaN;
  const m = mean(xs);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i] - m) ** 2;
  return Math.sqrt(ss / (n - 1) / n);
}

function hasNaN(xs: ArrayLike<number>): boolean {
  for (let i = 0; i < xs.length; i++) if (Number.isNaN(xs[i])) return true;
  return false;
}

/** Median: the middle value, or the mean of the two middle values for an even length; NaN when empty or when any value is NaN. */
export function median(xs: ArrayLike<number>): number {
  if (xs.length === 0 || hasNaN(xs)) return NaN;
  const s = Array.from(xs).sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Ranks 1..n, ties sharing their average rank; all NaN when any value is NaN. */
export function ranks(xs: readonly number[]): number[] {
  if (hasNaN(xs)) return xs.map(() => NaN);
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x);
  const r = new Array<number>(xs.length);
  for (let s = 0; s < order.length; ) {
    let e = s;
    while (e + 1 < order.length && order[e + 1].x === order[s].x) e++;
    const avg = (s + e) / 2 + 1;
    for (let k = s; k <= e; k++) r[order[k].i] = avg;
    s = e + 1;
  }
  return r;
}

/** Pearson correlation; NaN when either side is constant or there are fewer than 2 points. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) throw new RangeError(`pearson: ${xs.length} x values but ${ys.length} y values`);
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** Spearman's ρ: the Pearson correlation of the (tie-averaged) ranks. NaN when a side is constant. */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  return pearson(ranks(xs), ranks(ys));
}

export interface LinearFit {
  slope: number;
  intercept: number;
  /** 1 − SS_res/SS_tot; NaN when y or x is constant (no line to judge). */
  r2: number;
}

/** Least-squares line y ≈ slope·x + intercept and its R² (= Pearson r² for a fitted line). */
export function linearFit(xs: readonly number[], ys: readonly number[]): LinearFit {
  const n = xs.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxx === 0 ? NaN : sxy / sxx;
  const r = pearson(xs, ys);
  return { slope, intercept: my - slope * mx, r2: r * r };
}
