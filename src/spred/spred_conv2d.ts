import * as tf from '@tensorflow/tfjs';
import { resolvePenalty } from './conventions';
import { flushedProduct } from './flush_below';
import { fastL2 } from './l2_penalty';
import { InitScheme, initRedundantPair, StandardInit, standardInitStd } from './init';
import { kernelPenalty, kernelSettingsConfig, type RedundantKernelArgs } from './redundant_kernel';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Kwargs = Parameters<tf.layers.Layer['call']>[1];

export interface SpredConv2DArgs extends LayerArgs, RedundantKernelArgs {
  /** Output channels. Required, a positive integer. */
  filters: number;
  /** Kernel height and width: one number for a square kernel. Required. */
  kernelSize: number | [number, number];
  /** Strides: one number for both axes. Default 1. */
  strides?: number | [number, number];
  /** `'same'` or `'valid'`, as for `tf.layers.conv2d`. Default `'valid'`. */
  padding?: 'same' | 'valid';
  /** Whether to add a bias. Default true (false before a batch norm). */
  useBias?: boolean;
  /**
   * σ, the std the plain kernel would get: a number, or a standard init's name evaluated at
   * fan-in kh·kw·in and fan-out kh·kw·filters. Default `'he'` (√(2/fan-in), the usual for ReLU nets).
   */
  initStd?: number | StandardInit;
}

function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/**
 * A 2-D convolution (channels last, like `tf.layers.conv2d`) whose kernel K [kh, kw, in, filters] is
 * U ⊙ W elementwise, so that training with any optimizer minimises loss + 2κ‖K‖₁ (Theorem 1): the
 * α‖U‖² + β‖W‖² penalty is attached to U and W with `tf.regularizers.l2`. Entries of K below 1e-20 are
 * flushed to 0 (`flushBelow`: subnormal products make wasm ~100× slower).
 *
 * Weights, in order: `kernel_w`, `kernel_u` (both [kh, kw, in, filters]), `bias` [filters].
 */
export class SpredConv2D extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'SpredConv2D';

  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'same' | 'valid';
  readonly useBias: boolean;
  readonly kappa: number;
  readonly alpha: number;
  readonly beta: number;
  readonly init: InitScheme;
  readonly initStd: number | StandardInit;
  readonly seed: number | undefined;
  readonly biasKappa: number;
  private kernelW: tf.LayerVariable | null = null;
  private kernelU: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;
  private skipInitialValues = false;

  constructor(args: SpredConv2DArgs) {
    super(args);
    if (!Number.isInteger(args.filters) || args.filters <= 0) throw new RangeError(`filters must be a positive integer, got ${args.filters}`);
    this.filters = args.filters;
    this.kernelSize = pair(args.kernelSize);
    this.strides = pair(args.strides ?? 1);
    for (const [name, v] of [['kernelSize', this.kernelSize], ['strides', this.strides]] as const) {
      if (!v.every((x) => Number.isInteger(x) && x > 0)) throw new RangeError(`${name} must be positive integers, got ${v}`);
    }
    this.padding = args.padding ?? 'valid';
    if (this.padding !== 'same' && this.padding !== 'valid') throw new RangeError(`padding must be 'same' or 'valid', got ${String(this.padding)}`);
    this.useBias = args.useBias ?? true;
    const p = resolvePenalty(args);
    this.kappa = p.kappa;
    this.alpha = p.alpha;
    this.beta = p.beta;
    this.init = args.init ?? 'independent';
    this.initStd = args.initStd ?? 'he';
    this.seed = args.seed;
    this.biasKappa = args.biasKappa ?? 0;
    if (!(this.biasKappa >= 0)) throw new RangeError(`biasKappa must be ≥ 0, got ${this.biasKappa}`);
    this.inputSpec = [new tf.InputSpec({ ndim: 4 })];
  }

  /** Called by tfjs when loading saved weights: the random initial values would be overwritten anyway. */
  override setFastWeightInitDuringBuild(value: boolean): void {
    super.setFastWeightInitDuringBuild(value);
    this.skipInitialValues = value;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inDim = shape[3];
    if (inDim == null) throw new RangeError(`${this.name}: the channel dimension must be known, got [${shape}]`);
    const kernelShape = [...this.kernelSize, inDim, this.filters];
    const zeros = tf.initializers.zeros();
    this.kernelW = this.addWeight('kernel_w', kernelShape, 'float32', zeros, fastL2(this.beta), true);
    this.kernelU = this.addWeight('kernel_u', kernelShape, 'float32', zeros, fastL2(this.alpha), true);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', zeros, fastL2(this.biasKappa), true);
    if (!this.skipInitialValues) {
      const area = this.kernelSize[0] * this.kernelSize[1];
      const std = typeof this.initStd === 'number' ? this.initStd : standardInitStd(this.initStd, area * inDim, area * this.filters);
      const { u, w } = initRedundantPair({ scheme: this.init, shape: kernelShape, std, seed: this.seed, alpha: this.alpha, beta: this.beta });
      this.kernelU.write(u);
      this.kernelW.write(w);
      tf.dispose([u, w]);
    }
    this.inputSpec = [new tf.InputSpec({ ndim: 4, axes: { [-1]: inDim } })];
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const out = (size: number | null, k: number, s: number): number | null =>
      size == null ? null : this.padding === 'same' ? Math.ceil(size / s) : Math.ceil((size - k + 1) / s);
    return [shape[0], out(shape[1], this.kernelSize[0], this.strides[0]), out(shape[2], this.kernelSize[1], this.strides[1]), this.filters];
  }

  private factors(): { u: tf.Tensor; w: tf.Tensor } {
    if (this.kernelU == null || this.kernelW == null) throw new Error(`${this.name} is not built yet: call it on an input or add it to a model first`);
    return { u: this.kernelU.read(), w: this.kernelW.read() };
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const { u, w } = this.factors();
      const k = flushedProduct(u, w) as tf.Tensor4D;
      let y: tf.Tensor = tf.conv2d(x, k, this.strides, this.padding);
      if (this.bias != null) y = tf.add(y, this.bias.read());
      return y;
    });
  }

  /** K = U ⊙ W, [kh, kw, in, filters] (a new tensor; entries below 1e-20 flushed to 0 as in the forward pass). */
  effectiveKernel(): tf.Tensor4D {
    return tf.tidy(() => {
      const { u, w } = this.factors();
      return flushedProduct(u, w) as tf.Tensor4D;
    });
  }

  /** K with every |K_i| < threshold set to exactly 0 (a new tensor). */
  exportKernel(threshold = 0): tf.Tensor4D {
    return tf.tidy(() => {
      const k = this.effectiveKernel();
      return threshold > 0 ? (tf.where(tf.less(tf.abs(k), threshold), tf.zerosLike(k), k) as tf.Tensor4D) : k;
    });
  }

  /** This layer's share of `model.losses`: α‖U‖² + β‖W‖² (+ biasKappa‖b‖²) (a new scalar). */
  penalty(): tf.Scalar {
    const { u, w } = this.factors();
    return kernelPenalty(this, u, w, this.bias?.read() ?? null);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      useBias: this.useBias,
      ...kernelSettingsConfig(this),
    };
    return { ...config, ...super.getConfig() };
  }
}
tf.serialization.registerClass(SpredConv2D);

/** `tf.layers.conv2d`-style factory. */
export function spredConv2d(args: SpredConv2DArgs): SpredConv2D {
  return new SpredConv2D(args);
}
