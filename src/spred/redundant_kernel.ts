import * as tf from '@tensorflow/tfjs';
import type { InitScheme, StandardInit } from './init';

/** What every layer with a redundantly parametrised kernel takes besides its shape (SpredDense, SpredConv2D). */
export interface RedundantKernelArgs {
  /**
   * The L1 strength is 2κ: the layer adds α‖U‖² + β‖W‖² (αβ = κ²) to `model.losses`, which equals
   * 2κ‖K‖₁ (elementwise; 2κ Σ_g ‖K_g‖₂ for SpredDense's groups) at a minimum. κ = λ/2 against the lasso's
   * λ, κ = l2 of Keras' `l2(l2)`, κ = wd/2 of PyTorch's weight_decay (conventions.ts). Required, ≥ 0.
   */
  kappa: number;
  /** Penalty on U (or u). Default κ, or κ²/β when only β is given. */
  alpha?: number;
  /** Penalty on W. Default κ, or κ²/α when only α is given. */
  beta?: number;
  /** Initialisation scheme of the pair (init.ts). Default `'independent'` (U ~ N(0, 1), W ~ N(0, σ²)). */
  init?: InitScheme;
  /** Seeds the kernel initialisation. Default: unseeded. */
  seed?: number;
  /** Plain L2 penalty biasKappa·‖b‖² on the bias (weight decay, not L1). Default 0 (none). */
  biasKappa?: number;
}

/** The resolved penalty and initialisation settings a layer holds and serialises. */
export interface RedundantKernelSettings {
  readonly kappa: number;
  readonly alpha: number;
  readonly beta: number;
  readonly init: InitScheme;
  readonly initStd: number | StandardInit;
  readonly biasKappa: number;
  readonly seed?: number;
}

/** α‖U‖² + β‖W‖² (+ biasKappa‖b‖²): the layer's share of `model.losses`, as a new scalar. */
export function kernelPenalty(s: RedundantKernelSettings, u: tf.Tensor, w: tf.Tensor, bias: tf.Tensor | null): tf.Scalar {
  return tf.tidy(() => {
    let p = tf.add(tf.mul(s.alpha, tf.sum(tf.square(u))), tf.mul(s.beta, tf.sum(tf.square(w)))) as tf.Scalar;
    if (bias != null && s.biasKappa > 0) p = tf.add(p, tf.mul(s.biasKappa, tf.sum(tf.square(bias))));
    return p;
  });
}

/** The config fields the settings contribute to `getConfig()` (seed only when set). */
export function kernelSettingsConfig(s: RedundantKernelSettings): tf.serialization.ConfigDict {
  const config: tf.serialization.ConfigDict = {
    kappa: s.kappa,
    alpha: s.alpha,
    beta: s.beta,
    init: s.init,
    initStd: s.initStd,
    biasKappa: s.biasKappa,
  };
  if (s.seed !== undefined) config.seed = s.seed;
  return config;
}
