import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../../spred/init';
import { results, type FitContext, type FitOutcome, type OutputContext, type TaskImplementation } from '../task';
import { fitHsicSvm, fitL1Logistic, fitMajority } from './baseline_fits';
import { gridOf, type GeneSelectionConfig } from './config';
import type { GeneInputs } from './data';
import { baseRow, exactZeros, topGenes, type GeneResult } from './evaluate';
import { MlpNet, SpredEnsembleNet, SpredLinearNet } from './nets';
import { accuracyVsGenesPlot, table1Markdown } from './report';
import { disposeSplit, splitSeed, splitTensors, type Shared } from './split_tensors';
import { chooseOnDev, geneRows, selectedRows, summaryRows, type SummaryRow } from './summarise';
import type { GeneFit } from './task';
import { trainNet, type GeneNet } from './train_net';

/**
 * Gene selection (paper §4.2, Eq. 7, Table 1; issue 11). One fit = (data set, split, model, grid
 * point). The SGD models (spred-linear, spred-ensemble, mlp-wd, mlp-l1; `nets.ts`) train with early
 * stopping on dev accuracy (`train_net.ts`); l1-logistic, hsic-svm and majority are in
 * `baseline_fits.ts`. Outputs: accuracy.csv (one row per fit and head), selected.csv (per split the
 * dev-chosen fit), summary.csv (mean ± s.e. over splits), table1.md (Table 1's layout), genes.csv
 * (the chosen fits' genes by selection frequency), accuracy_vs_genes.svg.
 */
export type { GeneResult } from './evaluate';

/** The network of an SGD fit, initialised from the split's seed (the same start for every κ and lr). */
export function buildNet(fit: GeneFit, config: GeneSelectionConfig, d: number, C: number): GeneNet {
  const seed = splitSeed(config, fit);
  const kappa = fit.kappa!;
  switch (fit.model) {
    case 'spred-linear':
      return new SpredLinearNet(d, C, kappa, seed);
    case 'spred-ensemble':
      return new SpredEnsembleNet(d, C, config.ensembleHidden, kappa, config.tailDecay, seed);
    case 'mlp-wd':
      return new MlpNet(d, C, config.mlpHidden, 'wd', kappa, config.tailDecay, seed);
    case 'mlp-l1':
      return new MlpNet(d, C, config.mlpHidden, 'l1', kappa, config.tailDecay, seed);
    default:
      throw new Error(`${fit.model} is not an SGD model`);
  }
}

async function fitNet(fit: GeneFit, shared: Shared, ctx: FitContext): Promise<GeneResult> {
  const { config } = shared;
  const t = splitTensors(shared, fit);
  const { data } = t;
  const started = Date.now();
  const tensorsBefore = tf.memory().numTensors;
  const net = buildNet(fit, config, data.d, data.classes.length);
  let r;
  try {
    r = await trainNet(net, t, config, fit.lr!, deriveSeed(splitSeed(config, fit), 3), ctx, gridOf(config, fit.model));
  } finally {
    net.dispose();
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (leaked !== 0) ctx.log(`warning: ${leaked} tensors more after the fit than before it`);
  }
  const sel = topGenes(r.weights, data, config.threshold, config.fitGenes);
  const base = baseRow(fit, data, t);
  const seconds = (Date.now() - started) / 1000;
  return {
    rows: r.heads.map((h) => ({
      ...base,
      head: h.head,
      dev_acc: h.devAcc,
      dev_loss: h.devLoss,
      test_acc: h.testAcc,
      n_selected: sel.count,
      exact_zero_genes: exactZeros(r.weights),
      objective: r.objective,
      epochs: r.epochs,
      best_epoch: r.bestEpoch,
      seconds,
    })),
    genes: sel.genes,
  };
}

async function runFit(fit: GeneFit, shared: Shared, ctx: FitContext): Promise<GeneResult> {
  switch (fit.model) {
    case 'majority':
      return fitMajority(fit, shared, ctx);
    case 'l1-logistic':
      return fitL1Logistic(fit, shared, ctx);
    case 'hsic-svm':
      return fitHsicSvm(fit, shared, ctx);
    default:
      return fitNet(fit, shared, ctx);
  }
}

function fmt(x: number | null, digits = 3): string {
  return x !== null && Number.isFinite(x) ? x.toFixed(digits) : '-';
}

function describe(summary: readonly SummaryRow[], fits: number, seconds: number): string {
  const lines = summary.map(
    (s) =>
      `${s.dataset} ${s.method}${s.head !== s.method && s.head !== 'majority' ? ` (${s.head})` : ''}: test accuracy ${fmt(s.test_acc_mean)} ± ${fmt(s.test_acc_se)} over ${s.splits} split${s.splits === 1 ? '' : 's'} ` +
      `(dev ${fmt(s.dev_acc_mean)}; majority rate ${fmt(s.majority_rate)}${s.bound !== null ? `; one-answer-per-input bound ${fmt(s.bound)}` : ''}), ${fmt(s.n_selected_mean, 1)} of ${s.genes} genes selected on average`,
  );
  lines.push(`${fits} fits, ${fmt(seconds / Math.max(1, fits), 2)} s per fit on average (${fmt((60 * fits) / Math.max(1e-9, seconds), 1)} fits per minute of fit time)`);
  return lines.join('\n');
}

async function write(config: GeneSelectionConfig, outcomes: readonly FitOutcome<GeneFit, GeneResult>[], out: OutputContext): Promise<void> {
  const done = results(outcomes).map((r) => r.result);
  const rows = done.flatMap((r) => r.rows);
  // Which fit each row came from (an ensemble fit gives three rows, one per head).
  const fitOf = done.flatMap((r, i) => r.rows.map(() => i));
  out.writeCsv('accuracy.csv', rows);
  const selected = selectedRows(rows);
  out.writeCsv('selected.csv', selected);
  const genesOf = new Map(rows.map((r) => [r.dataset, r.genes]));
  const summary = summaryRows(selected, (ds) => genesOf.get(ds) ?? NaN);
  out.writeCsv('summary.csv', summary);
  out.writeText('table1.md', table1Markdown(summary, config));
  const chosen = chooseOnDev(rows);
  const genes = config.datasets.flatMap((ds) =>
    config.models
      .filter((m) => m !== 'majority')
      .flatMap((m) => {
        // One gene list per fit: an ensemble's heads share their mask, so take the table head's choice.
        const hits = chosen.filter((i) => rows[i].dataset === ds.name && rows[i].method === m && summary.some((s) => s.in_table && s.method === m && s.head === rows[i].head)).map((i) => done[fitOf[i]].genes);
        return hits.length > 0 ? geneRows(ds.name, m, hits, config.topGenes) : [];
      }),
  );
  out.writeCsv('genes.csv', genes);
  if (rows.some((r) => r.n_selected > 0)) out.writeSvg('accuracy_vs_genes.svg', await accuracyVsGenesPlot(rows));
  const fitSeconds = done.reduce((a, r) => a + r.rows[0].seconds, 0);
  out.log(describe(summary, done.length, fitSeconds));
}

export const geneSelectionImplementation: TaskImplementation<GeneSelectionConfig, GeneFit, GeneResult, Shared, GeneInputs> = {
  setup: (config, inputs) => ({ config, inputs, cache: null }),
  teardown: (s) => {
    disposeSplit(s.cache);
    s.cache = null;
  },
  runFit,
  write,
};
