/**
 * Node and weight sparsity of the one-hidden-layer network (§5.1), from the kernels as read back
 * (row-major Float32Arrays; tfjs kernels are [in, out]). All in float64; no tensors.
 *
 * - A hidden unit j is node sparse when the mean |·| of its outgoing row W₂[j, :] is < threshold
 *   (the paper's definition, 1e-4); "incoming" is the same on its column W₁[:, j].
 * - Weight sparsity is the fraction of all kernel entries (W₁ and W₂, biases excluded) with |w| < threshold.
 */
import { groupMagnitudes } from '../../spred/sparsity';

export interface NeuronNorms {
  /** ‖W₂[j, :]‖₂ per hidden unit (Fig. 4 left). */
  outgoingNorm: Float64Array;
  /** mean |W₂[j, :]| per hidden unit (the node-sparsity measure). */
  outgoingMeanAbs: Float64Array;
  /** ‖W₁[:, j]‖₂ per hidden unit. */
  incomingNorm: Float64Array;
  /** mean |W₁[:, j]| per hidden unit. */
  incomingMeanAbs: Float64Array;
}

export function neuronNorms(incoming: Float32Array, outgoing: Float32Array, inputs: number, hidden: number, classes: number): NeuronNorms {
  const w1 = { values: incoming, shape: [inputs, hidden] };
  const w2 = { values: outgoing, shape: [hidden, classes] };
  return {
    outgoingNorm: groupMagnitudes(w2, 0, 'l2'),
    outgoingMeanAbs: groupMagnitudes(w2, 0, 'mean-abs'),
    incomingNorm: groupMagnitudes(w1, 1, 'l2'),
    incomingMeanAbs: groupMagnitudes(w1, 1, 'mean-abs'),
  };
}

export interface SparsityMetrics {
  /** Fraction of hidden units with mean |outgoing weight| < threshold. */
  nodeSparsity: number;
  /** Fraction of hidden units with mean |incoming weight| < threshold. */
  incomingNodeSparsity: number;
  /** Fraction of hidden units sparse on both sides. */
  bothSidesSparsity: number;
  /** Fraction of kernel entries (both layers) with |w| < threshold. */
  weightSparsity: number;
  /** Fraction of hidden units with ‖outgoing row‖₂ < nearZeroNorm: the near-zero mass of Fig. 4 left. */
  nearZeroMass: number;
}

function fractionBelow(values: ArrayLike<number>, threshold: number): number {
  let k = 0;
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]) < threshold) k++;
  return values.length === 0 ? NaN : k / values.length;
}

export function sparsityMetrics(
  norms: NeuronNorms,
  incoming: Float32Array,
  outgoing: Float32Array,
  threshold: number,
  nearZeroNorm: number,
): SparsityMetrics {
  const h = norms.outgoingMeanAbs.length;
  let both = 0;
  for (let j = 0; j < h; j++) if (norms.outgoingMeanAbs[j] < threshold && norms.incomingMeanAbs[j] < threshold) both++;
  const total = incoming.length + outgoing.length;
  const zeros = fractionBelow(incoming, threshold) * incoming.length + fractionBelow(outgoing, threshold) * outgoing.length;
  return {
    nodeSparsity: fractionBelow(norms.outgoingMeanAbs, threshold),
    incomingNodeSparsity: fractionBelow(norms.incomingMeanAbs, threshold),
    bothSidesSparsity: h === 0 ? NaN : both / h,
    weightSparsity: zeros / total,
    nearZeroMass: fractionBelow(norms.outgoingNorm, nearZeroNorm),
  };
}
