import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../numeric/prng';
import { createOptimizer, EarlyStopping } from '../../optim';
import { GroupRedundantParameter } from '../../spred/group_parameter';
import { deriveSeed } from '../../spred/init';
import { results, type FitContext, type FitOutcome, type OutputContext, type TaskImplementation } from '../task';
import type { GeneSelectionConfig } from './config';
import type { GeneData, GeneInputs } from './data';
import { prepareSplit, stratifiedSplit, type PreparedSplit } from './split';
import { chooseOnDev, geneRows, selectedRows, summaryRows, type AccuracyRow, type GeneHit, type SummaryRow } from './summarise';
import type { GeneFit } from './task';

/**
 * Gene selection (paper §4.2; issue 11), first slice. Per fit:
 * - `majority`: predicts the most frequent class of the training part (the reference row);
 * - `spred-linear`: f_l of Eq. 7 alone — logits (U⊙x)·W, no bias, U ∈ ℝ^d drawn i.i.d. N(0, 1) (as the
 *   authors did), W ∈ ℝ^{d×C} uniform in ±1/√d (PyTorch's nn.Linear default), loss = mean softmax
 *   cross-entropy on the training part + κ(‖U‖² + ‖W‖²), which by Theorem 3 is a group-L1 penalty
 *   2κ Σ_i ‖V_i,:‖₂ on the rows of V = diag(U)·W: gene i is in the model iff row i is non-zero.
 *   Plain SGD (the paper's optimizer), full batch unless `batchSize`; after every epoch dev accuracy
 *   feeds EarlyStopping (patience); the result is read at the best dev epoch — the latest of the epochs
 *   with the highest dev accuracy, so that a plateau at the top lets the penalty keep sparsifying.
 *   Every (κ, lr) of a split starts from the same U and W.
 * Outputs: accuracy.csv (one row per fit), selected.csv (per split the dev-chosen fit), summary.csv
 * (mean ± s.e. over splits), genes.csv (the chosen fits' genes by selection frequency).
 */
export interface GeneResult {
  row: AccuracyRow;
  /** The fit's `fitGenes` largest effective weights at or above the threshold. */
  genes: GeneHit[];
}

interface Tensors {
  key: string;
  prepared: PreparedSplit;
  xTrain: tf.Tensor2D;
  yTrain: tf.Tensor2D;
  xDev: tf.Tensor2D;
  yDev: tf.Tensor2D;
  xTest: tf.Tensor2D;
  labelsDev: Int32Array;
  labelsTest: Int32Array;
  labelsTrain: Int32Array;
}

interface Shared {
  config: GeneSelectionConfig;
  inputs: GeneInputs;
  /** The last split prepared in this process (fits of a split come in a row). */
  cache: Tensors | null;
}

function splitSeed(config: GeneSelectionConfig, fit: GeneFit): number {
  return deriveSeed(config.seed, fit.dataset * 100_003 + fit.split);
}

function disposeTensors(t: Tensors | null): void {
  if (t) tf.dispose([t.xTrain, t.yTrain, t.xDev, t.yDev, t.xTest]);
}

function tensorsFor(shared: Shared, fit: GeneFit): Tensors {
  const key = `${fit.dataset}/${fit.split}`;
  if (shared.cache?.key === key) return shared.cache;
  disposeTensors(shared.cache);
  shared.cache = null;
  const data = shared.inputs.datasets[fit.dataset];
  const c = shared.config;
  const split = stratifiedSplit(data.labels, c.trainFraction, c.devFraction, splitSeed(c, fit));
  const prepared = prepareSplit(data.values, data.d, split);
  const C = data.classes.length;
  const pick = (rows: Int32Array) => Int32Array.from(rows, (r) => data.labels[r]);
  const labelsTrain = pick(split.train);
  const labelsDev = pick(split.dev);
  const t: Tensors = {
    key,
    prepared,
    xTrain: tf.tensor2d(prepared.train, [split.train.length, data.d]),
    yTrain: tf.tidy(() => tf.oneHot(tf.tensor1d(labelsTrain, 'int32'), C).toFloat() as tf.Tensor2D),
    xDev: tf.tensor2d(prepared.dev, [split.dev.length, data.d]),
    yDev: tf.tidy(() => tf.oneHot(tf.tensor1d(labelsDev, 'int32'), C).toFloat() as tf.Tensor2D),
    xTest: tf.tensor2d(prepared.test, [split.test.length, data.d]),
    labelsTrain,
    labelsDev,
    labelsTest: pick(split.test),
  };
  shared.cache = t;
  return t;
}

function accuracy(pred: ArrayLike<number>, labels: Int32Array): number {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) ok++;
  return labels.length > 0 ? ok / labels.length : NaN;
}

/** The training part's most frequent class (the lowest index among ties). */
function majorityClass(labels: Int32Array, classes: number): number {
  const counts = new Array<number>(classes).fill(0);
  for (const l of labels) counts[l]++;
  return counts.indexOf(Math.max(...counts));
}

function baseRow(fit: GeneFit, data: GeneData, t: Tensors) {
  const maj = majorityClass(t.labelsTrain, data.classes.length);
  return {
    dataset: data.name,
    label_mode: 'default',
    method: fit.model,
    split: fit.split,
    kappa: fit.kappa,
    lr: fit.lr,
    majority_rate: accuracy(new Int32Array(t.labelsTest.length).fill(maj), t.labelsTest),
    majority: maj,
  };
}

function topGenes(v: Float32Array, data: GeneData, threshold: number, k: number): { count: number; genes: GeneHit[] } {
  const idx: number[] = [];
  for (let i = 0; i < v.length; i++) if (v[i] >= threshold) idx.push(i);
  idx.sort((a, b) => v[b] - v[a]);
  return { count: idx.length, genes: idx.slice(0, k).map((i) => ({ probe: data.probes[i], symbol: data.symbols[i], weight: v[i] })) };
}

async function trainSpredLinear(fit: GeneFit, shared: Shared, ctx: FitContext): Promise<GeneResult> {
  const { config } = shared;
  const data = shared.inputs.datasets[fit.dataset];
  const t = tensorsFor(shared, fit);
  const base = baseRow(fit, data, t);
  const d = data.d;
  const C = data.classes.length;
  const seed = splitSeed(config, fit);
  const started = Date.now();
  const tensorsBefore = tf.memory().numTensors;
  // V = diag(U)·W, one redundant scalar per gene (row): (U⊙x)·W = x·V, penalty κ(‖U‖² + ‖W‖²).
  const initial = { u: tf.randomNormal([d], 0, 1, 'float32', deriveSeed(seed, 1)), w: tf.randomUniform([d, C], -1 / Math.sqrt(d), 1 / Math.sqrt(d), 'float32', deriveSeed(seed, 2)) };
  const V = new GroupRedundantParameter({ shape: [d, C], groupAxis: 0, kappa: fit.kappa!, initial });
  tf.dispose([initial.u, initial.w]);
  const opt = createOptimizer({ kind: config.optimizer, learningRate: fit.lr! });
  const stopper = new EarlyStopping({ patience: config.patience });
  const nTrain = t.labelsTrain.length;
  const batch = Math.min(config.batchSize ?? nTrain, nTrain);
  const rng = createRng(deriveSeed(seed, 3));
  let best = { epoch: 0, dev: -1, devLoss: NaN, test: NaN, v: new Float32Array(d) };
  let epochs = 0;
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const order = batch < nTrain ? rng.sample(nTrain, nTrain) : null;
      for (let start = 0; start < nTrain; start += batch) {
        tf.tidy(() => {
          let xb = t.xTrain;
          let yb = t.yTrain;
          if (order) {
            const rows = tf.tensor1d(order.subarray(start, Math.min(start + batch, nTrain)), 'int32');
            xb = tf.gather(t.xTrain, rows);
            yb = tf.gather(t.yTrain, rows);
          }
          opt.minimize(() => V.objective((v) => tf.losses.softmaxCrossEntropy(yb, tf.matMul(xb, v as tf.Tensor2D)) as tf.Scalar), false, V.variables);
        });
      }
      epochs = epoch;
      // Evaluated as exported: genes whose effective weight is below the threshold are set to exactly 0,
      // so the accuracy is that of the model using just the n_selected genes.
      const [devPred, devLoss, testPred, veff] = tf.tidy(() => {
        const exported = V.export(config.threshold) as tf.Tensor2D; // rows with ‖V_i‖ = |U_i|·‖W_i‖ < threshold zeroed
        const ld = tf.matMul(t.xDev, exported);
        return [tf.argMax(ld, 1), tf.losses.softmaxCrossEntropy(t.yDev, ld), tf.argMax(tf.matMul(t.xTest, exported), 1), V.groupNorms()];
      });
      const devAcc = accuracy(devPred.dataSync(), t.labelsDev);
      const devL = devLoss.dataSync()[0];
      const testAcc = accuracy(testPred.dataSync(), t.labelsTest);
      // Ties go to the later epoch (the penalty has had longer to zero genes); test accuracy is only recorded.
      if (devAcc >= best.dev) best = { epoch, dev: devAcc, devLoss: devL, test: testAcc, v: Float32Array.from(veff.dataSync() as Float32Array) };
      tf.dispose([devPred, devLoss, testPred, veff]);
      ctx.detail(`epoch ${epoch}: dev acc ${devAcc.toFixed(3)}, dev loss ${devL.toPrecision(3)}`);
      const stop = stopper.update(devAcc, epoch);
      await ctx.checkpoint();
      if (stop || !Number.isFinite(devL)) break;
    }
  } finally {
    V.dispose();
    opt.dispose();
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (leaked !== 0) ctx.log(`warning: ${leaked} tensors more after the fit than before it`);
  }
  const sel = topGenes(best.v, data, config.threshold, config.fitGenes);
  const { majority: _m, ...rest } = base;
  return {
    row: {
      ...rest,
      dev_acc: best.dev,
      dev_loss: best.devLoss,
      test_acc: best.test,
      n_selected: sel.count,
      genes: d,
      epochs,
      best_epoch: best.epoch,
      seconds: (Date.now() - started) / 1000,
    },
    genes: sel.genes,
  };
}

async function runFit(fit: GeneFit, shared: Shared, ctx: FitContext): Promise<GeneResult> {
  if (fit.model === 'spred-linear') return trainSpredLinear(fit, shared, ctx);
  const started = Date.now();
  const data = shared.inputs.datasets[fit.dataset];
  const t = tensorsFor(shared, fit);
  const { majority, ...rest } = baseRow(fit, data, t);
  await ctx.checkpoint();
  return {
    row: {
      ...rest,
      dev_acc: accuracy(new Int32Array(t.labelsDev.length).fill(majority), t.labelsDev),
      dev_loss: null,
      test_acc: rest.majority_rate,
      n_selected: 0,
      genes: data.d,
      epochs: 0,
      best_epoch: 0,
      seconds: (Date.now() - started) / 1000,
    },
    genes: [],
  };
}

function fmt(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '-';
}

function describe(summary: readonly SummaryRow[], fits: number, seconds: number): string {
  const lines = summary.map(
    (s) =>
      `${s.dataset} ${s.method}: test accuracy ${fmt(s.test_acc_mean)} ± ${fmt(s.test_acc_se)} over ${s.splits} split${s.splits === 1 ? '' : 's'} ` +
      `(dev ${fmt(s.dev_acc_mean)}; majority rate ${fmt(s.majority_rate)}), ${fmt(s.n_selected_mean, 1)} of ${s.genes} genes selected on average`,
  );
  lines.push(`${fits} fits, ${fmt(seconds / Math.max(1, fits), 2)} s per fit on average`);
  return lines.join('\n');
}

async function write(config: GeneSelectionConfig, outcomes: readonly FitOutcome<GeneFit, GeneResult>[], out: OutputContext): Promise<void> {
  const done = results(outcomes).map((r) => r.result);
  const rows = done.map((r) => r.row);
  out.writeCsv('accuracy.csv', rows);
  const selected = selectedRows(rows);
  out.writeCsv('selected.csv', selected);
  const genesOf = new Map(rows.map((r) => [r.dataset, r.genes]));
  const summary = summaryRows(selected, (ds) => genesOf.get(ds) ?? NaN);
  out.writeCsv('summary.csv', summary);
  const chosen = chooseOnDev(rows);
  const genes = config.datasets.flatMap((ds) =>
    config.models
      .filter((m) => m !== 'majority')
      .flatMap((m) => {
        const hits = chosen.filter((i) => rows[i].dataset === ds.name && rows[i].method === m).map((i) => done[i].genes);
        return hits.length > 0 ? geneRows(ds.name, m, hits, config.topGenes) : [];
      }),
  );
  out.writeCsv('genes.csv', genes);
  out.log(describe(summary, rows.length, rows.reduce((a, r) => a + r.seconds, 0)));
}

export const geneSelectionImplementation: TaskImplementation<GeneSelectionConfig, GeneFit, GeneResult, Shared, GeneInputs> = {
  setup: (config, inputs) => ({ config, inputs, cache: null }),
  teardown: (s) => {
    disposeTensors(s.cache);
    s.cache = null;
  },
  runFit,
  write,
};
