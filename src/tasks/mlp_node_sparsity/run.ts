import * as tf from '@tensorflow/tfjs';
import type { TaskContext } from '../task_context';
import type { MlpNodeSparsityConfig } from './config';
import { disposeMlpData, loadMlpData } from './data';
import { Mlp } from './model';
import { networkMetrics, neuronNormRows } from './network_rows';
import { nodeSparsityPlot, normDistributionPlot, normHistogram, weightVsNodePlot } from './plots';
import type { EpochRow, NeuronNormRow, NodeSparsityRow, SummaryRow } from './rows';
import { compareVariants, summarise } from './summarise';
import { train } from './train';

/**
 * Node sparsity of a one-hidden-layer network under weight decay, and its explicit spred form (paper
 * §5.1, Figure 4; issue 5): trains every activation × variant × κ from the same initial hidden layer
 * and the same example order, then writes
 * - `node_sparsity.csv` — per network: node sparsity (outgoing and incoming), weight sparsity, near-zero
 *   mass, test accuracy, dead units and how far their outgoing weights are from 0;
 * - `neuron_norms.csv` — per hidden unit (Fig. 4 left);
 * - `epochs.csv` — per epoch: accuracy, node sparsity, dead units, learning rate, tensor count;
 * - `summary.csv` — per sweep: Spearman ρ(node sparsity, κ), R² of weight vs node sparsity;
 * - `comparison.csv` — spred against weight decay at each κ;
 * - `norm_distribution.svg`, `node_sparsity.svg`, `weight_vs_node.svg` — the three panels of Fig. 4.
 */
export async function runMlpNodeSparsity(config: MlpNodeSparsityConfig, ctx: TaskContext): Promise<void> {
  const tensorsBefore = tf.memory().numTensors;
  const data = loadMlpData(config.data);
  const shape = { inputs: data.inputs, hidden: config.model.hidden, classes: data.classes };
  const t = config.training;
  const runs = config.model.activations.flatMap((activation) =>
    config.variants.flatMap((variant) => config.kappas.map((kappa) => ({ activation, variant, kappa }))),
  );
  ctx.log(
    `${config.data.dataset} from ${data.dir}: ${data.trainCount} training / ${data.testCount} test images; ` +
      `${shape.inputs}→${shape.hidden}→${shape.classes}; ${runs.length} networks × ${t.epochs} epochs ` +
      `(${t.optimizer}${t.optimizer === 'sgd' ? ` momentum ${t.momentum}` : ''}, lr ${t.learningRate} ${t.schedule}, batch ${t.batchSize})`,
  );

  const results: NodeSparsityRow[] = [];
  const norms: NeuronNormRow[] = [];
  const epochs: EpochRow[] = [];
  ctx.progress.start(runs.length * t.epochs, 'mlp');
  try {
    for (const run of runs) {
      if (ctx.interrupt.interrupted) break;
      const mlp = new Mlp({ ...shape, ...run, seed: config.seed });
      try {
        const result = train(mlp, data, {
          ...t,
          seed: config.seed,
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
            ctx.progress.tick(1, { act: run.activation, variant: run.variant, kappa: run.kappa, acc: r.evaluation.testAcc.toFixed(3) });
            return ctx.interrupt.interrupted;
          },
        });
        if (result.interrupted) break;
        const m = networkMetrics(result.final, shape, config.threshold, config.nearZeroNorm);
        const finalRate = epochs[epochs.length - 1]?.learning_rate ?? t.learningRate;
        results.push({
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
          final_learning_rate: finalRate,
          dead_fraction: m.deadUnits / shape.hidden,
          dead_outgoing_median: m.deadOutgoingMedian,
          dead_outgoing_max: m.deadOutgoingMax,
          seconds: result.seconds,
          examples_per_second: result.examplesPerSecond,
        });
        norms.push(...neuronNormRows(run, m, result.final.dead, config.threshold));
      } finally {
        mlp.dispose();
      }
    }
  } finally {
    ctx.progress.stop();
    disposeMlpData(data);
  }
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (leaked !== 0) ctx.log(`warning: ${leaked} tensors more after the run than before it`);

  const summary = summarise(results, config.accuracyFloor);
  ctx.writeCsv('node_sparsity.csv', results);
  ctx.writeCsv('neuron_norms.csv', norms);
  ctx.writeCsv('epochs.csv', epochs);
  ctx.writeCsv('summary.csv', summary);
  ctx.writeCsv('comparison.csv', compareVariants(results));
  if (results.length > 0) {
    const hist = normHistogram(norms, config.normBins, config.normRange[0], config.normRange[1]);
    ctx.writeSvg('norm_distribution.svg', await normDistributionPlot(hist, results[0].activation, config.normRange[0]));
    ctx.writeSvg('node_sparsity.svg', await nodeSparsityPlot(results, config.threshold));
    ctx.writeSvg('weight_vs_node.svg', await weightVsNodePlot(results, config.threshold));
  }
  ctx.log(describe(results, summary));
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
