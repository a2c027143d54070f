import * as tf from '@tensorflow/tfjs';
import { InterruptedError } from '../../errors';
import { results, type FitContext, type FitOutcome, type OutputContext, type TaskImplementation } from '../task';
import type { MlpNodeSparsityConfig } from './config';
import { disposeMlpData, uploadMlpData, type LoadedMlpData, type MlpImages } from './data';
import { Mlp } from './model';
import { networkMetrics, neuronNormRows } from './network_rows';
import { nodeSparsityPlot, normDistributionPlot, normHistogram, weightVsNodePlot } from './plots';
import type { EpochRow, NeuronNormRow, NodeSparsityRow, SummaryRow } from './rows';
import { compareVariants, summarise } from './summarise';
import type { MlpFit } from './task';
import { train } from './train';

/**
 * Node sparsity of a one-hidden-layer network under weight decay, and its explicit spred form (paper
 * §5.1, Figure 4; issue 5), one fit per activation × variant × κ, every one from the same initial
 * hidden layer and the same example order. Outputs:
 * - `node_sparsity.csv` — per network: node sparsity (outgoing and incoming), weight sparsity, near-zero
 *   mass, test accuracy, dead units and how far their outgoing weights are from 0;
 * - `neuron_norms.csv` — per hidden unit (Fig. 4 left);
 * - `epochs.csv` — per epoch: accuracy, node sparsity, dead units, learning rate, tensor count;
 * - `summary.csv` — per sweep: Spearman ρ(node sparsity, κ), R² of weight vs node sparsity;
 * - `comparison.csv` — spred against weight decay at each κ;
 * - `norm_distribution.svg`, `node_sparsity.svg`, `weight_vs_node.svg` — the three panels of Fig. 4.
 */
export interface MlpResult {
  row: NodeSparsityRow;
  norms: NeuronNormRow[];
  epochs: EpochRow[];
}

interface Shared {
  config: MlpNodeSparsityConfig;
  data: LoadedMlpData;
}

async function runFit(fit: MlpFit, { config, data }: Shared, ctx: FitContext): Promise<MlpResult> {
  const run = { activation: fit.activation, variant: fit.variant, kappa: fit.kappa };
  const shape = { inputs: data.inputs, hidden: config.model.hidden, classes: data.classes };
  const t = config.training;
  const tensorsBefore = tf.memory().numTensors;
  const epochs: EpochRow[] = [];
  const mlp = new Mlp({ ...shape, ...run, seed: config.seed });
  try {
    const result = await train(mlp, data, {
      ...t,
      seed: config.seed,
      shouldStop: () => ctx.interrupted(),
      onEpoch: (r) => {
        const m = networkMetrics(r.evaluation, shape, config.threshold, config.nearZeroNorm);
        epochs.push({
          ...run,
          epoch: r.epoch,
          learning_rate: r.learningRate,
          test_acc: r.evaluation.testAcc,
          node_sparsity: m.nodeSparsity,
          near_zero_mass: m.nearZeroMass,
          dead_units: m.deadUnits,
          dead_outgoing_median: m.deadOutgoingMedian,
          dead_outgoing_max: m.deadOutgoingMax,
          num_tensors: r.numTensors,
          seconds: r.seconds,
        });
        ctx.detail(`epoch ${r.epoch}: test acc ${r.evaluation.testAcc.toFixed(4)}, node sparsity ${m.nodeSparsity.toFixed(3)}, ${r.seconds.toFixed(1)} s`);
        return ctx.interrupted();
      },
    });
    if (result.interrupted || ctx.interrupted()) throw new InterruptedError();
    const m = networkMetrics(result.final, shape, config.threshold, config.nearZeroNorm);
    const row: NodeSparsityRow = {
      ...run,
      node_sparsity: m.nodeSparsity,
      incoming_node_sparsity: m.incomingNodeSparsity,
      both_sides_sparsity: m.bothSidesSparsity,
      weight_sparsity: m.weightSparsity,
      near_zero_mass: m.nearZeroMass,
      test_acc: result.final.testAcc,
      epochs: result.epochs,
      hidden: shape.hidden,
      threshold: config.threshold,
      optimizer: t.optimizer,
      schedule: t.schedule,
      learning_rate: t.learningRate,
      final_learning_rate: epochs[epochs.length - 1]?.learning_rate ?? t.learningRate,
      dead_fraction: m.deadUnits / shape.hidden,
      dead_outgoing_median: m.deadOutgoingMedian,
      dead_outgoing_max: m.deadOutgoingMax,
      seconds: result.seconds,
      examples_per_second: result.examplesPerSecond,
    };
    return { row, norms: neuronNormRows(run, m, result.final.dead, config.threshold), epochs };
  } finally {
    mlp.dispose();
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (leaked !== 0) ctx.log(`warning: ${leaked} tensors more after the fit than before it`);
  }
}

async function write(config: MlpNodeSparsityConfig, outcomes: readonly FitOutcome<MlpFit, MlpResult>[], out: OutputContext): Promise<void> {
  const done = results(outcomes).map((r) => r.result);
  const rows = done.map((r) => r.row);
  const norms = done.flatMap((r) => r.norms);
  const summary = summarise(rows, config.accuracyFloor);
  out.writeCsv('node_sparsity.csv', rows);
  out.writeCsv('neuron_norms.csv', norms);
  out.writeCsv('epochs.csv', done.flatMap((r) => r.epochs));
  out.writeCsv('summary.csv', summary);
  out.writeCsv('comparison.csv', compareVariants(rows));
  if (rows.length > 0) {
    const hist = normHistogram(norms, config.normBins, config.normRange[0], config.normRange[1]);
    out.writeSvg('norm_distribution.svg', await normDistributionPlot(hist, rows[0].activation, config.normRange[0]));
    out.writeSvg('node_sparsity.svg', await nodeSparsityPlot(rows, config.threshold));
    out.writeSvg('weight_vs_node.svg', await weightVsNodePlot(rows, config.threshold));
  }
  out.log(describe(rows, summary));
}

function fmt(x: number | null): string {
  return x === null || Number.isNaN(x) ? '-' : x.toFixed(3);
}

function describe(rows: readonly NodeSparsityRow[], summary: readonly SummaryRow[]): string {
  const lines = ['activation  variant       kappa     node   incoming  weight  near0  test_acc  dead  dead_out_median'];
  for (const r of rows) {
    lines.push(
      `${r.activation.padEnd(11)} ${r.variant.padEnd(13)} ${String(r.kappa).padEnd(9)} ${fmt(r.node_sparsity)}  ${fmt(r.incoming_node_sparsity)}     ` +
        `${fmt(r.weight_sparsity)}   ${fmt(r.near_zero_mass)}  ${fmt(r.test_acc)}     ${fmt(r.dead_fraction)} ` +
        `${r.dead_outgoing_median === null ? '-' : r.dead_outgoing_median.toExponential(1)}`,
    );
  }
  for (const s of summary) {
    lines.push(
      `${s.activation}/${s.variant}: Spearman ρ(node sparsity, κ) ${fmt(s.spearman_node_vs_kappa)}, ρ(near-zero mass, κ) ` +
        `${fmt(s.spearman_near_zero_vs_kappa)}, R²(weight ~ node) ${fmt(s.r2_weight_vs_node)}; ` +
        `best node sparsity at test acc ≥ ${s.accuracy_floor}: ${fmt(s.max_node_sparsity_at_floor)} (κ ${s.kappa_at_floor ?? '-'})`,
    );
  }
  return lines.join('\n');
}

export const mlpImplementation: TaskImplementation<MlpNodeSparsityConfig, MlpFit, MlpResult, Shared, MlpImages> = {
  setup: (config, images) => ({ config, data: uploadMlpData(images) }),
  teardown: (s) => disposeMlpData(s.data),
  runFit,
  write,
};
