import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../numeric/prng';
import { createOptimizer, EarlyStopping, Lbfgs } from '../../optim';
import type { FitContext } from '../task';
import type { GeneSelectionConfig } from './config';
import type { SplitTensors } from './split_tensors';

/**
 * A network of the gene-selection task as the training loop sees it. Every model here starts with a
 * linear layer on the genes, so "gene i is in the model" means row i of that layer (for spred: of
 * diag(U)·W) is non-zero, and a model is evaluated as exported: genes whose weight is below the
 * threshold are masked out of the input, so its accuracy is that of the model on its selected genes.
 */
export interface GeneNet {
  /** Names of the prediction heads; the first drives early stopping and the best-epoch choice. */
  readonly heads: readonly string[];
  readonly variables: tf.Variable[];
  /** The training objective on a batch: data loss plus every penalty (a new scalar). */
  objective(x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar;
  /** Per head, log-probabilities [n, C] of the masked input x⊙mask (new tensors). */
  logProbs(x: tf.Tensor2D, mask: tf.Tensor1D): tf.Tensor2D[];
  /** Per gene the weight that decides selection, e.g. ‖row i of diag(U)·W‖₂ (a new tensor). */
  geneWeights(): tf.Tensor1D;
  dispose(): void;
}

export interface HeadResult {
  head: string;
  devAcc: number;
  devLoss: number;
  testAcc: number;
}

export interface NetResult {
  heads: HeadResult[];
  /** Gene weights at the reported epoch. */
  weights: Float32Array;
  /** Training objective (data loss + penalties, full training part) at the last epoch. */
  objective: number;
  epochs: number;
  bestEpoch: number;
}

function argmaxRows(m: Float32Array, n: number, C: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let c = 1; c < C; c++) if (m[i * C + c] > m[i * C + b]) b = c;
    out[i] = b;
  }
  return out;
}

// Asynchronous reads: a GPU backend (webgpu in Node) cannot read a tensor synchronously.
async function evaluateHeads(net: GeneNet, x: tf.Tensor2D, y: tf.Tensor2D, labels: Int32Array, mask: tf.Tensor1D): Promise<{ acc: number; loss: number }[]> {
  const outs = tf.tidy(() => net.logProbs(x, mask).map((lp) => [lp, tf.neg(tf.mean(tf.sum(tf.mul(y, lp), 1)))] as const));
  const C = y.shape[1];
  const res: { acc: number; loss: number }[] = [];
  for (const [lp, loss] of outs) {
    const [p, l] = await Promise.all([lp.data(), loss.data()]);
    const pred = argmaxRows(p as Float32Array, labels.length, C);
    let ok = 0;
    for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) ok++;
    res.push({ acc: labels.length > 0 ? ok / labels.length : NaN, loss: l[0] });
  }
  tf.dispose(outs.flat());
  return res;
}

async function countSelected(mask: tf.Tensor1D): Promise<number> {
  const n = tf.sum(mask);
  const v = (await n.data())[0];
  n.dispose();
  return v;
}

/**
 * Trains `net` by the configured optimizer (full batch unless `batchSize`) for at most `budget.epochs`.
 * After every epoch the net is evaluated as exported on dev; with `earlyStopping` the result is read at
 * the best epoch of the first head's dev accuracy as src/optim's EarlyStopping (`earlyStoppingTies`,
 * warm-up `budget.earlyStoppingFrom`) decides, and training stops when it says so or when no gene is
 * left; without it, at the last epoch. Test accuracy is computed at the read-out epoch only and never
 * used to choose.
 */
export async function trainNet(
  net: GeneNet,
  t: SplitTensors,
  config: GeneSelectionConfig,
  lr: number,
  seed: number,
  ctx: FitContext,
  budget: { epochs: number; earlyStoppingFrom: number } = config,
): Promise<NetResult> {
  // L-BFGS (full batch, the learning rate unused): one iteration per "epoch", stopping at its own tests too.
  const lbfgs = config.optimizer === 'lbfgs' ? new Lbfgs(() => net.objective(t.xTrain, t.yTrain), net.variables, { tolGrad: 1e-6, tolChange: 1e-12 }) : null;
  const opt = lbfgs ? null : createOptimizer({ kind: config.optimizer as 'sgd' | 'adam', learningRate: lr });
  const nTrain = t.labelsTrain.length;
  const batch = Math.min(config.batchSize ?? nTrain, nTrain);
  const stopper = new EarlyStopping({ patience: config.patience, ties: config.earlyStoppingTies, startFrom: budget.earlyStoppingFrom });
  const rng = createRng(seed);
  let best: { epoch: number; heads: HeadResult[]; weights: Float32Array } | null = null;
  let epochs = 0;
  try {
    for (let epoch = 1; epoch <= budget.epochs; epoch++) {
      let converged = false;
      if (lbfgs) converged = (await lbfgs.step()).stop !== undefined;
      const order = !opt || batch >= nTrain ? null : rng.sample(nTrain, nTrain);
      for (let start = 0; opt && start < nTrain; start += batch) {
        tf.tidy(() => {
          let xb = t.xTrain;
          let yb = t.yTrain;
          if (order) {
            const rows = tf.tensor1d(order.subarray(start, Math.min(start + batch, nTrain)), 'int32');
            xb = tf.gather(t.xTrain, rows);
            yb = tf.gather(t.yTrain, rows);
          }
          opt.minimize(() => net.objective(xb, yb), false, net.variables);
        });
      }
      epochs = epoch;
      const weights = net.geneWeights();
      const mask = tf.tidy(() => tf.cast(tf.greaterEqual(weights, config.threshold), 'float32') as tf.Tensor1D);
      const [dev, selected] = await Promise.all([evaluateHeads(net, t.xDev, t.yDev, t.labelsDev, mask), countSelected(mask)]);
      const stop = config.earlyStopping && stopper.update(dev[0].acc, epoch);
      // Test accuracy is only kept at the read-out epoch, so it is computed only there.
      if (!config.earlyStopping || best === null || stopper.lastIsBest || !stopper.monitoring) {
        const test = await evaluateHeads(net, t.xTest, t.yTest, t.labelsTest, mask);
        const heads = net.heads.map((head, h) => ({ head, devAcc: dev[h].acc, devLoss: dev[h].loss, testAcc: test[h].acc }));
        best = { epoch, heads, weights: Float32Array.from((await weights.data()) as Float32Array) };
      }
      mask.dispose();
      weights.dispose();
      ctx.detail(`epoch ${epoch}: ${net.heads.map((head, h) => `${head} dev acc ${dev[h].acc.toFixed(3)}, dev loss ${dev[h].loss.toPrecision(3)}`).join('; ')}`);
      await ctx.checkpoint();
      // No gene left: the net is a constant and cannot regrow (U = W = 0 is a stationary point of U⊙W).
      const empty = config.earlyStopping && selected === 0;
      if (stop || converged || empty || !Number.isFinite(dev[0].loss)) break;
    }
    const objectiveT = tf.tidy(() => net.objective(t.xTrain, t.yTrain));
    const objective = (await objectiveT.data())[0];
    objectiveT.dispose();
    return { heads: best!.heads, weights: best!.weights, objective, epochs, bestEpoch: best!.epoch };
  } finally {
    opt?.dispose();
    lbfgs?.dispose();
  }
}
