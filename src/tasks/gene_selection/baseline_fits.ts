import { hsicLasso, type FeatureColumns } from '../../baselines/hsic_lasso';
import { groupLogisticObjective, l1Logistic } from '../../baselines/l1_logistic';
import { Svc } from '../../baselines/svc';
import type { FitContext } from '../task';
import { accuracy, baseRow, exactZeros, majorityClass, topGenes, type GeneResult } from './evaluate';
import { splitSeed, splitTensors, type Shared } from './split_tensors';
import type { GeneFit } from './task';

/** The fits that are not trained by SGD: l1-logistic (FISTA), hsic-svm (HSIC Lasso + SVC) and majority. */

function predictLinear(x: Float32Array, n: number, d: number, v: Float64Array, C: number, keep: Float64Array, threshold: number): Int32Array {
  const pred = new Int32Array(n);
  const z = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    z.fill(0);
    for (let j = 0; j < d; j++) {
      if (!(keep[j] >= threshold)) continue;
      const xij = x[i * d + j];
      for (let c = 0; c < C; c++) z[c] += xij * v[j * C + c];
    }
    let b = 0;
    for (let c = 1; c < C; c++) if (z[c] > z[b]) b = c;
    pred[i] = b;
  }
  return pred;
}

/** l1-logistic at one κ: the convex problem spred-linear solves (Theorem 1), solved to `l1Logistic.tol` by FISTA. */
export async function fitL1Logistic(fit: GeneFit, shared: Shared, ctx: FitContext): Promise<GeneResult> {
  const { config } = shared;
  const t = splitTensors(shared, fit);
  const { data } = t;
  const started = Date.now();
  await ctx.checkpoint();
  const C = data.classes.length;
  const train = { x: t.prepared.train, n: t.labelsTrain.length, d: data.d, labels: t.labelsTrain, classes: C };
  const r = l1Logistic(train, fit.kappa!, { tol: config.l1Logistic.tol, maxIter: config.l1Logistic.maxIter });
  if (!r.converged) ctx.log(`warning: FISTA stopped at maxIter ${config.l1Logistic.maxIter} with gradient-mapping norm ${r.optimality.toPrecision(3)} > tol ${config.l1Logistic.tol}`);
  await ctx.checkpoint();
  const predDev = predictLinear(t.prepared.dev, t.labelsDev.length, data.d, r.coef, C, r.norms, config.threshold);
  const predTest = predictLinear(t.prepared.test, t.labelsTest.length, data.d, r.coef, C, r.norms, config.threshold);
  const dev = { x: t.prepared.dev, n: t.labelsDev.length, d: data.d, labels: t.labelsDev, classes: C };
  const sel = topGenes(r.norms, data, config.threshold, config.fitGenes);
  return {
    rows: [
      {
        ...baseRow(fit, data, t),
        head: 'linear',
        dev_acc: accuracy(predDev, t.labelsDev),
        // The dev cross-entropy of V (tie-break of the κ choice), as for the SGD models.
        dev_loss: groupLogisticObjective(dev, r.coef, 0),
        test_acc: accuracy(predTest, t.labelsTest),
        n_selected: sel.count,
        exact_zero_genes: exactZeros(r.norms),
        objective: r.objective,
        epochs: r.nIter,
        best_epoch: r.nIter,
        seconds: (Date.now() - started) / 1000,
      },
    ],
    genes: sel.genes,
  };
}

/** Columns of a sample-major float32 matrix (no copy). */
function float32Columns(x: Float32Array, n: number, d: number): FeatureColumns {
  return {
    n,
    d,
    column(j, out) {
      for (let i = 0; i < n; i++) out[i] = x[i * d + j];
      return out;
    },
  };
}

function rowsOf(x: Float32Array, n: number, d: number, genes: readonly number[]): Float64Array[] {
  return Array.from({ length: n }, (_, i) => Float64Array.from(genes, (j) => x[i * d + j]));
}

/**
 * hsic-svm, the authors' nonlinear baseline: HSIC Lasso (block form, pyHSICLasso's defaults B = 20,
 * M = 3, Gaussian feature kernel, class delta kernel) on the training part to its top `hsic.k` genes,
 * then scikit-learn's SVC() on those genes (RBF, C = 1, gamma 'scale'). No grid: nothing to choose on dev.
 */
export async function fitHsicSvm(fit: GeneFit, shared: Shared, ctx: FitContext): Promise<GeneResult> {
  const { config } = shared;
  const t = splitTensors(shared, fit);
  const { data } = t;
  const started = Date.now();
  await ctx.checkpoint();
  const nTrain = t.labelsTrain.length;
  // A training part smaller than one block (GDS507: 9 samples) is one block: the vanilla HSIC Lasso (B = 0).
  const blockSize = config.hsic.blockSize > nTrain ? 0 : config.hsic.blockSize;
  const h = hsicLasso(float32Columns(t.prepared.train, nTrain, data.d), t.labelsTrain, Math.min(config.hsic.k, data.d), {
    blockSize,
    permutations: config.hsic.permutations,
    seed: splitSeed(config, fit),
    memoryBudgetBytes: config.hsic.memoryBudgetBytes,
  });
  await ctx.checkpoint();
  const svc = new Svc();
  let devPred: Int32Array;
  let testPred: Int32Array;
  try {
    svc.fit(rowsOf(t.prepared.train, nTrain, data.d, h.selected), t.labelsTrain);
    devPred = svc.predict(rowsOf(t.prepared.dev, t.labelsDev.length, data.d, h.selected));
    testPred = svc.predict(rowsOf(t.prepared.test, t.labelsTest.length, data.d, h.selected));
  } finally {
    svc.free();
  }
  const weights = new Float64Array(data.d);
  h.selected.forEach((j, r) => (weights[j] = h.scores[r]));
  const sel = topGenes(weights, data, Number.MIN_VALUE, config.fitGenes);
  return {
    rows: [
      {
        ...baseRow(fit, data, t),
        head: 'svm',
        dev_acc: accuracy(devPred, t.labelsDev),
        dev_loss: null,
        test_acc: accuracy(testPred, t.labelsTest),
        n_selected: h.selected.length,
        exact_zero_genes: data.d - h.selected.length,
        objective: null,
        epochs: h.passes,
        best_epoch: h.passes,
        seconds: (Date.now() - started) / 1000,
      },
    ],
    genes: sel.genes,
  };
}

export async function fitMajority(fit: GeneFit, shared: Shared, ctx: FitContext): Promise<GeneResult> {
  const started = Date.now();
  const t = splitTensors(shared, fit);
  const base = baseRow(fit, t.data, t);
  const maj = majorityClass(t.labelsTrain, t.data.classes.length);
  await ctx.checkpoint();
  return {
    rows: [
      {
        ...base,
        head: 'majority',
        dev_acc: accuracy(new Int32Array(t.labelsDev.length).fill(maj), t.labelsDev),
        dev_loss: null,
        test_acc: base.majority_rate,
        n_selected: 0,
        exact_zero_genes: t.data.d,
        objective: null,
        epochs: 0,
        best_epoch: 0,
        seconds: (Date.now() - started) / 1000,
      },
    ],
    genes: [],
  };
}
