import { Matrix as MlMatrix, solve } from 'ml-matrix';
import { fft2, fftFrequency } from '../../numeric/fft';

/**
 * How Gabor-like a basis is (issue 12's measure, as calibrated there with scikit-learn):
 *
 * 1. A least-squares fit of the 2-D Gabor function
 *      g(x, y) = A·exp(−x'²/(2σx²) − y'²/(2σy²))·cos(2πf·x' + φ),
 *      x' = (x − x0)cos θ + (y − y0)sin θ,  y' = −(x − x0)sin θ + (y − y0)cos θ
 *    (x the column, y the row, in pixels) by Levenberg–Marquardt, started from the atom's peak pixel
 *    (x0, y0, A), the peak of its DFT amplitude away from DC (f, θ), σx = σy = p/4, and each of four
 *    phases φ ∈ {0, π/2, π, 3π/2}; the best of the four is kept. R² = 1 − SSR/Σ(a − ā)².
 *    The envelope is held to σ ∈ [0.3, p] pixels and its centre to the patch (projected after each
 *    step): without that bound a plane wave — a PCA "chessboard" — would pass as a Gabor with an
 *    infinite envelope.
 * 2. The fraction of the atom's energy Σa² in its top 10 % of pixels (by a²): localisation alone.
 */
export interface GaborFit {
  /** θ in radians, in [0, π): direction of the carrier's wave vector. */
  orientation: number;
  /** Carrier frequency f in cycles/pixel. */
  frequency: number;
  sigmaX: number;
  sigmaY: number;
  x0: number;
  y0: number;
  phase: number;
  amplitude: number;
  r2: number;
}

type Params = Float64Array; // [A, x0, y0, θ, f, φ, σx, σy]
const NP = 8;

function model(q: Params, p: number, out: Float64Array): void {
  const [A, x0, y0, th, f, ph, sx, sy] = q;
  const c = Math.cos(th);
  const s = Math.sin(th);
  for (let y = 0; y < p; y++) {
    for (let x = 0; x < p; x++) {
      const dx = x - x0;
      const dy = y - y0;
      const xr = dx * c + dy * s;
      const yr = -dx * s + dy * c;
      out[y * p + x] = A * Math.exp(-(xr * xr) / (2 * sx * sx) - (yr * yr) / (2 * sy * sy)) * Math.cos(2 * Math.PI * f * xr + ph);
    }
  }
}

function project(q: Params, p: number): void {
  q[1] = Math.min(p - 0.5, Math.max(-0.5, q[1]));
  q[2] = Math.min(p - 0.5, Math.max(-0.5, q[2]));
  q[4] = Math.min(0.5, Math.abs(q[4]));
  q[6] = Math.min(p, Math.max(0.3, Math.abs(q[6])));
  q[7] = Math.min(p, Math.max(0.3, Math.abs(q[7])));
}

function ssr(a: ArrayLike<number>, g: Float64Array): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += (a[i] - g[i]) ** 2;
  return s;
}

/** Levenberg–Marquardt from `q` (modified in place); returns the final sum of squared residuals. */
function levenbergMarquardt(a: ArrayLike<number>, p: number, q: Params, maxIter = 100): number {
  const n = p * p;
  const g = new Float64Array(n);
  const gh = new Float64Array(n);
  const J = new Float64Array(n * NP);
  model(q, p, g);
  let cost = ssr(a, g);
  let lambda = 1e-2;
  const trial = new Float64Array(NP);
  for (let it = 0; it < maxIter; it++) {
    for (let k = 0; k < NP; k++) {
      const h = 1e-6 * Math.max(1, Math.abs(q[k]));
      const saved = q[k];
      q[k] = saved + h;
      model(q, p, gh);
      q[k] = saved;
      for (let i = 0; i < n; i++) J[i * NP + k] = (gh[i] - g[i]) / h;
    }
    const JtJ = new MlMatrix(NP, NP);
    const Jtr = new MlMatrix(NP, 1);
    for (let i = 0; i < n; i++) {
      const r = a[i] - g[i];
      for (let k = 0; k < NP; k++) {
        Jtr.set(k, 0, Jtr.get(k, 0) + J[i * NP + k] * r);
        for (let l = 0; l <= k; l++) JtJ.set(k, l, JtJ.get(k, l) + J[i * NP + k] * J[i * NP + l]);
      }
    }
    for (let k = 0; k < NP; k++) for (let l = 0; l < k; l++) JtJ.set(l, k, JtJ.get(k, l));
    let improved = false;
    for (let tries = 0; tries < 10 && !improved; tries++) {
      const M = JtJ.clone();
      for (let k = 0; k < NP; k++) M.set(k, k, JtJ.get(k, k) * (1 + lambda) + 1e-12);
      let step: MlMatrix;
      try {
        step = solve(M, Jtr);
      } catch {
        lambda *= 10;
        continue;
      }
      for (let k = 0; k < NP; k++) trial[k] = q[k] + step.get(k, 0);
      project(trial, p);
      model(trial, p, gh);
      const c = ssr(a, gh);
      if (c < cost) {
        const rel = (cost - c) / Math.max(cost, 1e-300);
        q.set(trial);
        g.set(gh);
        cost = c;
        lambda = Math.max(lambda / 3, 1e-9);
        improved = true;
        if (rel < 1e-9) return cost;
      } else {
        lambda *= 10;
      }
    }
    if (!improved) break;
  }
  return cost;
}

/** The starting point of the fit: peak pixel and DFT peak (see the module comment). */
function initialGuess(a: ArrayLike<number>, p: number): { x0: number; y0: number; A: number; f: number; theta: number } {
  let peak = 0;
  for (let i = 1; i < p * p; i++) if (Math.abs(a[i]) > Math.abs(a[peak])) peak = i;
  const re = Float64Array.from(a);
  const im = new Float64Array(p * p);
  fft2(re, im, p, p);
  let best = -1;
  let bestAmp = -1;
  for (let i = 1; i < p * p; i++) {
    const amp = re[i] * re[i] + im[i] * im[i];
    if (amp > bestAmp) {
      bestAmp = amp;
      best = i;
    }
  }
  const fy = fftFrequency(Math.floor(best / p), p);
  const fx = fftFrequency(best % p, p);
  let theta = Math.atan2(fy, fx);
  if (theta < 0) theta += Math.PI;
  return { x0: peak % p, y0: Math.floor(peak / p), A: a[peak], f: Math.hypot(fx, fy), theta };
}

/** The best 2-D Gabor fit of a p×p atom (row-major) over four starting phases. */
export function fitGabor(a: ArrayLike<number>, p: number): GaborFit {
  const n = p * p;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += a[i];
  mean /= n;
  let sst = 0;
  for (let i = 0; i < n; i++) sst += (a[i] - mean) ** 2;
  const init = initialGuess(a, p);
  let best: { q: Params; cost: number } | undefined;
  for (const phase of [0, Math.PI / 2, Math.PI, (3 * Math.PI) / 2]) {
    // The peak pixel has the carrier at phase 0 there: a cosine phase of 0 or π keeps A's sign meaningful.
    const q = Float64Array.from([Math.abs(init.A), init.x0, init.y0, init.theta, init.f, phase, p / 4, p / 4]);
    const cost = levenbergMarquardt(a, p, q);
    if (!best || cost < best.cost) best = { q, cost };
  }
  const q = best!.q;
  let theta = q[3] % Math.PI;
  if (theta < 0) theta += Math.PI;
  return {
    amplitude: q[0],
    x0: q[1],
    y0: q[2],
    orientation: theta,
    frequency: q[4],
    phase: q[5],
    sigmaX: q[6],
    sigmaY: q[7],
    r2: sst > 0 ? 1 - best!.cost / sst : 0,
  };
}

/** Fraction of Σa² held by the ⌈10 %⌉ largest a². */
export function topEnergyFraction(a: ArrayLike<number>, fraction = 0.1): number {
  const sq = Array.from(a, (v) => v * v).sort((x, y) => y - x);
  const total = sq.reduce((s, v) => s + v, 0);
  const top = sq.slice(0, Math.ceil(fraction * sq.length)).reduce((s, v) => s + v, 0);
  return total > 0 ? top / total : 0;
}
