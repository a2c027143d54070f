import { lassoObjective } from '../../spred/soft_threshold';
import type { OrthogonalLassoProblem } from './problem';
import { l1Norm, sparseRatio } from '../../spred/sparsity';
import type { SparsityRow, SweepRow } from './rows';
import type { IterativeMethod, OptimizerName, TrainGridResult } from './train_grid';

/** Scores the final point of one training run at every λ against the closed form. */
export function evaluateFinal(
  problem: OrthogonalLassoProblem,
  lambdas: readonly number[],
  closed: readonly SparsityRow[],
  run: { method: IterativeMethod; optimizer: OptimizerName; learningRate: number },
  result: TrainGridResult,
  seconds: number,
  thresholds: readonly [number, number],
): SweepRow[] {
  return lambdas.map((lambda, j) => {
    const v = result.values[j];
    const cf = closed[j];
    const objective = lassoObjective(problem.x, problem.y, v, lambda);
    const r1 = sparseRatio(v, thresholds[0]);
    const r2 = sparseRatio(v, thresholds[1]);
    return {
      method: run.method,
      optimizer: run.optimizer,
      selected_optimizer: run.optimizer,
      lambda,
      kappa: lambda / 2,
      learning_rate: run.learningRate,
      iterations: result.iterations,
      stop: result.stop,
      threshold_1: thresholds[0],
      sparse_ratio_1: r1,
      threshold_2: thresholds[1],
      sparse_ratio_2: r2,
      closed_form_sparse_ratio: cf.closed_form_sparse_ratio,
      sparse_ratio_error_1: Math.abs(r1 - cf.closed_form_sparse_ratio),
      sparse_ratio_error_2: Math.abs(r2 - cf.closed_form_sparse_ratio),
      sparse_ratio_error: Math.max(Math.abs(r1 - cf.closed_form_sparse_ratio), Math.abs(r2 - cf.closed_form_sparse_ratio)),
      objective,
      closed_form_objective: cf.objective,
      objective_rel_gap: (objective - cf.objective) / Math.abs(cf.objective),
      l1_norm: l1Norm(v),
      seconds,
      selected: false,
    };
  });
}
