import * as tf from '@tensorflow/tfjs';
import { InterruptedError } from '../../errors';
import { results, type FitContext, type FitOutcome, type OutputContext, type TaskImplementation } from '../task';
import type { LassoConfig } from './config';
import { evaluateFinal } from './evaluate';
import { initialParameters } from './init';
import { sparsityPlot, trajectoryPlot } from './plots';
import { makeOrthogonalProblem, type OrthogonalLassoProblem } from './problem';
import { closedFormRows, selectBest, type SparsityRow, type SweepRow } from './rows';
import { trainGrid, type CheckRow, type IterativeMethod, type OptimizerName } from './train_grid';

/**
 * The orthogonal-design lasso experiment (paper §4.1, Fig. 2 left; App. A.1 Fig. 7; App. A.2 Fig. 6)
 * as a sweep: one fit gives the closed-form soft threshold at every λ; every other fit trains one
 * (method, optimizer, learning rate) on all λ of the grid at once. The outputs keep, per λ, the rate
 * with the lowest final objective (the paper's protocol) and compare sparse ratios at two thresholds
 * with the closed form.
 */
export type LassoFit =
  | { key: string; kind: 'closed-form' }
  | { key: string; kind: 'iterative'; method: IterativeMethod; optimizer: OptimizerName; learningRate: number };

export type LassoResult = { kind: 'closed-form'; rows: SparsityRow[] } | { kind: 'iterative'; sweep: SweepRow[]; trajectory: CheckRow[] };

interface Shared {
  config: LassoConfig;
  problem: OrthogonalLassoProblem;
  closed: SparsityRow[];
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

async function runFit(fit: LassoFit, s: Shared, ctx: FitContext): Promise<LassoResult> {
  const config = s.config;
  if (fit.kind === 'closed-form') return { kind: 'closed-form', rows: s.closed };
  const init = initialParameters(fit.method, s.problem.d, config.lambdas.length, config);
  const t0 = performance.now();
  try {
    const result = await trainGrid(
      { x: s.x, y: s.y, lambdas: config.lambdas },
      {
        method: fit.method,
        optimizer: fit.optimizer,
        learningRate: fit.learningRate,
        iterations: config.iterations,
        thresholds: config.thresholds,
        checkEvery: config.checkEvery,
        patience: config.patience,
        init,
        alphaOverBeta: config.spred.alphaOverBeta,
        onCheck: () => ctx.interrupted(),
      },
    );
    if (result.stop === 'interrupted') throw new InterruptedError();
    const seconds = (performance.now() - t0) / 1000;
    ctx.detail(`${result.iterations} steps, stop ${result.stop}, ${seconds.toFixed(2)} s`);
    return {
      kind: 'iterative',
      sweep: evaluateFinal(s.problem, config.lambdas, s.closed, fit, result, seconds, config.thresholds),
      trajectory: result.trajectory,
    };
  } finally {
    tf.dispose(Object.values(init));
  }
}

async function write(config: LassoConfig, outcomes: readonly FitOutcome<LassoFit, LassoResult>[], out: OutputContext): Promise<void> {
  const closed: SparsityRow[] = [];
  const sweep: SweepRow[] = [];
  const trajectories = new Map<string, CheckRow[]>();
  for (const { fit, result } of results(outcomes)) {
    if (result.kind === 'closed-form') closed.push(...result.rows);
    else {
      sweep.push(...result.sweep);
      trajectories.set(fit.key, result.trajectory);
    }
  }
  const selected = selectBest(sweep);
  const rows: SparsityRow[] = [...closed, ...selected];
  out.writeCsv('sparsity.csv', rows);
  out.writeCsv('sweep.csv', sweep);
  // Figure 7's trajectories, at each selected (method, optimizer, λ) learning rate.
  const trajectoryRows = selected
    .filter((s) => s.optimizer !== 'best')
    .flatMap((s) =>
      (trajectories.get(`${s.method}/${s.optimizer}/lr=${s.learning_rate}`) ?? [])
        .filter((r) => r.lambda === s.lambda)
        .map((r) => ({
          method: s.method,
          optimizer: s.optimizer,
          learning_rate: s.learning_rate,
          lambda: r.lambda,
          iteration: r.iteration,
          sparse_ratio_1: r.sparseRatio1,
          sparse_ratio_2: r.sparseRatio2,
          l1_norm: r.l1Norm,
          objective: r.objective,
        })),
    );
  out.writeCsv('trajectory.csv', trajectoryRows);
  out.writeSvg('sparsity.svg', await sparsityPlot(rows, config.thresholds));
  out.writeSvg('trajectory.svg', await trajectoryPlot(trajectoryRows, config.lambdas));
  out.log(summary(rows));
}

function summary(rows: SparsityRow[]): string {
  const by = new Map<string, SparsityRow[]>();
  for (const r of rows) {
    const k = `${r.method}${r.optimizer ? `/${r.optimizer}` : ''}`;
    by.set(k, [...(by.get(k) ?? []), r]);
  }
  const lines = ['sparse ratio per λ at the first threshold; err: largest |sparse ratio − closed form| at either threshold; gap: largest (P − P*)/P*'];
  for (const [k, rs] of by) {
    const err = Math.max(...rs.map((r) => r.sparse_ratio_error));
    const gap = Math.max(...rs.map((r) => r.objective_rel_gap));
    lines.push(`  ${k.padEnd(12)} ${rs.map((r) => r.sparse_ratio_1.toFixed(3)).join(' ')}   err ${err.toFixed(3)}  gap ${gap.toExponential(1)}`);
  }
  return lines.join('\n');
}

export const lassoImplementation: TaskImplementation<LassoConfig, LassoFit, LassoResult, Shared, undefined> = {
  setup(config) {
    const problem = makeOrthogonalProblem(config.problem, config.seed);
    const closed = closedFormRows(problem, config.lambdas, config.thresholds);
    const g = config.lambdas.length;
    const x = tf.tensor2d(Float32Array.from(problem.x), [problem.n, problem.d]);
    const y = tf.tidy(() => tf.tile(tf.tensor2d(Float32Array.from(problem.y), [problem.n, 1]), [1, g])) as tf.Tensor2D;
    return { config, problem, closed, x, y };
  },
  teardown: (s) => tf.dispose([s.x, s.y]),
  runFit,
  write,
};
