import * as tf from '@tensorflow/tfjs';
import { groupBroadcastShape, normaliseAxis } from './shape';

/**
 * The gradients of the spred objective for hand-written training loops (no autodiff tape), given the
 * gradient of the data loss with respect to V.
 *
 * Elementwise (Theorem 1): for f(U, W) = L(U ⊙ W) + α‖U‖² + β‖W‖² and G = ∂L/∂V at V = U ⊙ W,
 *
 *     ∇_U f = G ⊙ W + 2αU,      ∇_W f = G ⊙ U + 2βW.
 *
 * Groups (Theorem 3): for V = u ⊙_axis W (one scalar u_g per slice g along `axis`) and
 * f(u, W) = L(V) + α‖u‖² + β‖W‖²,
 *
 *     ∇_{u_g} f = Σ_{i ∈ g} G_i W_i + 2αu_g,      ∇_W f = G ⊙ u (broadcast) + 2βW.
 *
 * Runners that can write ∂L/∂V cheaply (the lasso: G = −Xᵀ(Y − XV)/N) use these with
 * `optimizer.applyGradients`, which is faster than the tape (its backward products come out as
 * transposed ones) and makes the method's update one piece of code.
 */

/** α or β: a number, or a tensor that broadcasts against U (α) or W (β), e.g. one value per column. */
export type PenaltyStrengthValue = number | tf.Tensor;

export interface PairGradients {
  /** ∇_U f (U's shape). */
  u: tf.Tensor;
  /** ∇_W f (W's shape). */
  w: tf.Tensor;
}

/** x·2s, with the doubling folded into a number when s is one. */
function twice(x: tf.Tensor, s: PenaltyStrengthValue): tf.Tensor {
  return typeof s === 'number' ? tf.mul(x, 2 * s) : tf.mul(x, tf.mul(s, 2));
}

/** ∇_U f = G ⊙ W + 2αU and ∇_W f = G ⊙ U + 2βW for V = U ⊙ W (new tensors; G, U, W of one shape). */
export function redundantGradients(
  gradV: tf.Tensor,
  u: tf.Tensor,
  w: tf.Tensor,
  alpha: PenaltyStrengthValue,
  beta: PenaltyStrengthValue,
): PairGradients {
  return tf.tidy(() => ({ u: tf.add(tf.mul(gradV, w), twice(u, alpha)), w: tf.add(tf.mul(gradV, u), twice(w, beta)) }));
}

/**
 * ∇_u f = Σ_{slice g} G ⊙ W + 2αu (shape [groups]) and ∇_W f = G ⊙ u + 2βW for V = u ⊙_axis W
 * (new tensors; G and W of one shape, u of shape [W.shape[axis]]).
 */
export function groupRedundantGradients(
  gradV: tf.Tensor,
  u: tf.Tensor,
  w: tf.Tensor,
  axis: number,
  alpha: number,
  beta: number,
): PairGradients {
  const a = normaliseAxis(axis, w.rank);
  const others = w.shape.map((_, i) => i).filter((i) => i !== a);
  return tf.tidy(() => {
    const ub = tf.reshape(u, groupBroadcastShape(w.shape, a));
    return {
      u: tf.add(tf.sum(tf.mul(gradV, w), others), twice(u, alpha)),
      w: tf.add(tf.mul(gradV, ub), twice(w, beta)),
    };
  });
}
