import * as tf from '@tensorflow/tfjs';

/**
 * The matrix products of the gene-selection nets with hand-written gradients that avoid transposed
 * matrix products. On the wasm backend a product with `transposeA` or `transposeB` set is several
 * times slower than a plain one (measured on ALL, 67 × 12625 inputs, 1026 columns: the forward
 * (x⊙u)·W 0.32 s, xᵀ·dZ 1.6 s, dZ·Wᵀ 1.5 s), so the gradients here transpose the small operand
 * explicitly (n × d, a copy) and use plain products — and skip the input gradient the nets never
 * need: the data x is no variable, and for x·diag(u)·W the gradient of u follows from G = xᵀ·dZ,
 * the same product W's gradient needs (du_i = Σ_k W_ik G_ik, dW = diag(u)·G), so dZ·Wᵀ is never formed.
 * Same values as tfjs' own gradients up to float rounding (products.test.ts).
 */

type Args = (tf.Tensor | tf.GradSaveFunc)[];

/** (x ⊙ u)·W for a data matrix x [n, d] (no gradient), u [d] and W [d, k]; gradients for u and W. */
export function maskedProduct(x: tf.Tensor2D, u: tf.Tensor1D, w: tf.Tensor2D): tf.Tensor2D {
  const f = tf.customGrad((...args: Args) => {
    const [uu, ww, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([uu, ww]);
    return {
      value: tf.matMul(tf.mul(x, uu), ww as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [us, ws] = saved;
        const g = tf.matMul(tf.transpose(x), dy as tf.Tensor2D);
        return [tf.sum(tf.mul(ws, g), 1), tf.mul(g, tf.expandDims(us, 1))];
      },
    };
  });
  return f(u, w) as tf.Tensor2D;
}

/** x·W for a data matrix x [n, d] (no gradient) and W [d, k]; the gradient of W is xᵀ·dZ. */
export function dataProduct(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  const f = tf.customGrad((...args: Args) => {
    const ww = args[0] as tf.Tensor;
    return {
      value: tf.matMul(x, ww as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor) => [tf.matMul(tf.transpose(x), dy as tf.Tensor2D)],
    };
  });
  return f(w) as tf.Tensor2D;
}

/** a·b [n, m]·[m, k] with both gradients, each a plain product with one explicitly transposed operand. */
export function product(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const f = tf.customGrad((...args: Args) => {
    const [aa, bb, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([aa, bb]);
    return {
      value: tf.matMul(aa as tf.Tensor2D, bb as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [as, bs] = saved as tf.Tensor2D[];
        return [tf.matMul(dy as tf.Tensor2D, tf.transpose(bs)), tf.matMul(tf.transpose(as), dy as tf.Tensor2D)];
      },
    };
  });
  return f(a, b) as tf.Tensor2D;
}
