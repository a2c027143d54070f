import * as tf from '@tensorflow/tfjs';
import { flushedProduct } from './flush_below';
import { fastL2 } from './l2_penalty';
import { resolvePenalty } from './conventions';
import { ThresholdMode } from './group_parameter';
import { InitScheme, initRedundantPair, StandardInit, standardInitStd } from './init';
import { kernelPenalty, kernelSettingsConfig, type RedundantKernelArgs } from './redundant_kernel';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Kwargs = Parameters<tf.layers.Layer['call']>[1];
type ActivationIdentifier = Parameters<typeof tf.layers.activation>[0]['activation'];

/**
 * Which parameters of the kernel K ([in, out]) are redundant:
 * - `'elementwise'`: K = U ⊙ W, U and W both [in, out] — L1 on every weight (Theorem 1).
 * - `'input'`: K = diag(u)·W, u [in] — one scalar per input unit (row of K); group lasso on rows, which
 *   zeroes whole input features / previous-layer nodes (Theorem 3).
 * - `'output'`: K = W·diag(u), u [out] — one scalar per output unit (column of K); zeroes whole units.
 */
export type Redundancy = 'elementwise' | 'input' | 'output';
export const REDUNDANCIES: readonly Redundancy[] = ['elementwise', 'input', 'output'];

export interface SpredDenseArgs extends LayerArgs, RedundantKernelArgs {
  /** Output units. Required, a positive integer. */
  units: number;
  /** Activation applied after the bias, any tfjs activation name. Default `'linear'` (none). */
  activation?: ActivationIdentifier;
  /** Whether to add a bias. Default true. */
  useBias?: boolean;
  /** Which parameters are redundant (see `Redundancy`). Default `'elementwise'`. */
  redundancy?: Redundancy;
  /**
   * σ, the std the dense kernel would get: a number, or a standard init's name evaluated at
   * (in, units). Default `'glorot'` (√(2/(in+units)), the scale of tfjs' default `glorotNormal`).
   */
  initStd?: number | StandardInit;
  /** Input size, as for `tf.layers.dense`, when neither `inputShape` nor `batchInputShape` is given. */
  inputDim?: number;
}

/**
 * A dense layer, `activation(x·K + b)`, whose kernel K is redundantly parametrised so that training with
 * `model.fit` (any optimizer) minimises loss + 2κ‖K‖₁ (or the group version): the α‖U‖² + β‖W‖²
 * penalty is attached to U and W with `tf.regularizers.l2`, so it is part of the loss `fit` minimises
 * and reports. (tfjs' `model.evaluate` reports the data loss only — unlike Keras — so add `penalty()`
 * to compare with the fit loss.)
 *
 * Weights, in order: `kernel_w` [in, out], `kernel_u` ([in, out], [in] or [out]), `bias` [out].
 * After training, `exportKernel(threshold)` gives K with near-zeros (entries, or whole rows/columns for
 * group redundancy) set to exactly 0.
 */
export class SpredDense extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'SpredDense';

  readonly units: number;
  readonly useBias: boolean;
  readonly redundancy: Redundancy;
  readonly kappa: number;
  readonly alpha: number;
  readonly beta: number;
  readonly init: InitScheme;
  readonly initStd: number | StandardInit;
  readonly seed: number | undefined;
  readonly biasKappa: number;
  private readonly activationName: ActivationIdentifier;
  private readonly activationLayer: tf.layers.Layer | null;
  private kernelW: tf.LayerVariable | null = null;
  private kernelU: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;
  private skipInitialValues = false;

  constructor(args: SpredDenseArgs) {
    super(args);
    if (args.batchInputShape == null && args.inputShape == null && args.inputDim != null) {
      this.batchInputShape = [args.batchSize ?? null, args.inputDim];
    }
    if (!Number.isInteger(args.units) || args.units <= 0) throw new RangeError(`units must be a positive integer, got ${args.units}`);
    this.units = args.units;
    this.useBias = args.useBias ?? true;
    this.redundancy = args.redundancy ?? 'elementwise';
    if (!REDUNDANCIES.includes(this.redundancy)) {
      throw new RangeError(`redundancy must be one of ${REDUNDANCIES.join(', ')}, got ${String(this.redundancy)}`);
    }
    const p = resolvePenalty(args);
    this.kappa = p.kappa;
    this.alpha = p.alpha;
    this.beta = p.beta;
    this.init = args.init ?? 'independent';
    this.initStd = args.initStd ?? 'glorot';
    this.seed = args.seed;
    this.biasKappa = args.biasKappa ?? 0;
    if (!(this.biasKappa >= 0)) throw new RangeError(`biasKappa must be ≥ 0, got ${this.biasKappa}`);
    this.activationName = args.activation ?? 'linear';
    this.activationLayer =
      this.activationName === 'linear' ? null : tf.layers.activation({ activation: this.activationName, name: `${this.name}_activation` });
    this.inputSpec = [new tf.InputSpec({ minNDim: 2 })];
  }

  /** The axis of the kernel whose slices share one scalar u, or undefined for elementwise redundancy. */
  get groupAxis(): 0 | 1 | undefined {
    return this.redundancy === 'input' ? 0 : this.redundancy === 'output' ? 1 : undefined;
  }

  /** Called by tfjs when loading saved weights: the random initial values would be overwritten anyway. */
  override setFastWeightInitDuringBuild(value: boolean): void {
    super.setFastWeightInitDuringBuild(value);
    this.skipInitialValues = value;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inDim = shape[shape.length - 1];
    if (inDim == null) throw new RangeError(`${this.name}: the last input dimension must be known, got [${shape}]`);
    const kernelShape = [inDim, this.units];
    const uShape = this.redundancy === 'elementwise' ? kernelShape : this.redundancy === 'input' ? [inDim] : [this.units];
    const zeros = tf.initializers.zeros();
    this.kernelW = this.addWeight('kernel_w', kernelShape, 'float32', zeros, fastL2(this.beta), true);
    this.kernelU = this.addWeight('kernel_u', uShape, 'float32', zeros, fastL2(this.alpha), true);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], 'float32', zeros, fastL2(this.biasKappa), true);
    if (!this.skipInitialValues) {
      const std = typeof this.initStd === 'number' ? this.initStd : standardInitStd(this.initStd, inDim, this.units);
      const { u, w } = initRedundantPair({
        scheme: this.init,
        shape: kernelShape,
        std,
        groupAxis: this.groupAxis,
        seed: this.seed,
        alpha: this.alpha,
        beta: this.beta,
      });
      this.kernelU.write(u);
      this.kernelW.write(w);
      u.dispose();
      w.dispose();
    }
    this.inputSpec = [new tf.InputSpec({ minNDim: 2, axes: { [-1]: inDim } })];
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const out = shape.slice();
    out[out.length - 1] = this.units;
    return out;
  }

  private variables(): { u: tf.Tensor; w: tf.Tensor } {
    if (this.kernelU == null || this.kernelW == null) throw new Error(`${this.name} is not built yet: call it on an input or add it to a model first`);
    return { u: this.kernelU.read(), w: this.kernelW.read() };
  }

  /** K from (U, W), entries below 1e-20 flushed to 0 (see `flushedProduct`); expects to run inside a tidy. */
  private kernel(): tf.Tensor2D {
    const { u, w } = this.variables();
    switch (this.redundancy) {
      case 'elementwise':
        return flushedProduct(u, w as tf.Tensor2D);
      case 'input':
        return flushedProduct(tf.reshape(u, [-1, 1]), w as tf.Tensor2D);
      case 'output':
        return flushedProduct(tf.reshape(u, [1, -1]), w as tf.Tensor2D);
    }
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const k = this.kernel();
      let y: tf.Tensor =
        x.rank === 2 ? tf.matMul(x as tf.Tensor2D, k) : tf.reshape(tf.matMul(tf.reshape(x, [-1, k.shape[0]]), k), [...x.shape.slice(0, -1), this.units]);
      if (this.bias != null) y = tf.add(y, this.bias.read());
      if (this.activationLayer != null) y = this.activationLayer.apply(y) as tf.Tensor;
      return y;
    });
  }

  /** K = U ⊙ W (or its group form), [in, out] (a new tensor). */
  effectiveKernel(): tf.Tensor2D {
    return tf.tidy(() => this.kernel());
  }

  /**
   * K with near-zeros set to exactly 0 (a new tensor). `mode` `'group'` (the default for `'input'` and
   * `'output'` redundancy) zeroes every row (input) or column (output) with ‖K_g‖₂ < threshold;
   * `'elementwise'` (the default for elementwise redundancy) zeroes every |K_ij| < threshold.
   */
  exportKernel(threshold = 0, mode?: ThresholdMode): tf.Tensor2D {
    const axis = this.groupAxis;
    const m = mode ?? (axis === undefined ? 'elementwise' : 'group');
    return tf.tidy(() => {
      const k = this.kernel();
      if (!(threshold > 0)) return k;
      if (m === 'elementwise') return tf.where(tf.less(tf.abs(k), threshold), tf.zerosLike(k), k);
      const ax = axis ?? 0;
      const norms = tf.sqrt(tf.sum(tf.square(k), 1 - ax, true));
      return tf.where(tf.broadcastTo(tf.less(norms, threshold), k.shape), tf.zerosLike(k), k);
    });
  }

  /** This layer's share of `model.losses`: α‖U‖² + β‖W‖² (+ biasKappa‖b‖²) (a new scalar). */
  penalty(): tf.Scalar {
    const { u, w } = this.variables();
    return kernelPenalty(this, u, w, this.bias?.read() ?? null);
  }

  /** Bias values (a new tensor), or null without bias. */
  exportBias(): tf.Tensor1D | null {
    return this.bias == null ? null : (tf.clone(this.bias.read()) as tf.Tensor1D);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      units: this.units,
      activation: this.activationName,
      useBias: this.useBias,
      redundancy: this.redundancy,
      ...kernelSettingsConfig(this),
    };
    return { ...config, ...super.getConfig() };
  }
}
tf.serialization.registerClass(SpredDense);

/** `tf.layers.dense`-style factory. */
export function spredDense(args: SpredDenseArgs): SpredDense {
  return new SpredDense(args);
}
