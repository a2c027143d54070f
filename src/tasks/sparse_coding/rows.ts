/** training.csv: one row per method and epoch. */
export interface TrainingRow {
  method: string;
  epoch: number;
  /** Training seconds so far (evaluation excluded). */
  seconds: number;
  /** F(D, S) on the training patches with the codes as they are (spred: U⊙W before the threshold). */
  objective: number;
  r2: number;
  exact_zeros: number;
  zeros_below_threshold: number;
  zeros_below_strict: number;
  num_tensors: number;
}

/** filters.csv: one row per method and basis. */
export interface FilterRow {
  method: string;
  basis: number;
  top10_energy: number;
  gabor_r2: number;
  gabor_like: boolean;
  orientation: number;
  frequency: number;
  sigma_x: number;
  sigma_y: number;
  x0: number;
  y0: number;
  phase: number;
}

/** summary.csv: one row per method (training fields empty for `pca` and `initial`). */
export interface SummaryRow {
  method: string;
  bases: number;
  epochs: number | null;
  seconds: number | null;
  /** Final F on the training patches with the final codes (spred: after the threshold). */
  objective: number | null;
  /** (objective − FISTA's)/FISTA's. */
  objective_vs_fista: number | null;
  train_r2: number | null;
  train_exact_zeros: number | null;
  /** Held-out patches coded by the method's own solver with its final dictionary (spred: thresholded). */
  heldout_r2: number | null;
  heldout_exact_zeros: number | null;
  heldout_zeros_below_threshold: number | null;
  heldout_zeros_below_strict: number | null;
  gabor_share: number;
  /** gabor_share / PCA's gabor_share. */
  gabor_vs_pca: number | null;
  mean_top10_energy: number;
  patches_per_second: number | null;
}
