import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../numeric/prng';
import { createOptimizer, makeSchedule, yieldToEventLoop, type OptimizerSpec } from '../../optim';
import type { TrainingConfig } from './config';
import type { Mlp } from './model';

/** Training and evaluation tensors; the caller owns them. */
export interface MlpData {
  /** [n, inputs], pixels in [0, 1]. */
  xTrain: tf.Tensor2D;
  /** [n, classes], one-hot. */
  yTrain: tf.Tensor2D;
  xTest: tf.Tensor2D;
  /** [m], int32 class indices. */
  labelsTest: tf.Tensor1D;
}

/** What one evaluation reads back (one read per tensor, once per epoch). */
export interface Evaluation {
  testAcc: number;
  /** Row-major [inputs, hidden]. */
  incoming: Float32Array;
  /** Row-major [hidden, classes]: the effective outgoing weights. */
  outgoing: Float32Array;
  /** Per hidden unit: whether its activation is exactly 0 on every test example (a dead unit). */
  dead: boolean[];
}

export interface EpochReport {
  epoch: number;
  /** Learning rate of the epoch's last step. */
  learningRate: number;
  evaluation: Evaluation;
  seconds: number;
  numTensors: number;
}

export interface TrainResult {
  epochs: number;
  final: Evaluation;
  seconds: number;
  /** Training examples per second over the run (the per-epoch evaluation on the test set included). */
  examplesPerSecond: number;
  /** Minibatch steps taken. */
  steps: number;
  /** Stopped early by `shouldStop` or `onEpoch` (then `epochs` counts the epochs finished). */
  interrupted: boolean;
}

const EVAL_CHUNK = 2000;

/**
 * Test accuracy, both kernels and dead units of `mlp` on the test set, in chunks of 2000 examples.
 * Creates no lasting tensors.
 */
export async function evaluate(mlp: Mlp, data: Pick<MlpData, 'xTest' | 'labelsTest'>): Promise<Evaluation> {
  const n = data.xTest.shape[0];
  const hidden = mlp.args.hidden;
  let correct = 0;
  const maxAbs = new Float32Array(hidden);
  for (let start = 0; start < n; start += EVAL_CHUNK) {
    const size = Math.min(EVAL_CHUNK, n - start);
    const [c, m] = tf.tidy(() => {
      const x = tf.slice(data.xTest, [start, 0], [size, -1]);
      const labels = tf.slice(data.labelsTest, [start], [size]);
      const h = mlp.hidden(x);
      const logits = mlp.outputLayer.apply(h) as tf.Tensor2D;
      return [tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'int32')), tf.max(tf.abs(h), 0)];
    });
    const [cv, mv] = await Promise.all([c.data(), m.data()]);
    correct += cv[0];
    for (let j = 0; j < hidden; j++) maxAbs[j] = Math.max(maxAbs[j], mv[j]);
    tf.dispose([c, m]);
  }
  const w1 = mlp.incomingKernel();
  const w2 = mlp.outgoingKernel();
  const [incoming, outgoing] = (await Promise.all([w1.data(), w2.data()])) as Float32Array[];
  tf.dispose([w1, w2]);
  return { testAcc: correct / n, incoming, outgoing, dead: Array.from(maxAbs, (v) => v === 0) };
}

/** A seeded permutation of 0..n−1 (Fisher–Yates). */
export function permutation(n: number, rng: { int(n: number): number }): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

export interface TrainOptions extends TrainingConfig {
  /** Seeds the order of the examples. */
  seed: number;
  /** Called after every epoch with its evaluation; return true to stop (Ctrl-C). */
  onEpoch?: (report: EpochReport) => boolean | void;
  /** Checked after every minibatch step (after yielding to the event loop); true stops at once (Ctrl-C). */
  shouldStop?: () => boolean;
}

/**
 * The optimizer of a training config: Adam (β₁ 0.9, β₂ 0.999, ε 1e-7 — tfjs' and Keras' defaults), or
 * `sgd` as SGD with momentum `momentum` (plain SGD when it is 0).
 */
export function optimizerSpec(t: Pick<TrainingConfig, 'optimizer' | 'learningRate' | 'momentum'>): OptimizerSpec {
  if (t.optimizer === 'adam') return { kind: 'adam', learningRate: t.learningRate };
  return t.momentum > 0 ? { kind: 'momentum', learningRate: t.learningRate, momentum: t.momentum } : { kind: 'sgd', learningRate: t.learningRate };
}

/**
 * Minimises mean softmax cross-entropy + the model's penalties with minibatches in a new random order
 * every epoch. Each step runs in a `tf.tidy`; the optimizer's slots are disposed at the end, so the
 * tensor count is the same before and after (and flat across epochs, reported per epoch). After every
 * step it yields to the event loop, so a Ctrl-C handler runs and `shouldStop` can end the run mid-epoch.
 */
export async function train(mlp: Mlp, data: MlpData, opts: TrainOptions): Promise<TrainResult> {
  const n = data.xTrain.shape[0];
  const batches = Math.ceil(n / opts.batchSize);
  const totalSteps = opts.epochs * batches;
  const optimizer = createOptimizer(optimizerSpec(opts));
  const schedule = makeSchedule(opts.learningRate, { kind: opts.schedule });
  const vars = mlp.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const rng = createRng(opts.seed);
  let step = 0;
  let trainSeconds = 0;
  let epochsDone = 0;
  let interrupted = false;
  let final: Evaluation | null = null;
  const t0 = performance.now();
  try {
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      const order = permutation(n, rng);
      const te = performance.now();
      let rate = opts.learningRate;
      for (let b = 0; b < batches; b++) {
        rate = schedule(step, totalSteps);
        optimizer.setLearningRate(rate);
        const idx = order.subarray(b * opts.batchSize, Math.min(n, (b + 1) * opts.batchSize));
        tf.tidy(() => {
          const i = tf.tensor1d(idx, 'int32');
          const x = tf.gather(data.xTrain, i);
          const y = tf.gather(data.yTrain, i);
          optimizer.minimize(() => tf.add(tf.losses.softmaxCrossEntropy(y, mlp.logits(x, true)), mlp.penalty()) as tf.Scalar, false, vars);
        });
        step++;
        await yieldToEventLoop();
        if (opts.shouldStop?.()) {
          interrupted = true;
          break;
        }
      }
      // An epoch cut short is neither evaluated nor reported.
      if (interrupted) break;
      // Reading the evaluation waits for the queued steps, so the epoch's time is known after it.
      const evaluation = await evaluate(mlp, data);
      const seconds = (performance.now() - te) / 1000;
      trainSeconds += seconds;
      epochsDone = epoch;
      final = evaluation;
      const stop = opts.onEpoch?.({ epoch, learningRate: rate, evaluation, seconds, numTensors: tf.memory().numTensors });
      if (stop) {
        interrupted = epoch < opts.epochs;
        break;
      }
    }
  } finally {
    optimizer.dispose();
  }
  return {
    epochs: epochsDone,
    final: final ?? (await evaluate(mlp, data)),
    seconds: (performance.now() - t0) / 1000,
    examplesPerSecond: (epochsDone * n) / Math.max(trainSeconds, 1e-9),
    steps: step,
    interrupted,
  };
}
