/**
 * A line search that returns a step satisfying the strong Wolfe conditions (Nocedal & Wright,
 * *Numerical Optimization*, 2nd ed., Alg. 3.5 "bracketing" and Alg. 3.6 "zoom", with the cubic
 * interpolation of their Eq. 3.59): for φ(t) = f(x + t·d) with φ'(0) < 0, a t > 0 such that
 *
 *   φ(t) ≤ φ(0) + c1·t·φ'(0)      (sufficient decrease, Armijo)
 *   |φ'(t)| ≤ c2·|φ'(0)|          (strong curvature)
 *
 * with 0 < c1 < c2 < 1 (defaults 1e-4 and 0.9, the quasi-Newton choice of N&W and of PyTorch's
 * `LBFGS(line_search_fn='strong_wolfe')`).
 *
 * It works on numbers only: `phi(t)` evaluates the function at one step and returns (or resolves to:
 * L-BFGS reads its tensors back with `await data()`) φ(t), φ'(t) and an opaque `payload` (L-BFGS
 * passes the gradient tensor at x + t·d, so the accepted point's gradient need not be computed again). The search keeps the payloads of the points it may still return and
 * hands every other one to `release` as soon as it is dropped, so a tensor payload never leaks; on
 * return the caller owns only the returned payload (none when t = 0).
 *
 * Round-off (option `fNoise`): in float32 a loss is only known to ~1e-7 relative, so near a minimum
 * φ(t) − φ(0) is noise and the exact sufficient-decrease test fails at random, which stalls a search
 * at ‖x − x*‖ ~ √eps. With fNoise > 0, a φ(t) within fNoise·|φ(0)| of φ(0) passes sufficient decrease
 * when φ'(t) ≤ (2c1 − 1)·φ'(0) (Hager & Zhang's approximate Wolfe condition, 2005: exact for a
 * quadratic φ, where φ(t) − φ(0) = t(φ'(0) + φ'(t))/2), and two such values are ordered by that
 * trapezoid estimate instead of by their difference. Accepted steps then meet sufficient decrease up to
 * fNoise·|φ(0)|, and the record says which test passed (`wolfe` or `approximate`).
 *
 * Safeguards (where N&W leave a choice): extrapolation picks the cubic minimiser of the last two points
 * within [t + 0.01·(t − t_prev), 10·t]; zoom picks it within the bracket, moved to 10 % of the
 * bracket's width from either end when the previous zoom point was also that close or the minimiser
 * falls on an end (PyTorch's rule: an interpolant may be right once, but two near-end points in a row
 * mean slow progress), and bisects when the cubic has no minimiser or is not finite. A non-finite φ(t)
 * counts as a failed sufficient decrease (the step was too long). The search stops without a Wolfe point after
 * `maxEvaluations` evaluations or when the bracket is shorter than `tolChange` in x (its width in t
 * times `dNorm`, ‖d‖∞); it then returns the best point that satisfies sufficient decrease, which may
 * be t = 0 (no progress).
 */
export interface StrongWolfeOptions {
  /** Sufficient-decrease constant, 0 < c1 < c2 (default 1e-4). */
  c1?: number;
  /** Curvature constant, c1 < c2 < 1 (default 0.9). */
  c2?: number;
  /** Most evaluations of φ (default 25). */
  maxEvaluations?: number;
  /** Give up when the bracket's width in x, |t_hi − t_lo|·dNorm, falls below this (default 1e-9). */
  tolChange?: number;
  /** ‖d‖∞, to measure the bracket in x (default 1: in t). */
  dNorm?: number;
  /**
   * Relative round-off of φ (default 0: off). When > 0, a φ(t) within fNoise·|φ(0)| of φ(0) is
   * compared by derivatives instead (see the file comment). L-BFGS passes 1e-6 for float32 losses.
   */
  fNoise?: number;
}

/** φ and φ' at one step, and what the caller wants back if that step is accepted. */
export interface LinePoint<T> {
  f: number;
  d: number;
  payload: T;
}

/** What a line search found, without the payload: enough to check the Wolfe conditions. */
export interface LineSearchRecord {
  /** The accepted step (0: no point with sufficient decrease was found). */
  t: number;
  /** φ(t) and φ'(t). */
  f: number;
  d: number;
  /** φ(0) and φ'(0). */
  f0: number;
  d0: number;
  /** Evaluations of φ this search made. */
  evaluations: number;
  /** The returned point satisfies both strong Wolfe conditions. */
  wolfe: boolean;
  /**
   * It satisfies the curvature condition and the approximate sufficient decrease (φ(t) − φ(0) within
   * round-off, φ'(t) ≤ (2c1 − 1)φ'(0)) but not the exact one in the computed numbers.
   */
  approximate: boolean;
  /** Why it returned: a Wolfe point, out of evaluations, or a bracket too short to split. */
  reason: 'wolfe' | 'maxEvaluations' | 'tolChange';
}

export interface LineSearchResult<T> extends LineSearchRecord {
  /** The payload of the accepted point (undefined when t = 0); the caller now owns it. */
  payload: T | undefined;
}

interface Point<T> {
  t: number;
  f: number;
  d: number;
  payload: T | undefined;
}

/**
 * Minimiser of the cubic through (t1, f1, d1) and (t2, f2, d2) (N&W Eq. 3.59), clamped to [lo, hi];
 * the midpoint of [lo, hi] when the cubic has no minimiser or the inputs are not finite.
 */
export function cubicMinimizer(t1: number, f1: number, d1: number, t2: number, f2: number, d2: number, lo: number, hi: number): number {
  const e1 = d1 + d2 - (3 * (f1 - f2)) / (t1 - t2);
  const disc = e1 * e1 - d1 * d2;
  if (disc >= 0 && Number.isFinite(disc)) {
    const e2 = Math.sign(t2 - t1) * Math.sqrt(disc);
    const t = t2 - ((t2 - t1) * (d2 + e2 - e1)) / (d2 - d1 + 2 * e2);
    if (Number.isFinite(t)) return Math.min(Math.max(t, lo), hi);
  }
  return (lo + hi) / 2;
}

/** The line search (see the file comment); `t1` > 0 is the first trial step. */
export async function strongWolfe<T>(
  phi: (t: number) => LinePoint<T> | Promise<LinePoint<T>>,
  f0: number,
  d0: number,
  t1: number,
  options: StrongWolfeOptions = {},
  release: (payload: T) => void = () => {},
): Promise<LineSearchResult<T>> {
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const maxEvaluations = options.maxEvaluations ?? 25;
  const tolChange = options.tolChange ?? 1e-9;
  const dNorm = options.dNorm ?? 1;
  const fNoise = options.fNoise ?? 0;
  if (!(fNoise >= 0)) throw new RangeError(`fNoise must be ≥ 0, got ${fNoise}`);
  if (!(c1 > 0 && c1 < c2 && c2 < 1)) throw new RangeError(`strong Wolfe needs 0 < c1 < c2 < 1, got c1 = ${c1}, c2 = ${c2}`);
  if (!(maxEvaluations >= 1)) throw new RangeError(`maxEvaluations must be ≥ 1, got ${maxEvaluations}`);
  if (!(d0 < 0)) throw new RangeError(`the line search needs a descent direction (φ'(0) < 0), got φ'(0) = ${d0}`);
  if (!Number.isFinite(f0)) throw new RangeError(`φ(0) must be finite, got ${f0}`);
  if (!(t1 > 0) || !Number.isFinite(t1)) throw new RangeError(`the first trial step must be finite and > 0, got ${t1}`);

  const armijo = (p: Point<T>) => p.f <= f0 + c1 * p.t * d0;
  const noise = fNoise * Math.abs(f0);
  /** Sufficient decrease, or its approximate form where f differences are round-off (file comment). */
  const decrease = (p: Point<T>) => armijo(p) || (noise > 0 && p.f <= f0 + noise && p.d <= (2 * c1 - 1) * d0);
  /** φ(p) ≥ φ(q), decided by φ' (trapezoid rule) when the difference is round-off. */
  const notBelow = (p: Point<T>, q: Point<T>) =>
    Math.abs(p.f - q.f) <= noise ? (p.t - q.t) * (p.d + q.d) >= 0 : p.f >= q.f;
  const curvature = (p: Point<T>) => Math.abs(p.d) <= -c2 * d0;
  const live = new Set<Point<T>>();
  /** Releases every live point except `keep`. */
  const prune = (...keep: Point<T>[]) => {
    for (const p of [...live]) {
      if (!keep.includes(p)) {
        live.delete(p);
        if (p.payload !== undefined) release(p.payload);
      }
    }
  };
  let evaluations = 0;
  const evaluate = async (t: number): Promise<Point<T>> => {
    const r = await phi(t);
    evaluations++;
    const p: Point<T> = { t, f: Number.isNaN(r.f) ? Infinity : r.f, d: r.d, payload: r.payload };
    live.add(p);
    return p;
  };
  const finish = (p: Point<T>, reason: LineSearchRecord['reason']): LineSearchResult<T> => {
    prune(p);
    live.clear();
    const wolfe = p.t > 0 && armijo(p) && curvature(p);
    const approximate = p.t > 0 && !armijo(p) && decrease(p) && curvature(p);
    return { t: p.t, f: p.f, d: p.d, f0, d0, evaluations, wolfe, approximate, reason, payload: p.payload };
  };

  try {
    const zero: Point<T> = { t: 0, f: f0, d: d0, payload: undefined };
    let prev = zero;
    let cur = await evaluate(t1);
    // Bracketing (Alg. 3.5): extrapolate until the interval [prev, cur] must contain a Wolfe point.
    let lo: Point<T>;
    let hi: Point<T>;
    for (;;) {
      if (!decrease(cur) || (prev !== zero && notBelow(cur, prev))) {
        lo = prev;
        hi = cur;
        break;
      }
      if (curvature(cur)) return finish(cur, 'wolfe');
      if (cur.d >= 0) {
        lo = cur;
        hi = prev;
        break;
      }
      if (evaluations >= maxEvaluations) return finish(cur, 'maxEvaluations');
      const next = cubicMinimizer(prev.t, prev.f, prev.d, cur.t, cur.f, cur.d, cur.t + 0.01 * (cur.t - prev.t), 10 * cur.t);
      prune(cur);
      prev = cur;
      cur = await evaluate(next);
    }
    prune(lo, hi);
    let nearEnd = false;
    // Zoom (Alg. 3.6): lo satisfies sufficient decrease with the lowest φ so far, and φ'(lo)·(hi − lo) < 0.
    for (;;) {
      if (evaluations >= maxEvaluations) return finish(lo, 'maxEvaluations');
      const a = Math.min(lo.t, hi.t);
      const b = Math.max(lo.t, hi.t);
      if ((b - a) * dNorm < tolChange) return finish(lo, 'tolChange');
      const margin = 0.1 * (b - a);
      let t = Number.isFinite(hi.f) ? cubicMinimizer(lo.t, lo.f, lo.d, hi.t, hi.f, hi.d, a, b) : (a + b) / 2;
      if (Math.min(b - t, t - a) < margin) {
        // Near an end: allowed once (the interpolant may be right), then moved 10 % inside.
        if (nearEnd || t <= a || t >= b) {
          t = t - a < b - t ? a + margin : b - margin;
          nearEnd = false;
        } else nearEnd = true;
      } else nearEnd = false;
      const p = await evaluate(t);
      if (!decrease(p) || notBelow(p, lo)) {
        hi = p;
      } else {
        if (curvature(p)) return finish(p, 'wolfe');
        if (p.d * (hi.t - lo.t) >= 0) hi = lo;
        lo = p;
      }
      prune(lo, hi);
    }
  } catch (error) {
    prune();
    throw error;
  }
}
