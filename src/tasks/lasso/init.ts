import * as tf from '@tensorflow/tfjs';
import { splitKappa } from '../../spred/conventions';
import { initRedundantPair } from '../../spred/init';
import type { LassoConfig } from './config';
import type { IterativeMethod } from './train_grid';

/**
 * Starting point of one run, [d, G] (one column per λ). spred gets U and W from the configured scheme
 * (§3 "two implementation caveats"); l1 starts from their product V₀ = U₀⊙W₀, so both methods start
 * from the same V and every run with the same seed starts from the same point.
 */
export function initialParameters(
  method: IterativeMethod,
  d: number,
  g: number,
  config: LassoConfig,
): { v: tf.Tensor2D } | { u: tf.Tensor2D; w: tf.Tensor2D } {
  const { alpha, beta } = splitKappa(1, config.spred.alphaOverBeta);
  const { u, w } = initRedundantPair({
    scheme: config.spred.init,
    shape: [d, g],
    std: config.spred.initScale,
    seed: config.seed,
    alpha,
    beta,
  });
  if (method === 'spred') return { u: u as tf.Tensor2D, w: w as tf.Tensor2D };
  const v = tf.mul(u, w) as tf.Tensor2D;
  tf.dispose([u, w]);
  return { v };
}
