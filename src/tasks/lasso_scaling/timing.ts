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
   * Time from which the zero-rate (|v| ≤ thresholds[1]) stays at or above 75 / 90 / 100 % of the
   * converged one (the zero-rate at the end) — the paper's metric, read as "reached for good": a solver
   * that starts from V = 0 (the baselines) starts at zero-rate 1, so a first crossing would say 0. From
   * each method's trace: spred's checks, the baselines' iterations (`baseline_trace.ts`).
   */
  seconds_to_zero_rate_75: number | null;
  seconds_to_zero_rate_90: number | null;
  seconds_to_zero_rate_100: number | null;
  /**
   * First time (P(V) − P*)/P* ≤ 1e-3 / 1e-6, P* from `referenceOptimum`, at a trace point (float64
   * objective; spred's of its float32 V). For m > 1 the baselines solve column after column, so this
   * is reached only in the last column.
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

/**
 * The time compared across methods (paper Fig. 2 right, the `vs cd` ratio, `scaling.svg`): for spred
 * its time to 100 % of the converged zero-rate; for a baseline its solve, start to return (its own
 * stopping rule, a duality gap ≤ tol, or the end of the LARS path). A baseline's own zero-rate
 * milestones say little here: it starts from V = 0, and LARS, adding variables, is at ≥ 100 % of its
 * final zero-rate from its first step.
 */
export function timeToSolution(r: Pick<TimingRow, 'method' | 'seconds' | 'seconds_to_zero_rate_100'>): number | null {
  return r.method === 'spred' ? r.seconds_to_zero_rate_100 : r.seconds;
}

/** First time a trace point satisfies `ok`, or null. */
function firstTime(trace: readonly TracePoint[], ok: (p: TracePoint) => boolean): number | null {
  const p = trace.find(ok);
  return p === undefined ? null : p.seconds;
}

/** Time of the first point from which every later point satisfies `ok`, or null. */
function timeKept(trace: readonly TracePoint[], ok: (p: TracePoint) => boolean): number | null {
  let i = trace.length;
  while (i > 0 && ok(trace[i - 1])) i--;
  return i === trace.length ? null : trace[i].seconds;
}

/** The milestone columns of a run from its trace (spred's checks or a baseline's iterations). */
export function traceMilestones(
  trace: readonly TracePoint[],
  referenceObjective: number,
): Pick<TimingRow, 'seconds_to_zero_rate_75' | 'seconds_to_zero_rate_90' | 'seconds_to_zero_rate_100' | 'seconds_to_subopt_1e3' | 'seconds_to_subopt_1e6'> {
  const converged = trace.length > 0 ? trace[trace.length - 1].zeroRate2 : NaN;
  const zr = (f: number) => timeKept(trace, (p) => p.zeroRate2 >= f * converged);
  const sub = (s: number) => firstTime(trace, (p) => (p.objective - referenceObjective) / Math.abs(referenceObjective) <= s);
  return {
    seconds_to_zero_rate_75: zr(ZERO_RATE_LEVELS[0]),
    seconds_to_zero_rate_90: zr(ZERO_RATE_LEVELS[1]),
    seconds_to_zero_rate_100: zr(ZERO_RATE_LEVELS[2]),
    seconds_to_subopt_1e3: sub(SUBOPT_LEVELS[0]),
    seconds_to_subopt_1e6: sub(SUBOPT_LEVELS[1]),
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
