import { InterruptedError } from '../../errors';
import { results, type FitContext, type FitOutcome, type OutputContext, type TaskImplementation } from '../task';
import type { LassoScalingConfig } from './config';
import { scalingPlot } from './plots';
import { makeSyntheticProblem, npyProblem, problemAsNpy, type ScalingProblem } from './problem';
import { summary, timeProblem } from './time_problem';
import type { ScalingFit, ScalingInputs } from './task';
import type { TimingRow } from './timing';

/**
 * The high-dimensional lasso timing experiment (paper §4.1 "High-dimensional Lasso", Fig. 2 right;
 * issue 4), one fit per problem (d, m): the reference optimum P* at each λ = ratio·λ_max (coordinate
 * descent to a duality gap of `referenceTol`), then `repeats` rounds of every method on that same
 * problem, one `timing.csv` row each; `scaling.svg` plots time against d (log–log). Generating X, its
 * column-major copy and its upload to the backend are not timed.
 */
interface Shared {
  config: LassoScalingConfig;
  inputs: ScalingInputs;
}

function problemOf(fit: ScalingFit, { config, inputs }: Shared): ScalingProblem {
  if (fit.source === 'npy') {
    if (inputs === undefined) throw new Error('the .npy problem was not loaded by checkInputs');
    return npyProblem(inputs.problem, inputs.x, inputs.y);
  }
  if (config.problem.source !== 'synthetic') throw new Error(`fit ${fit.key} needs a synthetic problem`);
  return makeSyntheticProblem(config.problem, fit.d, fit.m, config.seed);
}

async function runFit(fit: ScalingFit, shared: Shared, ctx: FitContext): Promise<TimingRow[]> {
  const { config } = shared;
  const p = problemOf(fit, shared);
  const { n, d } = p.X;
  const m = p.Y.cols;
  ctx.log(`problem ${p.label}: N=${n} d=${d} m=${m}, λ_max=${p.lambdaMax.toPrecision(6)}`);
  if (config.saveProblems && fit.source === 'synthetic') {
    const files = problemAsNpy(p, config.saveProblems);
    ctx.writeBytes(`problems/d${d}-m${m}-X.npy`, files.x);
    ctx.writeBytes(`problems/d${d}-m${m}-Y.npy`, files.y);
  }
  const rows = await timeProblem(p, config, { interrupted: () => ctx.interrupted(), log: (line) => ctx.log(line), done: (what) => ctx.detail(`${what} solved`) });
  if (ctx.interrupted()) throw new InterruptedError();
  return rows;
}

async function write(_config: LassoScalingConfig, outcomes: readonly FitOutcome<ScalingFit, TimingRow[]>[], out: OutputContext): Promise<void> {
  const rows = results(outcomes).flatMap((r) => r.result);
  out.writeCsv('timing.csv', rows);
  out.writeSvg('scaling.svg', await scalingPlot(rows));
  out.log(summary(rows));
}

export const scalingImplementation: TaskImplementation<LassoScalingConfig, ScalingFit, TimingRow[], Shared, ScalingInputs> = {
  setup: (config, inputs) => ({ config, inputs }),
  runFit,
  write,
};
