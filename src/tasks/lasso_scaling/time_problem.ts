import * as tf from '@tensorflow/tfjs';
import { lassoObjective } from '../../baselines/lasso_objective';
import { matrix } from '../../numeric/matrix';
import { referenceOptimum } from '../../baselines/reference_optimum';
import { solveBaseline } from './baselines';
import type { LassoScalingConfig } from './config';
import type { ScalingProblem } from './problem';
import { yieldToEventLoop } from '../../optim';
import { spredSolve, uploadProblem, type SpredOptimizer } from './spred_solver';
import { median } from '../../numeric/statistics';
import { supportStats, timeToSolution, traceMilestones, type TimingRow } from './timing';

/** What `timeProblem` reports to its caller. */
export interface TimeProblemHooks {
  /** True once the user pressed Ctrl-C: stop after the current solve. */
  interrupted: () => boolean;
  log: (line: string) => void;
  /** One solve finished (`cd`, `spred/gd`, …). */
  done: (what: string) => void;
}

/**
 * Every λ ratio × repeat × method of `config` on one problem, in this process: the reference optimum
 * P* first (not timed), then the methods in turn, one row each. Shared with `npm run bench:lasso`.
 */
export async function timeProblem(p: ScalingProblem, config: LassoScalingConfig, hooks: TimeProblemHooks): Promise<TimingRow[]> {
  const { n, d } = p.X;
  const m = p.Y.cols;
  const spredRuns = config.methods.includes('spred') ? config.spred.optimizers : [];
  const baselines = config.methods.filter((x): x is 'cd' | 'lars' | 'fista' => x !== 'spred');
  const rows: TimingRow[] = [];
  const tensors = spredRuns.length > 0 ? uploadProblem(p.X.columns, n, d, p.Y.data, m) : undefined;
  try {
    for (const ratio of config.lambdaRatios) {
      if (hooks.interrupted()) break;
      const lambda = ratio * p.lambdaMax;
      const ref = referenceOptimum(p.X, p.Y, lambda, { tol: config.referenceTol });
      const threshold = config.thresholds[1];
      const refZero = supportStats(ref.coef.data, ref.coef.data, threshold).zeroRate;
      const base = { lambda_ratio: ratio, lambda, n, d, m };
      const score = (coef: Float64Array) => {
        const objective = lassoObjective(p.X, p.Y, matrix(d, m, coef), lambda);
        const s = supportStats(coef, ref.coef.data, threshold);
        const rel = (objective - ref.objective) / Math.abs(ref.objective);
        return { objective, reference_objective: ref.objective, rel_suboptimality: rel, zero_rate: s.zeroRate, reference_zero_rate: refZero, support_agreement: s.agreement };
      };
      for (let repeat = 0; repeat < config.repeats && !hooks.interrupted(); repeat++) {
        for (const method of baselines) {
          const { solution, seconds, trace } = solveBaseline(method, p.X, p.Y, lambda, config.baselines.tol, config.thresholds);
          const sc = score(solution.coef.data);
          rows.push({
            ...base, method, optimizer: '', learning_rate: null, repeat, seconds,
            ...traceMilestones(trace, ref.objective),
            iterations: solution.nIter, stop: solution.converged ? 'converged' : 'max-iter', ...sc,
          });
          if (!solution.converged) hooks.log(`warning: ${method} (d=${d}, m=${m}) stopped at its cap with duality gap ${solution.gap.toExponential(2)}`);
          hooks.done(method);
          await yieldToEventLoop(); // a baseline cannot be interrupted inside; between solves it can
        }
        for (const optimizer of spredRuns) {
          if (hooks.interrupted()) break;
          const result = await runSpred(tensors!, optimizer, lambda, repeat, config, hooks, p);
          const sc = score(result.coef);
          rows.push({
            ...base, method: 'spred', optimizer, learning_rate: config.spred.learningRates[optimizer], repeat, seconds: result.seconds,
            ...traceMilestones(result.trace, ref.objective),
            iterations: result.steps, stop: result.stop, ...sc,
          });
          hooks.done(`spred/${optimizer}`);
        }
      }
    }
  } finally {
    if (tensors) tf.dispose(Object.values(tensors));
  }
  return rows;
}

async function runSpred(
  tensors: ReturnType<typeof uploadProblem>,
  optimizer: SpredOptimizer,
  lambda: number,
  repeat: number,
  config: LassoScalingConfig,
  hooks: TimeProblemHooks,
  p: ScalingProblem,
) {
  const s = config.spred;
  const result = await spredSolve(tensors, {
    lambda,
    optimizer,
    learningRate: s.learningRates[optimizer],
    adamEpsilon: s.adamEpsilon,
    maxSteps: s.maxSteps,
    checkEvery: s.checkEvery,
    patience: s.patience,
    objectiveTol: s.objectiveTol,
    thresholds: config.thresholds,
    init: s.init,
    initScale: s.initScale,
    seed: config.seed + repeat,
    // The trace's objective is spredSolve's default: P(V) in float64 from the float32 V and residual
    // (lassoObjectiveFromResidual, src/spred/lasso_objective.ts), off the clock.
    onCheck: () => hooks.interrupted(),
  });
  if (result.stop === 'budget') hooks.log(`warning: spred/${optimizer} (d=${p.X.d}, m=${p.Y.cols}) used its budget of ${s.maxSteps} steps before the zero-rates settled`);
  if (result.stop === 'diverged') hooks.log(`warning: spred/${optimizer} (d=${p.X.d}, m=${p.Y.cols}) diverged at learning rate ${s.learningRates[optimizer]}`);
  return result;
}

/** Median time to solution (`timeToSolution`) per (λ ratio, d, m) and method, and spred's ratio to CD. */
export function summary(rows: readonly TimingRow[]): string {
  const lines = ['median seconds to solution (spred: to 100 % of its converged zero-rate; baselines: to their stop), spred/cd ratio, max rel. suboptimality:'];
  const keys = [...new Set(rows.map((r) => `${r.lambda_ratio}|${r.d}|${r.m}`))];
  for (const key of keys) {
    const group = rows.filter((r) => `${r.lambda_ratio}|${r.d}|${r.m}` === key);
    const methods = [...new Set(group.map((r) => (r.optimizer ? `${r.method}/${r.optimizer}` : r.method)))];
    const time = (name: string) =>
      median(group.filter((r) => (r.optimizer ? `${r.method}/${r.optimizer}` : r.method) === name).map((r) => timeToSolution(r) ?? NaN));
    const cd = methods.includes('cd') ? time('cd') : NaN;
    const parts = methods.map((name) => {
      const t = time(name);
      const ratio = name.startsWith('spred') && Number.isFinite(cd) ? ` (${(t / cd).toFixed(2)}×)` : '';
      return `${name} ${t.toFixed(3)}${ratio}`;
    });
    const worst = Math.max(...group.map((r) => r.rel_suboptimality));
    const [ratio, d, m] = key.split('|');
    lines.push(`  λ=${ratio}·λmax d=${d} m=${m}: ${parts.join(', ')}; max rel. subopt ${worst.toExponential(1)}`);
  }
  return lines.join('\n');
}
