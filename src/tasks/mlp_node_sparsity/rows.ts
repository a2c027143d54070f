import type { Activation, Variant } from './config';

/** One row of `node_sparsity.csv`: one trained network (activation × variant × κ). */
export interface NodeSparsityRow {
  activation: Activation;
  variant: Variant;
  kappa: number;
  /** Fraction of hidden units with mean |outgoing weight| < threshold (§5.1). */
  node_sparsity: number;
  /** The same on the incoming side (columns of W₁). */
  incoming_node_sparsity: number;
  /** Units sparse on both sides. */
  both_sides_sparsity: number;
  /** Fraction of kernel entries of both layers with |w| < threshold. */
  weight_sparsity: number;
  /** Fraction of units with ‖outgoing row‖₂ < nearZeroNorm (Fig. 4 left). */
  near_zero_mass: number;
  test_acc: number;
  epochs: number;
  hidden: number;
  threshold: number;
  optimizer: string;
  schedule: string;
  learning_rate: number;
  /** Learning rate of the last step. */
  final_learning_rate: number;
  /** Fraction of units whose activation is exactly 0 on every test example (dead ReLUs). */
  dead_fraction: number;
  /** Median mean |outgoing weight| over dead units (empty when none): above threshold means they did not reach zero. */
  dead_outgoing_median: number | null;
  /** Largest mean |outgoing weight| of a dead unit (empty when none). */
  dead_outgoing_max: number | null;
  seconds: number;
  examples_per_second: number;
}

/** One row of `neuron_norms.csv`: one hidden unit of one network. */
export interface NeuronNormRow {
  activation: Activation;
  variant: Variant;
  kappa: number;
  unit: number;
  outgoing_norm: number;
  outgoing_mean_abs: number;
  incoming_norm: number;
  incoming_mean_abs: number;
  node_sparse: boolean;
  dead: boolean;
}

/** One row of `epochs.csv`: a network after one epoch (the dead-unit watch of issue 5, part 4). */
export interface EpochRow {
  activation: Activation;
  variant: Variant;
  kappa: number;
  epoch: number;
  learning_rate: number;
  test_acc: number;
  node_sparsity: number;
  near_zero_mass: number;
  dead_units: number;
  dead_outgoing_median: number | null;
  dead_outgoing_max: number | null;
  /** tf.memory().numTensors after the epoch: flat across epochs. */
  num_tensors: number;
  seconds: number;
}

/** One row of `summary.csv`: one κ sweep (activation × variant). */
export interface SummaryRow {
  activation: Activation;
  variant: Variant;
  kappas: number;
  /** Spearman ρ of node sparsity against κ. */
  spearman_node_vs_kappa: number;
  /** Spearman ρ of near-zero mass against κ. */
  spearman_near_zero_vs_kappa: number;
  /** R² of the least-squares line weight_sparsity ≈ slope·node_sparsity + intercept (Fig. 4 right). */
  r2_weight_vs_node: number;
  slope_weight_vs_node: number;
  intercept_weight_vs_node: number;
  max_node_sparsity: number;
  accuracy_floor: number;
  /** Largest node sparsity among the κ whose test accuracy is ≥ accuracy_floor (empty when none). */
  max_node_sparsity_at_floor: number | null;
  /** The κ where that is reached. */
  kappa_at_floor: number | null;
  test_acc_at_floor: number | null;
}

/** One row of `comparison.csv`: spred against plain weight decay at the same activation and κ. */
export interface ComparisonRow {
  activation: Activation;
  kappa: number;
  weight_decay_node_sparsity: number;
  spred_node_sparsity: number;
  /** spred − weight decay. */
  difference: number;
  weight_decay_test_acc: number;
  spred_test_acc: number;
}
