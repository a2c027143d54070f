import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../numeric/prng';
import { createOptimizer, makeSchedule, yieldToEventLoop } from '../../optim';
import type { PhaseCheckpoints } from './checkpoint';
import { optimizerSpec, permutation } from '../mlp_node_sparsity/train';
import type { PhaseConfig } from './config';
import { assembleBatch, type ImageSplit, type PruningImages } from './data';
import type { Masks } from './prune';
import { penalty } from './model';
import type { ConcentrationRow } from './weights';

const EVAL_CHUNK = 500;

/** Test accuracy of `model` (batch norm in inference mode), in chunks. Creates no lasting tensors. */
export async function testAccuracy(model: tf.LayersModel, images: PruningImages, split: ImageSplit = images.test): Promise<number> {
  let correct = 0;
  const all = Int32Array.from({ length: split.n }, (_, i) => i);
  for (let start = 0; start < split.n; start += EVAL_CHUNK) {
    const idx = all.subarray(start, Math.min(split.n, start + EVAL_CHUNK));
    const c = tf.tidy(() => {
      const x = tf.tensor4d(assembleBatch(images, split, idx), [idx.length, images.size, images.size, images.channels]);
      const labels = tf.tensor1d(split.labels.subarray(start, start + idx.length), 'int32');
      return tf.sum(tf.cast(tf.equal(tf.argMax(model.apply(x) as tf.Tensor, 1), labels), 'int32'));
    });
    correct += (await c.data())[0];
    c.dispose();
  }
  return correct / split.n;
}

/**
 * Recomputes every batch-norm layer's moving mean and variance from the first `count` training images
 * (unaugmented, in batches of `batchSize`): the cumulative average of the batch statistics, as PyTorch's
 * `torch.optim.swa_utils.update_bn` does (momentum None). The statistics a network carries out of
 * training are an exponential average over its last steps, taken while the weights were still moving —
 * and pruning changes every layer's output — so evaluating a pruned network with them measures stale
 * normalisation as much as pruning. Weights are not touched; creates no lasting tensors.
 */
export function recalibrateBatchNorm(model: tf.LayersModel, images: PruningImages, count: number, batchSize: number): void {
  // tfjs' BatchNormalization reads `momentum` on every training call (new = m·old + (1 − m)·batch); the
  // field is private in its typings. m = k/(k+1) at the k-th batch (from 0) makes the running value the
  // plain average of the batches' statistics.
  const layers = model.layers.filter((l) => l.getClassName() === 'BatchNormalization') as unknown as { momentum: number }[];
  const saved = layers.map((l) => l.momentum);
  const { train } = images;
  const n = Math.min(count, train.n);
  try {
    for (let start = 0, k = 0; start < n; start += batchSize, k++) {
      const idx = Int32Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
      for (const l of layers) l.momentum = k / (k + 1);
      tf.tidy(() => {
        model.apply(tf.tensor4d(assembleBatch(images, train, idx), [idx.length, images.size, images.size, images.channels]), { training: true });
      });
    }
  } finally {
    layers.forEach((l, i) => (l.momentum = saved[i]));
  }
}

export interface EpochReport {
  epoch: number;
  /** Mean training objective (cross-entropy + penalty) over the epoch's steps. */
  loss: number;
  learningRate: number;
  seconds: number;
  numTensors: number;
  /** What `PhaseOptions.measure` returned after this epoch (kept in the checkpoint with the report). */
  measured?: ConcentrationRow[];
}

export interface PhaseOptions {
  /** Seeds the example order and the augmentation. */
  seed: number;
  augment: boolean;
  /** Held fixed: after every step the masked entries of every kernel variable are set back to exactly 0. */
  masks?: Masks;
  onEpoch?: (report: EpochReport) => void;
  /** Called after every trained epoch, before its checkpoint; the result goes into the epoch's report. */
  measure?: (epoch: number) => Promise<ConcentrationRow[]>;
  /** Checked after every step (after yielding to the event loop); true stops the phase (Ctrl-C). */
  shouldStop?: () => boolean;
  /**
   * Saved after every epoch; when one exists at the start, the phase continues from it (weights, batch-norm
   * statistics, optimizer slots, step) and its earlier epochs' reports are passed to `onEpoch` again.
   */
  checkpoints?: PhaseCheckpoints;
  /** Where the phase continues from a checkpoint, or why an existing one was not used. */
  log?: (line: string) => void;
}

export interface PhaseResult {
  epochs: EpochReport[];
  interrupted: boolean;
}

/**
 * Minimises mean softmax cross-entropy + the model's penalties over `phase.epochs` epochs of minibatches
 * (a new seeded order each epoch, augmented batches assembled in JS), with the phase's optimizer and
 * schedule over all its steps. Batch norm runs in training mode (its moving statistics update). The
 * optimizer is disposed at the end, so the tensor count is the same before and after.
 */
export async function trainPhase(model: tf.LayersModel, images: PruningImages, phase: PhaseConfig, opts: PhaseOptions): Promise<PhaseResult> {
  const { train } = images;
  const batches = Math.ceil(train.n / phase.batchSize);
  const total = phase.epochs * batches;
  const optimizer = createOptimizer(optimizerSpec(phase));
  const schedule = makeSchedule(phase.learningRate, { kind: phase.schedule });
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const rng = createRng(opts.seed);
  const reports: EpochReport[] = [];
  let step = 0;
  let first = 1;
  try {
    const resumed = await opts.checkpoints?.restore(model, optimizer, opts.log);
    if (resumed) {
      ({ step } = resumed);
      rng.restore(resumed.rng);
      first = resumed.epoch + 1;
      opts.log?.(`${opts.checkpoints!.phase}: continuing from the checkpoint after epoch ${resumed.epoch} of ${phase.epochs}`);
      for (const r of resumed.reports) {
        reports.push(r);
        opts.onEpoch?.(r);
      }
    }
    for (let epoch = first; epoch <= phase.epochs; epoch++) {
      const order = permutation(train.n, rng);
      const t0 = performance.now();
      let rate = phase.learningRate;
      const losses: tf.Scalar[] = [];
      for (let b = 0; b < batches; b++) {
        rate = schedule(step, total);
        optimizer.setLearningRate(rate);
        const idx = order.subarray(b * phase.batchSize, Math.min(train.n, (b + 1) * phase.batchSize));
        const pixels = assembleBatch(images, train, idx, opts.augment ? rng : undefined);
        const labels = Int32Array.from(idx, (i) => train.labels[i]);
        const loss = tf.tidy(() => {
          const x = tf.tensor4d(pixels, [idx.length, images.size, images.size, images.channels]);
          const y = tf.oneHot(tf.tensor1d(labels, 'int32'), images.classes);
          return optimizer.minimize(
            () => tf.add(tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor), penalty(model)) as tf.Scalar,
            true,
            vars,
          ) as tf.Scalar;
        });
        losses.push(loss);
        opts.masks?.apply();
        step++;
        await yieldToEventLoop();
        if (opts.shouldStop?.()) {
          tf.dispose(losses);
          return { epochs: reports, interrupted: true };
        }
      }
      const meanT = tf.tidy(() => tf.mean(tf.stack(losses)));
      const mean = (await meanT.data())[0];
      meanT.dispose();
      tf.dispose(losses);
      const seconds = (performance.now() - t0) / 1000;
      const measured = await opts.measure?.(epoch);
      const report: EpochReport = { epoch, loss: mean, learningRate: rate, seconds, numTensors: tf.memory().numTensors, ...(measured && { measured }) };
      reports.push(report);
      await opts.checkpoints?.save(model, optimizer, { epoch, step, rng: rng.state(), reports });
      opts.onEpoch?.(report);
    }
  } finally {
    optimizer.dispose();
  }
  return { epochs: reports, interrupted: false };
}

/** Copies of every weight of the model (trainable and batch-norm statistics), for `restoreWeights`. */
export function snapshotWeights(model: tf.LayersModel): tf.Tensor[] {
  return model.weights.map((w) => tf.clone(w.read()));
}

export function restoreWeights(model: tf.LayersModel, snapshot: readonly tf.Tensor[]): void {
  model.weights.forEach((w, i) => w.write(snapshot[i]));
}
