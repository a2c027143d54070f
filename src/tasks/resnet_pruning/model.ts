import * as tf from '@tensorflow/tfjs';
import { deriveSeed, standardInitStd } from '../../spred/init';
import { SpredConv2D } from '../../spred/spred_conv2d';
import { SpredDense } from '../../spred/spred_dense';
import { fastL2 } from '../../spred/l2_penalty';
import { fastBatchNormalization } from '../../layers/batch_normalization';
export { kernelWeightCount } from './size';

export interface ResNetArgs {
  /** Input height = width (32 for CIFAR and for Fashion-MNIST padded to 32). */
  size: number;
  /** Input channels (3 for CIFAR, 1 for Fashion-MNIST). */
  channels: number;
  classes: number;
  /** Channels of the first stage; stage s has width·2^s. ResNet18: 64. */
  width: number;
  /** Basic blocks per stage, one entry per stage. ResNet18: [2, 2, 2, 2]. */
  blocks: readonly number[];
  /** Every conv and the final dense layer as U ⊙ W (batch norm stays plain). */
  spred: boolean;
  /**
   * spred's κ (src/spred/conventions.ts): every parameter tensor — each factor U and W, plain kernels,
   * biases, batch-norm γ and β — gets κ‖θ‖², i.e. PyTorch `weight_decay` = 2κ on every parameter, which
   * is what the authors' code did for both the plain and the spred network.
   */
  kappa: number;
  seed: number;
}

/** A conv or dense layer whose weight is pruned (its kernel V; U ⊙ W for spred layers). */
export type PrunableLayer = SpredConv2D | SpredDense | tf.layers.Layer;

/**
 * The CIFAR ResNet18 of the common reference implementation (kuangliu/pytorch-cifar, used by SynFlow and
 * by the paper's authors): 3×3 stem conv, no max-pool, stages of basic blocks (3×3 conv, BN, ReLU, 3×3
 * conv, BN, + shortcut — a 1×1 strided conv and BN where the shape changes —, ReLU), stage s with
 * width·2^s channels and stride 2 from the second stage on, global average pooling and a dense layer.
 * Convs have no bias (batch norm follows each); the dense layer has one. With width 64, blocks
 * [2, 2, 2, 2] and 10 classes: 11,173,962 trainable parameters, as PyTorch counts them (batch norm's
 * running statistics are not parameters).
 *
 * Kernels start at He's σ = √(2/fan-in); with `spred` every conv and the dense layer is U ⊙ W with
 * U ~ N(0, 1), W ~ N(0, σ²) drawn independently (so V has the same std).
 */
export function buildResNet(args: ResNetArgs): tf.LayersModel {
  const { kappa, seed } = args;
  let stream = 0;
  const l2 = () => fastL2(kappa);
  const conv = (x: tf.SymbolicTensor, filters: number, kernel: number, stride: number, name: string): tf.SymbolicTensor => {
    const s = deriveSeed(seed, stream++);
    if (args.spred) {
      return new SpredConv2D({ filters, kernelSize: kernel, strides: stride, padding: 'same', useBias: false, kappa, seed: s, name }).apply(x) as tf.SymbolicTensor;
    }
    const inDim = x.shape[3] as number;
    const std = standardInitStd('he', kernel * kernel * inDim, kernel * kernel * filters);
    return tf.layers
      .conv2d({
        filters,
        kernelSize: kernel,
        strides: stride,
        padding: 'same',
        useBias: false,
        kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: std, seed: s }),
        kernelRegularizer: l2(),
        name,
      })
      .apply(x) as tf.SymbolicTensor;
  };
  const bn = (x: tf.SymbolicTensor, name: string): tf.SymbolicTensor =>
    fastBatchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaRegularizer: l2(), betaRegularizer: l2(), name }).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor): tf.SymbolicTensor => tf.layers.reLU().apply(x) as tf.SymbolicTensor;

  const input = tf.input({ shape: [args.size, args.size, args.channels], name: 'image' });
  let x = relu(bn(conv(input, args.width, 3, 1, 'stem_conv'), 'stem_bn'));
  let channels = args.width;
  args.blocks.forEach((count, stage) => {
    const filters = args.width * 2 ** stage;
    for (let b = 0; b < count; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      const name = `s${stage + 1}b${b + 1}`;
      let y = relu(bn(conv(x, filters, 3, stride, `${name}_conv1`), `${name}_bn1`));
      y = bn(conv(y, filters, 3, 1, `${name}_conv2`), `${name}_bn2`);
      const shortcut = stride !== 1 || channels !== filters ? bn(conv(x, filters, 1, stride, `${name}_short`), `${name}_short_bn`) : x;
      x = relu(tf.layers.add({ name: `${name}_add` }).apply([y, shortcut]) as tf.SymbolicTensor);
      channels = filters;
    }
  });
  x = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tf.SymbolicTensor;
  const s = deriveSeed(seed, stream++);
  const head = args.spred
    ? new SpredDense({ units: args.classes, kappa, biasKappa: kappa, initStd: 'he', seed: s, name: 'fc' })
    : tf.layers.dense({
        units: args.classes,
        kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: standardInitStd('he', channels, args.classes), seed: s }),
        kernelRegularizer: l2(),
        biasRegularizer: l2(),
        name: 'fc',
      });
  const logits = head.apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: args.spred ? 'resnet_spred' : 'resnet' });
}

/** Conv and dense layers, in model order: the layers whose kernels are pruned. */
export function prunableLayers(model: tf.LayersModel): PrunableLayer[] {
  return model.layers.filter((l) => l instanceof SpredConv2D || l instanceof SpredDense || l.getClassName() === 'Conv2D' || l.getClassName() === 'Dense');
}

/** Trainable parameters, as PyTorch's `sum(p.numel() for p in model.parameters())` counts them. */
export function trainableParameterCount(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((a, w) => a + w.shape.reduce((x, y) => (x as number) * (y as number), 1)!, 0);
}

/**
 * The layer's kernel variables that pruning zeroes (a new list, not new tensors): U and W of a spred
 * layer, the kernel of a plain one.
 */
export function kernelVariables(layer: PrunableLayer): tf.LayerVariable[] {
  return layer.trainableWeights.filter((w) => /\/kernel(_[uw])?$/.test(w.originalName) || /\/kernel(_[uw])?$/.test(w.name));
}

/** The layer's effective kernel V (U ⊙ W for spred layers; a new tensor). */
export function effectiveKernel(layer: PrunableLayer): tf.Tensor {
  if (layer instanceof SpredConv2D || layer instanceof SpredDense) return layer.effectiveKernel();
  return tf.clone(kernelVariables(layer)[0].read());
}

/** The sum of every layer's regulariser losses (a new scalar; 0 without any). */
export function penalty(model: tf.LayersModel): tf.Scalar {
  return tf.tidy(() => {
    const losses = model.layers.flatMap((l) => l.calculateLosses());
    // sum(stack), not addN: tfjs-backend-webgpu's AddN binds every input as one storage buffer and fails
    // above the device's limit (8 by default; ResNet18 has 52 penalised tensors); its Concat splits.
    return (losses.length === 0 ? tf.scalar(0) : tf.sum(tf.stack(losses))) as tf.Scalar;
  });
}
