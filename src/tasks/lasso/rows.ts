import { lassoObjective, softThreshold } from '../../spred/soft_threshold';
import { l1Norm, sparseRatio } from '../../spred/sparsity';
import type { OrthogonalLassoProblem } from './problem';

/** One row of `sparsity.csv`: a method (and optimizer, at its selected learning rate) at one λ. */
export interface SparsityRow {
  method: 'closed-form' | 'l1' | 'spred';
  /**
   * `gd` or `adam` (best learning rate for that optimizer), `best` (best optimizer and learning rate:
   * the paper's "final result is produced from the best setting"), or empty for the closed form.
   */
  optimizer: string;
  /** The optimizer behind the row (differs from `optimizer` only for `best`). */
  selected_optimizer: string;
  lambda: number;
  /** spred's κ = λ/2. */
  kappa: number;
  /** Selected learning rate; null for the closed form. */
  learning_rate: number | null;
  iterations: number;
  /** `exact`, `converged` (both thresholds agree and are stable), `budget`, `diverged`, `interrupted`. */
  stop: string;
  threshold_1: number;
  sparse_ratio_1: number;
  threshold_2: number;
  sparse_ratio_2: number;
  /** Fraction of exact zeros of the soft-threshold solution S_λ(Xᵀy/N). */
  closed_form_sparse_ratio: number;
  /** |sparse_ratio_1 − closed_form_sparse_ratio|. */
  sparse_ratio_error_1: number;
  /** |sparse_ratio_2 − closed_form_sparse_ratio|. */
  sparse_ratio_error_2: number;
  /** max of the two errors. */
  sparse_ratio_error: number;
  /** P(V) = 1/(2N)‖y − XV‖² + λ‖V‖₁, in float64, at the stopping point (no threshold applied). */
  objective: number;
  closed_form_objective: number;
  /** (P(V) − P*) / P*. */
  objective_rel_gap: number;
  l1_norm: number;
  seconds: number;
}

/** A row of `sweep.csv`: every learning rate tried, with whether it was selected. */
export type SweepRow = SparsityRow & { selected: boolean };

export function closedFormRows(
  problem: OrthogonalLassoProblem,
  lambdas: readonly number[],
  thresholds: readonly [number, number],
): SparsityRow[] {
  return lambdas.map((lambda) => {
    const v = softThreshold(problem.z, lambda);
    const objective = lassoObjective(problem.x, problem.y, v, lambda);
    const exact = sparseRatio(v, 0);
    const r1 = sparseRatio(v, thresholds[0]);
    const r2 = sparseRatio(v, thresholds[1]);
    return {
      method: 'closed-form',
      optimizer: '',
      selected_optimizer: '',
      lambda,
      kappa: lambda / 2,
      learning_rate: null,
      iterations: 0,
      stop: 'exact',
      threshold_1: thresholds[0],
      sparse_ratio_1: r1,
      threshold_2: thresholds[1],
      sparse_ratio_2: r2,
      closed_form_sparse_ratio: exact,
      sparse_ratio_error_1: Math.abs(r1 - exact),
      sparse_ratio_error_2: Math.abs(r2 - exact),
      sparse_ratio_error: Math.max(Math.abs(r1 - exact), Math.abs(r2 - exact)),
      objective,
      closed_form_objective: objective,
      objective_rel_gap: 0,
      l1_norm: l1Norm(v),
      seconds: 0,
    };
  });
}

/**
 * The paper's protocol (§4.1): "the learning rate is chosen from {1, 0.1, 0.01, 0.001}. The final result
 * is produced from the best setting." Per method, optimizer and λ, the learning rate with the lowest
 * final objective wins (marked `selected` in `sweep`); then per method and λ the best of those over
 * optimizers is added as optimizer `best`. Diverged and interrupted runs never win; but when any
 * candidate of a selection was interrupted, the selection was made over only the runs that finished,
 * so its row says stop = `interrupted` (in sparsity.csv; sweep.csv keeps each run's own stop).
 */
export function selectBest(sweep: SweepRow[]): SparsityRow[] {
  const pick = (keyOf: (r: SweepRow) => string): { row: SweepRow; cutShort: boolean }[] => {
    const best = new Map<string, SweepRow>();
    const cutShort = new Set<string>();
    for (const row of sweep) {
      // A diverged run never wins; a run cut short by Ctrl-C is partial and not comparable.
      if (row.stop === 'interrupted') cutShort.add(keyOf(row));
      if (row.stop === 'diverged' || row.stop === 'interrupted' || !Number.isFinite(row.objective)) continue;
      const cur = best.get(keyOf(row));
      if (!cur || row.objective < cur.objective) best.set(keyOf(row), row);
    }
    return [...best.entries()].map(([key, row]) => ({ row, cutShort: cutShort.has(key) }));
  };
  const toRow = ({ row, cutShort }: { row: SweepRow; cutShort: boolean }, optimizer = row.optimizer): SparsityRow => {
    const { selected: _selected, ...rest } = row;
    return { ...rest, optimizer, ...(cutShort ? { stop: 'interrupted' } : {}) };
  };
  const perOptimizer = pick((r) => `${r.method}|${r.optimizer}|${r.lambda}`);
  for (const p of perOptimizer) p.row.selected = true;
  const overall = pick((r) => `${r.method}|${r.lambda}`);
  return [...perOptimizer.map((p) => toRow(p)), ...overall.map((p) => toRow(p, 'best'))];
}
