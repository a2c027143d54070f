import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../../spred/init';
import { SpredDense } from '../../spred/spred_dense';
import type { Activation, Variant } from './config';

export interface MlpArgs {
  inputs: number;
  hidden: number;
  classes: number;
  activation: Activation;
  variant: Variant;
  /** Weight decay (Keras l2) of both layers, and spred's κ on the redundant output layer. */
  kappa: number;
  /** Seeds the initialisation; the hidden layer gets the same initial weights for every κ and variant. */
  seed: number;
}

/**
 * The §5.1 network x → σ(x·W₁ + b₁) → ·W₂ + b₂ (logits) as a tfjs-layers model, so the same code runs
 * on any backend and `model.fit` works on it (src/bench/mlp_epoch.ts):
 *
 * - `weight-decay`: two `dense` layers, `kernelRegularizer: l2({l2: κ})` on both (κ‖W₁‖² + κ‖W₂‖²).
 * - `spred`: the output layer is a `SpredDense` with `redundancy: 'input'` — W₂ = diag(u)·W, one scalar
 *   per hidden unit on its outgoing row (Algorithm 2, group = neuron) — penalty κ(‖u‖² + ‖W‖²), and
 *   the hidden layer keeps the weight decay κ‖W₁‖² (§3: "add a small weight decay to all the other
 *   layers to prevent the model from diverging").
 *
 * The penalties are attached as layer losses, so `penalty()` (and `model.fit`) include them.
 */
export class Mlp {
  readonly model: tf.Sequential;
  readonly hiddenLayer: tf.layers.Layer;
  readonly outputLayer: tf.layers.Layer;
  readonly args: MlpArgs;

  constructor(args: MlpArgs) {
    this.args = args;
    const { inputs, hidden, classes, activation, variant, kappa, seed } = args;
    this.hiddenLayer = tf.layers.dense({
      units: hidden,
      activation,
      inputShape: [inputs],
      kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(seed, 1) }),
      kernelRegularizer: tf.regularizers.l2({ l2: kappa }),
      name: 'hidden',
    });
    this.outputLayer =
      variant === 'spred'
        ? new SpredDense({ units: classes, redundancy: 'input', kappa, init: 'sqrt', initStd: 'glorot', seed: deriveSeed(seed, 2), name: 'output' })
        : tf.layers.dense({
            units: classes,
            kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(seed, 2) }),
            kernelRegularizer: tf.regularizers.l2({ l2: kappa }),
            name: 'output',
          });
    this.model = tf.sequential({ layers: [this.hiddenLayer, this.outputLayer] });
  }

  /** Hidden activations σ(x·W₁ + b₁), [n, hidden]. */
  hidden(x: tf.Tensor2D): tf.Tensor2D {
    return this.hiddenLayer.apply(x) as tf.Tensor2D;
  }

  /** Logits, [n, classes]. */
  logits(x: tf.Tensor2D, training = false): tf.Tensor2D {
    return this.model.apply(x, { training }) as tf.Tensor2D;
  }

  /**
   * Sum of the layers' penalties (a new scalar). Read from the layers, not from `model.calculateLosses()`,
   * which counts a layer only once the model has been called.
   */
  penalty(): tf.Scalar {
    return tf.tidy(() => {
      const losses = [...this.hiddenLayer.calculateLosses(), ...this.outputLayer.calculateLosses()];
      return (losses.length === 0 ? tf.scalar(0) : tf.addN(losses)) as tf.Scalar;
    });
  }

  /** W₁, [inputs, hidden] (a new tensor): column j is hidden unit j's incoming weights. */
  incomingKernel(): tf.Tensor2D {
    return tf.clone(this.hiddenLayer.getWeights()[0]) as tf.Tensor2D;
  }

  /** The effective W₂ (u_j·W[j, :] for spred), [hidden, classes]: row j is unit j's outgoing weights. */
  outgoingKernel(): tf.Tensor2D {
    if (this.outputLayer instanceof SpredDense) return this.outputLayer.effectiveKernel();
    return tf.clone(this.outputLayer.getWeights()[0]) as tf.Tensor2D;
  }

  dispose(): void {
    this.model.dispose();
  }
}
