import { z } from 'zod';
import { commonFields, positive, positiveInt } from '../../config/common';
import { kappaFromTorchWeightDecay } from '../../spred/conventions';

const optimizerFields = {
  /** `sgd` is SGD with momentum `momentum` (plain SGD at 0); `adam` uses tfjs' defaults (β 0.9/0.999, ε 1e-7). */
  optimizer: z.enum(['sgd', 'adam']),
  learningRate: positive(),
  /** `cosine` decays the rate to 0 over the phase; `constant` keeps it. */
  schedule: z.enum(['constant', 'cosine']),
  momentum: z.number().min(0).max(1).default(0.9),
  epochs: positiveInt(),
  batchSize: positiveInt(),
};

/**
 * Config of the network-compression experiment (paper §5.2, Figures 5, 8, 9, Appendix A.4, A.6): a CIFAR
 * ResNet18 trained with spred on every conv and dense weight (and, as the baseline, the same network with
 * plain weight decay), then pruned with one global threshold on |U⊙W| (plain: by global magnitude at
 * given compression ratios), fine-tuned with the masks held fixed, and retrained from its initial
 * weights under the same masks (the lottery ticket); random pruning at spred's compression ratio is the
 * trivial baseline.
 */
export const resnetPruningConfigSchema = z.strictObject({
  task: z.literal('resnet-pruning'),
  ...commonFields,
  data: z
    .strictObject({
      /** CIFAR-10/100 (official binary files) or Fashion-MNIST / MNIST (IDX, zero-padded to 32×32). */
      dataset: z.enum(['cifar10', 'cifar100', 'fashion-mnist', 'mnist']).default('cifar10'),
      /** Folder holding the files; default: the standard search (`spred data list`). */
      path: z.string().min(1).optional(),
      /** Use the first this many training images; default all. */
      trainLimit: positiveInt().optional(),
      /** Use the first this many test images; default all. */
      testLimit: positiveInt().optional(),
      /** Random crop from the image zero-padded by 4 and horizontal flip (the authors' augmentation). */
      augment: z.boolean().default(true),
    })
    .prefault({}),
  model: z
    .strictObject({
      /** Channels of the first stage (ResNet18: 64); stage s has width·2^s. */
      width: positiveInt().max(1024).default(64),
      /** Basic blocks per stage (ResNet18: [2, 2, 2, 2]). */
      blocks: z.array(positiveInt().max(16)).min(1).max(6).default([2, 2, 2, 2]),
    })
    .prefault({}),
  /** `spred`: every conv and the dense layer as U⊙W; `plain`: the same network with weight decay. */
  variants: z.array(z.enum(['spred', 'plain'])).min(1).default(['spred', 'plain']),
  /**
   * The paper's κ (§5.2: 5e-4), in the authors' convention: PyTorch `weight_decay` on every parameter
   * tensor, i.e. the penalty (weightDecay/2)·‖θ‖² on each (both factors U and W, plain kernels, biases,
   * batch norm). spred's κ (src/spred/conventions.ts) is weightDecay/2; `spred prune --kappa` sets this field.
   */
  weightDecay: z.number().min(0).default(5e-4),
  training: z
    .strictObject({
      optimizer: optimizerFields.optimizer.default('sgd'),
      learningRate: optimizerFields.learningRate.default(0.1),
      schedule: optimizerFields.schedule.default('cosine'),
      momentum: optimizerFields.momentum,
      epochs: optimizerFields.epochs.default(200),
      batchSize: optimizerFields.batchSize.default(256),
    })
    .prefault({}),
  pruning: z
    .strictObject({
      /** Global thresholds on |U⊙W| for the spred network (one row each). */
      thresholds: z.array(positive()).default([1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2]),
      /**
       * Compression ratios for the spred network too: the global threshold on |U⊙W| that keeps the
       * total/cr largest (one row each, after the `thresholds` rows). Default none.
       */
      spredRatios: z.array(z.number().min(1)).default([]),
      /** Compression ratios at which the plain network is pruned by global magnitude (≥ 1). */
      magnitudeRatios: z.array(z.number().min(1)).default([2, 10, 30, 100, 300, 1000]),
      /** Random pruning of the trained spred network at each of its compression ratios, fine-tuned the same way. */
      random: z.boolean().default(true),
      /** Lottery ticket: retrain the spred network from its initial weights under each mask. */
      lottery: z.boolean().default(true),
    })
    .prefault({}),
  /** After pruning (paper: Adam, lr 1e-4, 20 epochs; masks held fixed here). epochs 0: no fine-tuning. */
  finetune: z
    .strictObject({
      optimizer: optimizerFields.optimizer.default('adam'),
      learningRate: optimizerFields.learningRate.default(1e-4),
      schedule: optimizerFields.schedule.default('constant'),
      momentum: optimizerFields.momentum,
      epochs: z.number().int().min(0).default(20),
      batchSize: optimizerFields.batchSize.default(256),
    })
    .prefault({}),
  /**
   * Before every test-accuracy measurement, recompute the batch-norm statistics from this many training
   * images (train.ts `recalibrateBatchNorm`); 0: off, the statistics training left — the paper does not
   * mention recalibration, and the authors fine-tune 20 epochs, which renews them. With it on, pruning.csv
   * also gives the accuracies without it (`*_no_recal`).
   */
  batchNormRecalibration: z.number().int().min(0).default(0),
  /** Epochs of the lottery-ticket retraining (with `training`'s optimizer and schedule); default `training.epochs`. */
  lotteryEpochs: positiveInt().optional(),
  /** weights.csv: the histograms of this many largest conv layers, with `histogramBins` bins over [−max, max] of each layer. */
  histogramLayers: positiveInt().max(1000).default(2),
  histogramBins: positiveInt().max(10_000).default(41),
  /** "Near zero" in the weight-distribution check: |V| below this fraction of the layer's largest |V| (Fig. 5 left). */
  nearZeroFraction: positive().max(1).default(0.01),
  /**
   * Per-epoch checkpoints of every training phase (checkpoints/<variant>/phase-<n>/: the network in the tfjs
   * format, the optimizer's slots and step), from which `spred run --resume <run-dir>` continues a fit that
   * was interrupted. A running phase keeps two slots (at ResNet18 scale about 4 × 45 MB each with spred), a
   * finished one only the slot of its last epoch.
   */
  checkpoints: z.boolean().default(true),
  /** A run directory of this task: prune its trained networks (models/<variant>/) instead of training. null: train. */
  from: z.string().min(1).nullable().default(null),
});

export type ResnetPruningConfig = z.infer<typeof resnetPruningConfigSchema>;
export type Variant = ResnetPruningConfig['variants'][number];
export type PhaseConfig = ResnetPruningConfig['training'] | ResnetPruningConfig['finetune'];

/** spred's κ of a config (conventions.ts): half the authors' PyTorch weight decay. */
export function spredKappa(config: Pick<ResnetPruningConfig, 'weightDecay'>): number {
  return kappaFromTorchWeightDecay(config.weightDecay);
}
