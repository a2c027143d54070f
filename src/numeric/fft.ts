/**
 * A small complex FFT for any length, and its 2-D form, in float64 (no npm dependency).
 *
 * - Powers of two: iterative radix-2 Cooley–Tukey (bit-reversal permutation, then butterflies).
 * - Other lengths: Bluestein's chirp-z algorithm, which writes a length-n DFT as a circular
 *   convolution of length m = the next power of two ≥ 2n − 1, done with three radix-2 FFTs. It computes
 *   the exact DFT of length n (no zero-padding of the signal), so results match numpy's `fft`/`fft2`.
 *
 * Conventions (numpy's): the forward transform is X_k = Σ_j x_j e^{−2πi jk/n}, unnormalised; the inverse
 * divides by n (by rows·cols in 2-D). Arrays hold the real and imaginary parts separately and are
 * transformed in place. Twiddles and chirps are computed directly (cos/sin of each angle, not by
 * recurrence), so the error grows like log n · ε.
 */

/** Precomputed tables for one length. */
interface Plan {
  n: number;
  /** Radix-2 only: bit-reversed index of each position. */
  rev?: Uint32Array;
  /** Radix-2 only: cos and sin of 2πk/n for k < n/2. */
  cos?: Float64Array;
  sin?: Float64Array;
  /** Bluestein only: the radix-2 length m and the chirp w_k = e^{−πi k²/n}, k < n. */
  m?: number;
  chirpRe?: Float64Array;
  chirpIm?: Float64Array;
  /** Bluestein only: the FFT (length m) of the conjugate chirp wrapped circularly. */
  kernelRe?: Float64Array;
  kernelIm?: Float64Array;
}

const plans = new Map<number, Plan>();

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

function nextPowerOfTwo(n: number): number {
  let m = 1;
  while (m < n) m *= 2;
  return m;
}

function radix2Plan(n: number): Plan {
  const bits = Math.round(Math.log2(n));
  const rev = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >>> b) & 1) << (bits - 1 - b);
    rev[i] = r >>> 0;
  }
  const half = n >>> 1;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  return { n, rev, cos, sin };
}

function planFor(n: number): Plan {
  let plan = plans.get(n);
  if (plan) return plan;
  if (isPowerOfTwo(n)) {
    plan = radix2Plan(n);
  } else {
    const m = nextPowerOfTwo(2 * n - 1);
    const chirpRe = new Float64Array(n);
    const chirpIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      // k² mod 2n keeps the angle small (exact in integers) so large k lose no precision.
      const k2 = (k * k) % (2 * n);
      const a = (Math.PI * k2) / n;
      chirpRe[k] = Math.cos(a);
      chirpIm[k] = -Math.sin(a);
    }
    // Kernel b_k = conj(w_k) for k < n, placed at k and m − k (circular convolution).
    const kernelRe = new Float64Array(m);
    const kernelIm = new Float64Array(m);
    kernelRe[0] = chirpRe[0];
    kernelIm[0] = -chirpIm[0];
    for (let k = 1; k < n; k++) {
      kernelRe[k] = kernelRe[m - k] = chirpRe[k];
      kernelIm[k] = kernelIm[m - k] = -chirpIm[k];
    }
    radix2(kernelRe, kernelIm, planFor(m), false);
    plan = { n, m, chirpRe, chirpIm, kernelRe, kernelIm };
  }
  plans.set(n, plan);
  return plan;
}

/** In-place unnormalised radix-2 transform; `inverse` flips the sign of the exponent. */
function radix2(re: Float64Array, im: Float64Array, plan: Plan, inverse: boolean): void {
  const n = plan.n;
  const rev = plan.rev!;
  const cos = plan.cos!;
  const sin = plan.sin!;
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (j > i) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size *= 2) {
    const half = size >>> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step];
        const wi = sign * sin[k * step];
        const a = start + k;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

/** In-place unnormalised Bluestein transform of length n (any n). */
function bluestein(re: Float64Array, im: Float64Array, plan: Plan, inverse: boolean): void {
  const n = plan.n;
  const m = plan.m!;
  const cr = plan.chirpRe!;
  // The inverse transform uses the conjugate chirp: conj(DFT(conj x)) = inverse DFT · n.
  const s = inverse ? -1 : 1;
  const ci = plan.chirpIm!;
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    const xr = re[k];
    const xi = s * im[k];
    ar[k] = xr * cr[k] - xi * ci[k];
    ai[k] = xr * ci[k] + xi * cr[k];
  }
  const inner = planFor(m);
  radix2(ar, ai, inner, false);
  const kr = plan.kernelRe!;
  const ki = plan.kernelIm!;
  for (let k = 0; k < m; k++) {
    const r = ar[k] * kr[k] - ai[k] * ki[k];
    ai[k] = ar[k] * ki[k] + ai[k] * kr[k];
    ar[k] = r;
  }
  radix2(ar, ai, inner, true);
  for (let k = 0; k < n; k++) {
    const yr = ar[k] / m;
    const yi = ai[k] / m;
    re[k] = yr * cr[k] - yi * ci[k];
    im[k] = s * (yr * ci[k] + yi * cr[k]);
  }
}

function transform(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  if (im.length !== n) throw new RangeError(`fft: real and imaginary parts differ in length (${n} and ${im.length})`);
  if (n <= 1) return;
  const plan = planFor(n);
  if (plan.rev) radix2(re, im, plan, inverse);
  else bluestein(re, im, plan, inverse);
}

/** In-place forward DFT X_k = Σ_j x_j e^{−2πi jk/n} of any length. */
export function fft(re: Float64Array, im: Float64Array): void {
  transform(re, im, false);
}

/** In-place inverse DFT x_j = (1/n) Σ_k X_k e^{+2πi jk/n} of any length. */
export function ifft(re: Float64Array, im: Float64Array): void {
  transform(re, im, true);
  const n = re.length;
  for (let i = 0; i < n; i++) {
    re[i] /= n;
    im[i] /= n;
  }
}

function transform2(re: Float64Array, im: Float64Array, rows: number, cols: number, inverse: boolean): void {
  if (re.length !== rows * cols || im.length !== rows * cols) {
    throw new RangeError(`fft2: arrays of ${re.length} and ${im.length} values do not hold ${rows}×${cols}`);
  }
  const rowRe = new Float64Array(cols);
  const rowIm = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    rowRe.set(re.subarray(o, o + cols));
    rowIm.set(im.subarray(o, o + cols));
    transform(rowRe, rowIm, inverse);
    re.set(rowRe, o);
    im.set(rowIm, o);
  }
  const colRe = new Float64Array(rows);
  const colIm = new Float64Array(rows);
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) {
      colRe[r] = re[r * cols + c];
      colIm[r] = im[r * cols + c];
    }
    transform(colRe, colIm, inverse);
    for (let r = 0; r < rows; r++) {
      re[r * cols + c] = colRe[r];
      im[r * cols + c] = colIm[r];
    }
  }
}

/** In-place forward 2-D DFT of a row-major rows×cols array (rows first, then columns). */
export function fft2(re: Float64Array, im: Float64Array, rows: number, cols: number): void {
  transform2(re, im, rows, cols, false);
}

/** In-place inverse 2-D DFT (divides by rows·cols). */
export function ifft2(re: Float64Array, im: Float64Array, rows: number, cols: number): void {
  transform2(re, im, rows, cols, true);
  const scale = 1 / (rows * cols);
  for (let i = 0; i < re.length; i++) {
    re[i] *= scale;
    im[i] *= scale;
  }
}

/**
 * Frequency of DFT bin k of a length-n transform in cycles per sample, as numpy's `fftfreq`:
 * k/n for k < ⌈n/2⌉, (k − n)/n above (the Nyquist bin of an even n is −1/2).
 */
export function fftFrequency(k: number, n: number): number {
  return (k < Math.ceil(n / 2) ? k : k - n) / n;
}
