import { median } from '../../numeric/statistics';
import type { Activation, Variant } from './config';
import { neuronNorms, sparsityMetrics, type NeuronNorms, type SparsityMetrics } from './metrics';
import type { NeuronNormRow } from './rows';
import type { Evaluation } from './train';

export interface NetworkShape {
  inputs: number;
  hidden: number;
  classes: number;
}

export interface NetworkMetrics extends SparsityMetrics {
  norms: NeuronNorms;
  deadUnits: number;
  /** Median / max mean |outgoing weight| over dead units; null when there are none. */
  deadOutgoingMedian: number | null;
  deadOutgoingMax: number | null;
}

/** Sparsity metrics, neuron norms and the dead-unit watch of one evaluated network. */
export function networkMetrics(e: Evaluation, shape: NetworkShape, threshold: number, nearZeroNorm: number): NetworkMetrics {
  const norms = neuronNorms(e.incoming, e.outgoing, shape.inputs, shape.hidden, shape.classes);
  const deadMags = Array.from(norms.outgoingMeanAbs).filter((_, j) => e.dead[j]);
  const m = deadMags.length;
  return {
    ...sparsityMetrics(norms, e.incoming, e.outgoing, threshold, nearZeroNorm),
    norms,
    deadUnits: m,
    deadOutgoingMedian: m === 0 ? null : median(deadMags),
    deadOutgoingMax: m === 0 ? null : Math.max(...deadMags),
  };
}

export function neuronNormRows(
  key: { activation: Activation; variant: Variant; kappa: number },
  metrics: NetworkMetrics,
  dead: readonly boolean[],
  threshold: number,
): NeuronNormRow[] {
  const n = metrics.norms;
  return Array.from(n.outgoingNorm, (_, j) => ({
    ...key,
    unit: j,
    outgoing_norm: n.outgoingNorm[j],
    outgoing_mean_abs: n.outgoingMeanAbs[j],
    incoming_norm: n.incomingNorm[j],
    incoming_mean_abs: n.incomingMeanAbs[j],
    node_sparse: n.outgoingMeanAbs[j] < threshold,
    dead: dead[j],
  }));
}
