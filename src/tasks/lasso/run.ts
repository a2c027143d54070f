import * as tf from '@tensorflow/tfjs';
import type { TaskContext } from '../task_context';
import type { LassoConfig } from './config';
import { closedFormRows, type SparsityRow, selectBest, type SweepRow } from './rows';
import { makeOrthogonalProblem } from './problem';
import { sparsityPlot, trajectoryPlot } from './plots';
import { trainGrid, type CheckRow } from './train_grid';
import { initialParameters } from './init';
import { evaluateFinal } from './evaluate';

/**
 * Runs the orthogonal-design lasso experiment (paper §4.1, Fig. 2 left; App. A.1 Fig. 7; App. A.2
 * Fig. 6): for every iterative method × optimizer × learning rate, trains all λ of the grid at once,
 * keeps per λ the rate with the lowest final objective (the paper's protocol), and compares the
 * sparse ratio at two thresholds with the closed-form soft threshold.
 */
export async function runLasso(config: LassoConfig, ctx: TaskContext): Promise<void> {
  const problem = makeOrthogonalProblem(config.problem, config.seed);
  const lambdas = config.lambdas;
  const closed = closedFormRows(problem, lambdas, config.thresholds);
  const iterative = config.methods.filter((m): m is 'l1' | 'spred' => m !== 'closed-form');
  const runs = iterative.flatMap((method) =>
    config.optimizers.flatMap((optimizer) => config.learningRates.map((learningRate) => ({ method, optimizer, learningRate }))),
  );
  ctx.log(
    `problem: N=${problem.n} d=${problem.d} noise=${config.problem.noise}; ${lambdas.length} λ values; ` +
      `${runs.length} runs of ≤${config.iterations} steps`,
  );

  const sweep: SweepRow[] = [];
  const trajectories = new Map<string, CheckRow[]>();
  const x = tf.tensor2d(Float32Array.from(problem.x), [problem.n, problem.d]);
  const y = tf.tidy(() => tf.tile(tf.tensor2d(Float32Array.from(problem.y), [problem.n, 1]), [1, lambdas.length])) as tf.Tensor2D;
  ctx.progress.start(runs.length * config.iterations, 'lasso');
  try {
    for (const run of runs) {
      if (ctx.interrupt.interrupted) break;
      const init = initialParameters(run.method, problem.d, lambdas.length, config);
      const t0 = performance.now();
      let stepsSeen = 0;
      const result = await trainGrid(
        { x, y, lambdas },
        {
          ...run,
          iterations: config.iterations,
          thresholds: config.thresholds,
          checkEvery: config.checkEvery,
          patience: config.patience,
          init,
          alphaOverBeta: config.spred.alphaOverBeta,
          onCheck: (rows) => {
            const it = rows[0].iteration;
            ctx.progress.tick(it - stepsSeen, { method: run.method, opt: run.optimizer, lr: run.learningRate });
            stepsSeen = it;
            return ctx.interrupt.interrupted;
          },
        },
      );
      const seconds = (performance.now() - t0) / 1000;
      tf.dispose(Object.values(init));
      ctx.progress.tick(config.iterations - stepsSeen);
      const key = `${run.method}/${run.optimizer}/${run.learningRate}`;
      trajectories.set(key, result.trajectory);
      sweep.push(...evaluateFinal(problem, lambdas, closed, run, result, seconds, config.thresholds));
      if (result.stop === 'interrupted') break;
    }
  } finally {
    ctx.progress.stop();
    tf.dispose([x, y]);
  }

  const selected = selectBest(sweep);
  const rows: SparsityRow[] = [...closed, ...selected];
  ctx.writeCsv('sparsity.csv', rows);
  ctx.writeCsv('sweep.csv', sweep);
  // Figure 7's trajectories, at each selected (method, optimizer, λ) learning rate.
  const trajectoryRows = selected
    .filter((s) => s.optimizer !== 'best')
    .flatMap((s) =>
      (trajectories.get(`${s.method}/${s.optimizer}/${s.learning_rate}`) ?? [])
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
  ctx.writeCsv('trajectory.csv', trajectoryRows);
  ctx.writeSvg('sparsity.svg', await sparsityPlot(rows, config.thresholds));
  ctx.writeSvg('trajectory.svg', await trajectoryPlot(trajectoryRows, lambdas));
  ctx.log(summary(rows));
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
