import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import { InterruptedError } from '../../errors';
import { lineChart, renderSvg } from '../../report/plot';
import { deriveSeed } from '../../spred/init';
import { results, type FitContext, type FitOutcome, type OutputContext, type TaskImplementation } from '../task';
import { spredKappa, type PhaseConfig, type ResnetPruningConfig } from './config';
import type { PruningImages } from './data';
import { buildResNet } from './model';
import { authorsCount, globalThreshold, kernelMagnitudes, magnitudeKeep, Masks, nonzeroPruned, randomKeep, thresholdKeep } from './prune';
import { loadWeightsInto, saveModel, savedModelDir, savedModelFile } from './saved_models';
import type { ResnetFit } from './task';
import { checkpointDir, PhaseCheckpoints } from './checkpoint';
import { recalibrateBatchNorm, restoreWeights, snapshotWeights, testAccuracy, trainPhase } from './train';
import { largestConvLayers, weightDistribution, type ConcentrationRow, type WeightHistogramRow } from './weights';

/** One row of pruning.csv: one pruned network. */
export interface PruningRow {
  /** `spred` (global threshold on |U⊙W|), `magnitude` (plain network, global magnitude), `random` (spred network, random at spred's cr). */
  method: 'spred' | 'magnitude' | 'random';
  /** spred's κ (conventions.ts); the authors' weight decay is 2κ (`weight_decay`). */
  kappa: number;
  weight_decay: number;
  /** The |U⊙W| threshold (spred, random: the spred threshold whose cr it matches); empty for magnitude. */
  threshold: number | null;
  /** Conv and dense weights (each V once) / remaining: SynFlow's convention. */
  cr: number;
  /** Every trainable parameter tensor (both factors, biases, batch norm) / those not exactly 0: the authors' count. */
  cr_authors: number;
  remaining: number;
  total: number;
  /** Test accuracies are measured after `batchNormRecalibration` images renewed the batch-norm statistics (0: not). */
  bn_recalibration: number;
  unpruned_acc: number;
  /** With the statistics training left (= unpruned_acc when bn_recalibration is 0). */
  unpruned_acc_no_recal: number;
  test_acc_before_ft: number;
  /** Pruned, with the statistics of the unpruned network (= test_acc_before_ft when bn_recalibration is 0). */
  test_acc_before_ft_no_recal: number;
  test_acc_after_ft: number | null;
  /** Retrained from the initial weights under the same mask (spred rows). */
  lottery_acc: number | null;
  /** Pruned weights not exactly 0 after fine-tuning and lottery retraining: 0 when the masks held. */
  pruned_nonzero: number;
}

/** One row of epochs.csv. */
export interface EpochRow {
  variant: string;
  phase: string;
  epoch: number;
  loss: number;
  learning_rate: number;
  seconds: number;
  num_tensors: number;
}

export interface ResnetResult {
  rows: PruningRow[];
  epochs: EpochRow[];
  histogram: WeightHistogramRow[];
  concentration: ConcentrationRow[];
}

/** Images per forward pass when batch-norm statistics are renewed (the statistics are averaged over the passes). */
const RECALIBRATION_BATCH = 100;

interface Shared {
  config: ResnetPruningConfig;
  images: PruningImages;
}

async function runFit(fit: ResnetFit, { config, images }: Shared, ctx: FitContext): Promise<ResnetResult> {
  const kappa = spredKappa(config);
  const spred = fit.variant === 'spred';
  const tensorsBefore = tf.memory().numTensors;
  const model = buildResNet({ size: images.size, channels: images.channels, classes: images.classes, ...config.model, spred, kappa, seed: config.seed });
  const epochs: EpochRow[] = [];
  const snapshots: tf.Tensor[][] = [];
  const masks: Masks[] = [];
  const stop = () => ctx.interrupted();
  const largest = largestConvLayers(model, config.histogramLayers);
  const histogram: WeightHistogramRow[] = [];
  const concentration: ConcentrationRow[] = [];
  // Phases run in the same order on every attempt of the fit, so the n-th finds its own checkpoint on --resume.
  let phases = 0;
  const files = { read: (name: string) => ctx.readBytes(name), write: (name: string, data: Uint8Array) => void ctx.writeBytes(name, data), remove: (name: string) => ctx.removeFile(name) };
  const phase = async (name: string, p: PhaseConfig, seed: number, m?: Masks, measure?: (epoch: number) => Promise<ConcentrationRow[]>) => {
    const dir = `${checkpointDir(fit.variant)}/phase-${++phases}`;
    const r = await trainPhase(model, images, p, {
      seed,
      augment: config.data.augment,
      masks: m,
      shouldStop: stop,
      checkpoints: config.checkpoints ? new PhaseCheckpoints(files, dir, name, p.epochs) : undefined,
      log: (line) => ctx.log(line),
      measure,
      onEpoch: (e) => {
        if (e.measured) concentration.push(...e.measured);
        epochs.push({ variant: fit.variant, phase: name, epoch: e.epoch, loss: e.loss, learning_rate: e.learningRate, seconds: e.seconds, num_tensors: e.numTensors });
        ctx.detail(`${name} epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, ${e.seconds.toFixed(1)} s, ${e.numTensors} tensors`);
      },
    });
    if (r.interrupted) throw new InterruptedError();
  };
  try {
    const distribution = async (stage: 'init' | 'trained', epoch: number | null) => {
      const d = await weightDistribution(model, largest, { variant: fit.variant, stage, epoch }, config.histogramBins, config.nearZeroFraction);
      histogram.push(...d.histogram);
      concentration.push(...d.concentration);
    };
    // The near-zero share after every training epoch (its histograms are not kept).
    const duringTraining = async (epoch: number) =>
      (await weightDistribution(model, largest, { variant: fit.variant, stage: 'training', epoch }, config.histogramBins, config.nearZeroFraction)).concentration;
    if (config.from !== null) {
      await loadWeightsInto(model, savedModelFile(config.from, fit.variant, 'init')!);
      snapshots.push(snapshotWeights(model));
      await distribution('init', 0);
      await loadWeightsInto(model, savedModelFile(config.from, fit.variant, 'trained')!);
      ctx.log(`pruning the trained ${fit.variant} network of ${config.from}`);
    } else {
      snapshots.push(snapshotWeights(model));
      await distribution('init', 0);
      await saveModel(model, savedModelDir(fit.variant, 'init'), (n, d) => ctx.writeBytes(n, d));
      await phase('train', config.training, deriveSeed(config.seed, 1), undefined, duringTraining);
      await saveModel(model, savedModelDir(fit.variant, 'trained'), (n, d) => ctx.writeBytes(n, d));
    }
    const [initial] = snapshots;
    await distribution('trained', config.from === null ? config.training.epochs : null);
    const trained = snapshotWeights(model);
    snapshots.push(trained);
    const recal = config.batchNormRecalibration;
    // Test accuracy after renewing the batch-norm statistics (when configured): the protocol's number.
    const accuracy = async () => {
      if (recal > 0) recalibrateBatchNorm(model, images, recal, RECALIBRATION_BATCH);
      return testAccuracy(model, images);
    };
    // The accuracy with the statistics training left, and the protocol's (renewed when configured).
    const staleAndRenewed = async () => {
      const stale = await testAccuracy(model, images);
      return { stale, renewed: recal > 0 ? await accuracy() : stale };
    };
    const { stale: unprunedStale, renewed: unprunedAcc } = await staleAndRenewed();
    ctx.log(`test accuracy ${unprunedAcc.toFixed(4)} unpruned${recal > 0 ? ` (${unprunedStale.toFixed(4)} before renewing batch-norm statistics)` : ''}`);
    const magnitudes = await kernelMagnitudes(model);
    const total = magnitudes.reduce((a, m) => a + m.length, 0);

    const rows: PruningRow[] = [];
    const evaluate = async (method: PruningRow['method'], threshold: number | null, keep: Uint8Array[], seed: number): Promise<PruningRow> => {
      const m = Masks.fromArrays(model, keep);
      masks.push(m);
      restoreWeights(model, trained);
      m.apply();
      const { stale: beforeStale, renewed: before } = await staleAndRenewed();
      const authors = await authorsCount(model);
      let after: number | null = null;
      if (config.finetune.epochs > 0) {
        await phase(`finetune ${method} cr=${m.compressionRatio.toPrecision(4)}`, config.finetune, seed, m);
        after = await accuracy();
      }
      let prunedNonzero = await nonzeroPruned(model, keep);
      let lottery: number | null = null;
      if (method === 'spred' && config.pruning.lottery) {
        restoreWeights(model, initial);
        m.apply();
        await phase(`lottery cr=${m.compressionRatio.toPrecision(4)}`, { ...config.training, epochs: config.lotteryEpochs ?? config.training.epochs }, seed + 1, m);
        lottery = await accuracy();
        prunedNonzero += await nonzeroPruned(model, keep);
      }
      const row: PruningRow = {
        method,
        kappa,
        weight_decay: config.weightDecay,
        threshold,
        cr: m.compressionRatio,
        cr_authors: authors.total / authors.nonzero,
        remaining: m.remaining,
        total,
        bn_recalibration: recal,
        unpruned_acc: unprunedAcc,
        unpruned_acc_no_recal: unprunedStale,
        test_acc_before_ft: before,
        test_acc_before_ft_no_recal: beforeStale,
        test_acc_after_ft: after,
        lottery_acc: lottery,
        pruned_nonzero: prunedNonzero,
      };
      ctx.log(
        `${method}${threshold === null ? '' : ` threshold ${threshold}`}: cr ${row.cr.toPrecision(4)} (authors' count ${row.cr_authors.toPrecision(4)}), ` +
          `accuracy ${before.toFixed(4)} pruned → ${after?.toFixed(4) ?? '-'} fine-tuned${lottery === null ? '' : `, lottery ${lottery.toFixed(4)}`}`,
      );
      return row;
    };

    if (spred) {
      const thresholds = [...config.pruning.thresholds, ...config.pruning.spredRatios.map((cr) => globalThreshold(magnitudes, Math.max(1, Math.round(total / cr))))];
      for (const [i, t] of thresholds.entries()) {
        const keep = thresholdKeep(magnitudes, t);
        const row = await evaluate('spred', t, keep, deriveSeed(config.seed, 100 + i));
        rows.push(row);
        if (config.pruning.random && row.remaining > 0) {
          rows.push(await evaluate('random', t, randomKeep(magnitudes, row.remaining, deriveSeed(config.seed, 200 + i)), deriveSeed(config.seed, 300 + i)));
        }
      }
    } else {
      for (const [i, cr] of config.pruning.magnitudeRatios.entries()) {
        rows.push(await evaluate('magnitude', null, magnitudeKeep(magnitudes, Math.max(1, Math.round(total / cr))), deriveSeed(config.seed, 400 + i)));
      }
    }
    return { rows, epochs, histogram, concentration };
  } finally {
    for (const s of snapshots) tf.dispose(s);
    for (const m of masks) m.dispose();
    model.dispose();
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (leaked !== 0) ctx.log(`warning: ${leaked} tensors more after the fit than before it`);
  }
}

/** Accuracy against compression ratio on a log axis (Fig. 5 mid/right, Fig. 9). */
async function accuracyPlot(rows: readonly PruningRow[]): Promise<string> {
  const points = rows.flatMap((r) => [
    { method: r.method, stage: 'pruned', cr: r.cr, test_acc: r.test_acc_before_ft },
    ...(r.test_acc_after_ft === null ? [] : [{ method: r.method, stage: 'fine-tuned', cr: r.cr, test_acc: r.test_acc_after_ft }]),
    ...(r.lottery_acc === null ? [] : [{ method: 'lottery ticket', stage: 'retrained', cr: r.cr, test_acc: r.lottery_acc }]),
  ]);
  const sorted = points.filter((p) => Number.isFinite(p.cr)).sort((a, b) => a.cr - b.cr);
  return renderSvg(
    lineChart({
      data: sorted,
      x: 'cr',
      y: 'test_acc',
      color: 'method',
      strokeDash: 'stage',
      xScale: 'log',
      points: true,
      title: 'Test accuracy against compression ratio',
      xTitle: 'compression ratio (conv + dense weights / remaining)',
      yTitle: 'test accuracy',
    }),
  );
}

async function write(config: ResnetPruningConfig, outcomes: readonly FitOutcome<ResnetFit, ResnetResult>[], out: OutputContext): Promise<void> {
  const done = results(outcomes).map((r) => r.result);
  const rows = done.flatMap((r) => r.rows);
  out.writeCsv('pruning.csv', rows);
  out.writeCsv('weights.csv', done.flatMap((r) => r.histogram));
  out.writeCsv('weight_concentration.csv', done.flatMap((r) => r.concentration));
  out.writeCsv('epochs.csv', done.flatMap((r) => r.epochs));
  if (rows.length > 0) out.writeSvg('accuracy_vs_cr.svg', await accuracyPlot(rows));
  const lines = ['method     threshold  cr        cr_authors  before  after   lottery'];
  for (const r of rows) {
    lines.push(
      `${r.method.padEnd(10)} ${String(r.threshold ?? '-').padEnd(10)} ${r.cr.toPrecision(4).padEnd(9)} ${r.cr_authors.toPrecision(4).padEnd(11)} ` +
        `${r.test_acc_before_ft.toFixed(4)}  ${r.test_acc_after_ft?.toFixed(4) ?? '-     '}  ${r.lottery_acc?.toFixed(4) ?? '-'}`,
    );
  }
  for (const c of done.flatMap((r) => r.concentration)) {
    lines.push(`${c.variant} ${c.stage}${c.stage === 'training' ? ` epoch ${c.epoch}` : ''} ${c.layer}: ${(100 * c.near_zero_share).toFixed(1)} % of |V| below ${c.near_zero_fraction} of the layer's largest`);
  }
  if (config.from !== null) lines.push(`pruned the networks trained in ${path.resolve(config.from)}`);
  out.log(lines.join('\n'));
}

export const resnetImplementation: TaskImplementation<ResnetPruningConfig, ResnetFit, ResnetResult, Shared, PruningImages> = {
  setup: (config, images) => ({ config, images }),
  runFit,
  write,
};
