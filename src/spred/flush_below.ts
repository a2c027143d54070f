import * as tf from '@tensorflow/tfjs';

/**
 * |V| below which SpredDense's kernel V = u·W counts as exactly 0. Far below any sparsity threshold
 * (§5.1 uses 1e-4) and float32 resolution of any weight that matters, and far enough above the float32
 * subnormal range (< 1.2e-38) that the gradients flowing back through V stay normal too.
 *
 * Why it exists: the penalty drives a dead unit's two factors to zero together, geometrically, so the
 * kernel gets entries of 1e-30 and less; the backward pass multiplies them by the output gradient, and
 * the hidden layer's gradient products (δ·Vᵀ, then δ_h·W₁ᵀ) land in the subnormal range. CPUs compute on
 * subnormals in microcode: measured on tfjs-backend-wasm, a 1000² matMul takes 74 ms on normal inputs
 * and 8.8 s with a subnormal operand; in the node-sparsity smoke sweep the swish/spred κ = 0.02 network
 * went from 1.8 s to 10–16 s an epoch, all of it in one 25×96·96×784 BatchMatMul of the backward pass
 * (tf.profile: 2 ms → 31 ms). GPUs flush subnormals in hardware; this flushes their source.
 */
export const NEGLIGIBLE_WEIGHT = 1e-20;

/**
 * `t` with entries |t| < `floor` set to exactly 0 (a new tensor; differentiable: the gradient passes
 * where an entry is kept).
 */
export function flushBelow<T extends tf.Tensor>(t: T, floor: number = NEGLIGIBLE_WEIGHT): T {
  return tf.tidy(() => tf.mul(t, tf.cast(tf.greaterEqual(tf.abs(t), floor), t.dtype)) as T);
}

type Args = (tf.Tensor | tf.GradSaveFunc)[];

/** `g` summed over the axes along which `shape` was broadcast to g's shape, reshaped to `shape`. */
function sumToShape(g: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, g.shape);
  return axes.length > 0 ? tf.reshape(tf.sum(g, axes), shape) : g;
}

/**
 * `flushBelow(u ⊙ w, floor)` (u broadcast against w, the result has w's shape) as one differentiable op with a
 * hand-written gradient: for K = m ⊙ u ⊙ w, m = [|u ⊙ w| ≥ floor], ∂/∂u = Σ_broadcast (dK ⊙ m ⊙ w) and
 * ∂/∂w = Σ_broadcast (dK ⊙ m ⊙ u) — the values tfjs' tape gives for the composition, in 8 kernel calls
 * instead of ~30 (each Multiply's gradient casts both inputs, and every input is saved).
 */
export function flushedProduct<T extends tf.Tensor>(u: tf.Tensor, w: T, floor: number = NEGLIGIBLE_WEIGHT): T {
  const f = tf.customGrad((...args: Args) => {
    const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const p = tf.mul(a, b);
    const kept = tf.cast(tf.greaterEqual(tf.abs(p), floor), p.dtype);
    save([a, b, kept]);
    return {
      value: tf.mul(p, kept),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [as, bs, ks] = saved;
        const g = tf.mul(dy, ks);
        return [sumToShape(tf.mul(g, bs), as.shape), sumToShape(tf.mul(g, as), bs.shape)];
      },
    };
  });
  return f(u, w) as T;
}
