import * as tf from '@tensorflow/tfjs';

type Args = (tf.Tensor | tf.GradSaveFunc)[];
type L1L2 = ReturnType<typeof tf.regularizers.l2>;
type L1L2Constructor = new (args: { l1?: number; l2?: number }) => L1L2;

/** tfjs-layers' L1L2 regulariser class (its type is not exported by name). */
const L1L2Class = tf.regularizers.l2({ l2: 0 }).constructor as L1L2Constructor;

/**
 * rate·‖x‖² as one op with the gradient 2·rate·x·dy (a new scalar). tfjs' own `l2` regulariser
 * computes reshape(0 + Σ(rate·x²)) in five kernels and its tape gradient takes ~20 more per weight
 * (zeros, adds, the scalar's broadcast and reductions, casts, saved copies): on a small ResNet with 51
 * penalised tensors that was a quarter of a training step's kernel calls.
 */
export function scaledSquaredNorm(x: tf.Tensor, rate: number): tf.Scalar {
  const f = tf.customGrad((...args: Args) => {
    const [v, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([v]);
    return {
      value: tf.mul(tf.sum(tf.square(v)), rate),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(saved[0], tf.mul(dy, 2 * rate)),
    };
  });
  return f(x) as tf.Scalar;
}

/**
 * `tf.regularizers.l2({l2: rate})` with the penalty computed by `scaledSquaredNorm`. It is an instance
 * of tfjs' L1L2 class with the same class name and config, so a layer using it serialises exactly as
 * with the stock one (and loads back as the stock one).
 */
export class FastL2 extends L1L2Class {
  readonly rate: number;

  constructor(rate: number) {
    super({ l1: 0, l2: rate });
    this.rate = rate;
  }

  override apply(x: tf.Tensor): tf.Scalar {
    return scaledSquaredNorm(x, this.rate);
  }

  /** L1L2's config, as the stock `l2` writes it. */
  override getConfig(): tf.serialization.ConfigDict {
    return { l1: 0, l2: this.rate };
  }
}

/** A `FastL2` for rate > 0, undefined (no regulariser) for rate 0 — the convention of `addWeight`. */
export function fastL2(rate: number): FastL2 | undefined {
  return rate > 0 ? new FastL2(rate) : undefined;
}
