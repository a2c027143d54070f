import type { CodeStats } from './evaluate';
import type { FilterRow, SummaryRow } from './rows';

export interface TrainedStats {
  epochs: number;
  seconds: number;
  /** Patches coded over the run (count × epochs). */
  patches: number;
  final: CodeStats;
  held: CodeStats;
}

/** A method's summary.csv row; the comparisons with FISTA and PCA are filled in by `write`. */
export function summarise(method: string, filters: readonly FilterRow[], trained: TrainedStats | null, gaborR2: number): SummaryRow {
  const n = filters.length;
  return {
    method,
    bases: n,
    epochs: trained?.epochs ?? null,
    seconds: trained?.seconds ?? null,
    objective: trained?.final.objective ?? null,
    objective_vs_fista: null,
    train_r2: trained?.final.r2 ?? null,
    train_exact_zeros: trained?.final.exactZeros ?? null,
    heldout_r2: trained?.held.r2 ?? null,
    heldout_exact_zeros: trained?.held.exactZeros ?? null,
    heldout_zeros_below_threshold: trained?.held.zerosBelowThreshold ?? null,
    heldout_zeros_below_strict: trained?.held.zerosBelowStrict ?? null,
    gabor_share: n > 0 ? filters.filter((f) => f.gabor_r2 >= gaborR2).length / n : 0,
    gabor_vs_pca: null,
    mean_top10_energy: n > 0 ? filters.reduce((s, f) => s + f.top10_energy, 0) / n : 0,
    patches_per_second: trained ? trained.patches / trained.seconds : null,
  };
}
