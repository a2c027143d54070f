import type { TracePoint } from './spred_solver';

/** Fractions of the converged zero-rate whose first-reach times are reported (paper §4.1). */
export const ZERO_RATE_LEVELS = [0.75, 0.9, 1] as const;
/** Relative suboptimalities (P(V) − P*)/P* whose first-reach times are reported (issue 4). */
export const SUBOPT_LEVELS = [1e-3, 1e-6] as const;

/** One row of `timing.csv`: one method on one problem, one repeat. */
export interface TimingRow {
  lambda_ratio: number;
  lambda: number;
  n: number;
  d: number;
  m: number;
  /** `cd`, `lars`, `fista` or `spred`. */
  method: string;
  /** spred's optimizer (`gd`, `adam`); empty for the baselines. */
  optimizer: string;
  learning_rate: number | null;
  repeat: number;
  /** Wall seconds of the whole solve (for spred: steps and stopping-rule checks, not the trace). */
  seconds: number;
  /**
   * First time the zero-rate (|v| ≤ thresholds[1]) reached 75 / 90 / 100 % of the converged one (the
   * zero-rate at the stopping point). spred: from its checks. Baselines are timed as a whole: their
   * converged zero-rate is seen only when they return, so 100 % is their `seconds` and 75/90 are empty.
   */
  seconds_to_zero_rate_75: number | null;
  seconds_to_zero_rate_90: number | null;
  seconds_to_zero_rate_100: number | null;
  /**
   * First time (P(V) − P*)/P* ≤ 1e-3 / 1e-6, P* from `referenceOptimum`. spred: at its checks (float64
   * objective of the float32 V). Baselines: their `seconds` if their final V gets there, else empty.
   */
  seconds_to_subopt_1e3: number | null;
  seconds_to_subopt_1e6: number | null;
  /** Steps (spred), iterations (CD sweeps, FISTA) or path steps (LARS); for m > 1 the largest column. */
  iterations: number;
  /** `converged`, `budget`, `max-iter`, `diverged`, `interrupted`. */
  stop: string;
  /** P(V) in float64 at the returned V (no threshold applied). */
  objective: number;
  reference_objective: number;
  /** (objective − P*)/P*. */
  rel_suboptimality: number;
  /** Fraction of the d·m entries with |v| ≤ thresholds[1]. */
  zero_rate: number;
  reference_zero_rate: number;
  /** Fraction of the d·m entries on which (|v| > thresholds[1]) equals (|V*_jc| > thresholds[1]). */
  support_agreement: number;
}

/** First time a trace point satisfies `ok`, or null. */
function firstTime(trace: readonly TracePoint[], ok: (p: TracePoint) => boolean): number | null {
  const p = trace.find(ok);
  return p === undefined ? null : p.seconds;
}

/** The milestone columns of a spred run from its trace. */
export function traceMilestones(
  trace: readonly TracePoint[],
  referenceObjective: number,
): Pick<TimingRow, 'seconds_to_zero_rate_75' | 'seconds_to_zero_rate_90' | 'seconds_to_zero_rate_100' | 'seconds_to_subopt_1e3' | 'seconds_to_subopt_1e6'> {
  const converged = trace.length > 0 ? trace[trace.length - 1].zeroRate2 : NaN;
  const zr = (f: number) => firstTime(trace, (p) => p.zeroRate2 >= f * converged);
  const sub = (s: number) => firstTime(trace, (p) => (p.objective - referenceObjective) / Math.abs(referenceObjective) <= s);
  return {
    seconds_to_zero_rate_75: zr(ZERO_RATE_LEVELS[0]),
    seconds_to_zero_rate_90: zr(ZERO_RATE_LEVELS[1]),
    seconds_to_zero_rate_100: zr(ZERO_RATE_LEVELS[2]),
    seconds_to_subopt_1e3: sub(SUBOPT_LEVELS[0]),
    seconds_to_subopt_1e6: sub(SUBOPT_LEVELS[1]),
  };
}

/** The milestone columns of a baseline timed as a whole (see `TimingRow`). */
export function wholeRunMilestones(seconds: number, relSuboptimality: number): ReturnType<typeof traceMilestones> {
  return {
    seconds_to_zero_rate_75: null,
    seconds_to_zero_rate_90: null,
    seconds_to_zero_rate_100: seconds,
    seconds_to_subopt_1e3: relSuboptimality <= SUBOPT_LEVELS[0] ? seconds : null,
    seconds_to_subopt_1e6: relSuboptimality <= SUBOPT_LEVELS[1] ? seconds : null,
  };
}

/** Zero-rate and support agreement of V (d×m) against the reference V*, zero meaning |v| ≤ threshold. */
export function supportStats(v: Float64Array, reference: Float64Array, threshold: number): { zeroRate: number; agreement: number } {
  let zeros = 0;
  let agree = 0;
  for (let i = 0; i < v.length; i++) {
    const zero = Math.abs(v[i]) <= threshold;
    if (zero) zeros++;
    if (zero === (Math.abs(reference[i]) <= threshold)) agree++;
  }
  return { zeroRate: zeros / v.length, agreement: agree / v.length };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}
