/**
 * Batch normalisation whose training-mode step is one op with a hand-written gradient.
 *
 * tfjs-layers' BatchNormalization trains through the tape: `tf.moments` (Mean, Sub, Square, Mean), then
 * the FusedBatchNorm kernel with mean and variance as inputs. Its gradient differentiates each piece
 * separately (FusedBatchNorm's gradient tiles 1/σ to the input's full shape — a Tile kernel per layer,
 * 14 % of a smoke ResNet step's kernel time on wasm — and the moments' gradients broadcast and
 * accumulate three more full-size terms) and saves every input it uses by copy. Over the normalised
 * axes (N elements per channel), with x̂ = (x − μ)/σ, σ = √(var + ε) and y = γx̂ + β, the closed form is
 *
 *     ∂β = Σ dy,   ∂γ = Σ dy·x̂,   ∂x = (γ/σ)·(dy − Σdy/N) − (γ/σ)(Σ dy·x̂ / N)·x̂,
 *
 * three full-size kernels (one FusedBatchNorm for the first term, a multiply and an add) and two sums.
 * The forward pass is tfjs' (biased batch variance, then the FusedBatchNorm kernel), with the channel
 * sums taken as products (`channelSums`); outputs, statistics and gradients agree with tfjs' to float
 * rounding.
 */
import * as tf from '@tensorflow/tfjs';

type Args = (tf.Tensor | tf.GradSaveFunc)[];
type LayerArgs = Parameters<typeof tf.layers.batchNormalization>[0];
type Kwargs = Parameters<tf.layers.Layer['call']>[1];

export interface BatchStatistics {
  /** Σx/N per channel, [C]. */
  mean: tf.Tensor1D;
  /** Σ(x − μ)²/N per channel (biased, as tfjs and Keras use for normalising), [C]. */
  variance: tf.Tensor1D;
}

/**
 * Σ of x over every axis but the last, [C], as one [1, N]·[N, C] product. tfjs-backend-wasm's Sum and
 * Mean reduce only innermost axes and transpose the whole input first otherwise: measured on wasm at
 * [32768, 64] (the first stage of ResNet18 at batch 32), 24 ms against 0.75 ms for the product.
 */
function channelSums(x: tf.Tensor): tf.Tensor1D {
  const channels = x.shape[x.rank - 1];
  const rows = x.size / channels;
  return tf.reshape(tf.matMul(tf.ones([1, rows]), tf.reshape(x, [rows, channels])), [channels]);
}

/**
 * y = γ·(x − μ)/√(var + ε) + β with μ and var the batch statistics over every axis but the last
 * (channels last), differentiable in x, γ and β with the closed-form gradient above. Returns y and the
 * batch statistics (new tensors in the caller's scope; the statistics carry no gradient).
 */
export function batchNormInTraining(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): { y: tf.Tensor } & BatchStatistics {
  const channels = x.shape[x.rank - 1];
  const count = x.size / channels;
  let stats: BatchStatistics | undefined;
  const f = tf.customGrad((...args: Args) => {
    const [xx, g, b, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const mean = tf.div(channelSums(xx), count) as tf.Tensor1D;
    const centred = tf.sub(xx, mean);
    const variance = tf.div(channelSums(tf.square(centred)), count) as tf.Tensor1D;
    const y = tf.batchNorm(xx, mean, variance, b, g, epsilon);
    const invStd = tf.rsqrt(tf.add(variance, epsilon));
    save([tf.mul(centred, invStd), g, invStd]);
    stats = { mean: tf.keep(mean), variance: tf.keep(variance) };
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xhat, gs, inv] = saved;
        const sumDy = channelSums(dy);
        const sumDyXhat = channelSums(tf.mul(dy, xhat));
        const scale = tf.mul(gs, inv); // γ/σ
        // (γ/σ)(dy − Σdy/N) as one FusedBatchNorm kernel: mean Σdy/N, variance 1, ε 0, offset 0.
        const centredDy = tf.batchNorm(dy, tf.div(sumDy, count), tf.onesLike(sumDy), undefined, scale, 0);
        const dx = tf.add(centredDy, tf.mul(xhat, tf.mul(scale, tf.div(sumDyXhat, -count))));
        return [dx, sumDyXhat, sumDy];
      },
    };
  });
  const y = f(x, gamma, beta);
  // The statistics were kept out of the op's own scope; clones (shared data, no copy) are tracked by
  // the caller's scope like any other result, so a caller that ignores them leaks nothing.
  const kept = stats!;
  const result = { y, mean: tf.clone(kept.mean), variance: tf.clone(kept.variance) };
  tf.dispose([kept.mean, kept.variance]);
  return result;
}

/** tfjs-layers' BatchNormalization class (its type is exported, its constructor only through the registry). */
type StockBatchNormalization = ReturnType<typeof tf.layers.batchNormalization>;
const StockClass = tf.serialization.SerializationMap.getMap().classNameMap['BatchNormalization'][0] as unknown as new (
  args?: LayerArgs,
) => StockBatchNormalization;

/** The stock layer's fields this class reads (private in tfjs' typings). */
interface BatchNormFields {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

/**
 * `tf.layers.batchNormalization` (same arguments, weights, config and class name — a saved model loads
 * back as the stock layer) whose training step uses `batchNormInTraining` when it normalises the last
 * axis of a rank ≤ 4 input with both γ and β; other settings and inference run the stock code.
 */
export class FastBatchNormalization extends StockClass {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as BatchNormFields;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const lastAxis = self.axis === -1 || self.axis === x.rank - 1;
    // tf.batchNorm takes ranks 1 to 4.
    if (!kwargs?.['training'] || !lastAxis || x.rank > 4 || !self.center || !self.scale) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormInTraining(x, self.gamma.read() as tf.Tensor1D, self.beta.read() as tf.Tensor1D, self.epsilon);
      // The stock update, new = old − (old − batch)·(1 − momentum), with the momentum read now (callers
      // such as batch-norm recalibration change it between calls).
      const decay = 1 - self.momentum;
      for (const [variable, value] of [[self.movingMean, mean], [self.movingVariance, variance]] as const) {
        const old = variable.read();
        variable.write(tf.sub(old, tf.mul(tf.sub(old, value), decay)));
      }
      tf.dispose([mean, variance]);
      return y;
    });
  }
}

/** `tf.layers.batchNormalization`-style factory. */
export function fastBatchNormalization(args?: LayerArgs): FastBatchNormalization {
  return new FastBatchNormalization(args);
}
