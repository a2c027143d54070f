import type * as tf from '@tensorflow/tfjs';
import { Lbfgs, lbfgsStopReason, type LbfgsOptions, type LbfgsStep, type LbfgsStopCause } from './lbfgs';
import type { StopReason } from './stop_reason';
import type { LineSearchRecord } from './strong_wolfe';

/** What `minimizeLbfgs` did (stopping causes: see lbfgs.ts). */
export interface LbfgsResult {
  /** Iterations (steps that moved the variables). */
  iterations: number;
  /** Loss + gradient evaluations. */
  evaluations: number;
  /** Final loss and ‖g‖∞. */
  f: number;
  gradNorm: number;
  /** The specific cause, and the project-wide StopReason it maps to. */
  cause: LbfgsStopCause;
  stopReason: StopReason;
  /** Every line search's record, when `recordLineSearches` was set. */
  lineSearches?: LineSearchRecord[];
}

/**
 * Minimises `loss` over `variables` with L-BFGS until a stopping test fires or the iteration or
 * evaluation budget is spent; leaves the variables at the last accepted point. Every tensor it makes is
 * freed before it returns.
 */
export async function minimizeLbfgs(loss: () => tf.Scalar, variables: tf.Variable[], options: LbfgsOptions = {}): Promise<LbfgsResult> {
  const maxIterations = options.maxIterations ?? 1000;
  const maxEvaluations = options.maxEvaluations ?? Math.ceil(1.25 * maxIterations);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new RangeError(`L-BFGS maxIterations must be an integer ≥ 1, got ${maxIterations}`);
  if (!Number.isInteger(maxEvaluations) || maxEvaluations < 1) throw new RangeError(`L-BFGS maxEvaluations must be an integer ≥ 1, got ${maxEvaluations}`);
  const opt = new Lbfgs(loss, variables, options);
  const lineSearches: LineSearchRecord[] = [];
  try {
    let last: LbfgsStep | undefined;
    let cause: LbfgsStopCause | undefined;
    while (cause === undefined) {
      if (opt.iterations >= maxIterations) {
        cause = 'maxIterations';
        break;
      }
      if (opt.evaluations >= maxEvaluations) {
        cause = 'maxEvaluations';
        break;
      }
      last = await opt.step(maxEvaluations - opt.evaluations);
      if (last.lineSearch && options.recordLineSearches) lineSearches.push(last.lineSearch);
      cause = last.stop;
      if (cause === undefined && !last.moved && !last.restarted) cause = 'maxEvaluations';
    }
    return {
      iterations: opt.iterations,
      evaluations: opt.evaluations,
      f: last?.f ?? NaN,
      gradNorm: last?.gradNorm ?? NaN,
      cause,
      stopReason: lbfgsStopReason(cause),
      ...(options.recordLineSearches ? { lineSearches } : {}),
    };
  } finally {
    opt.dispose();
  }
}
