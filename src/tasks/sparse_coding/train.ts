import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../numeric/prng';
import type { FitContext } from '../task';
import type { CodeSolver } from './codes';
import { dictionaryLipschitz, updateDictionary } from './dictionary';
import type { PatchBatches } from './evaluate';
import type { TrainingConfig } from './config';

/**
 * The alternating scheme every method shares (paper App. A.3; Lee et al. 2006; Mairal et al. 2009):
 * each epoch visits the minibatches in a seeded random order; a visit improves that batch's codes
 * with D fixed (the method's own code solver), then runs L-BFGS on D with those codes fixed and
 * renormalises the atoms (dictionary.ts), then — with `rowNormalisation` — scales the batch's code
 * columns by the old atom norms so S·D is unchanged (config.ts). Only the visits are timed; the
 * per-epoch evaluation (`onEpoch`) is off the clock.
 */
export interface AlternatingOptions {
  solver: CodeSolver;
  D: tf.Variable;
  train: PatchBatches;
  training: TrainingConfig;
  seed: number;
  ctx: FitContext;
  /** Called after every epoch with the training seconds so far. */
  onEpoch(epoch: number, seconds: number): Promise<void>;
}

export interface AlternatingResult {
  seconds: number;
  visits: number;
  lbfgsEvaluations: number;
}

export async function trainAlternating(o: AlternatingOptions): Promise<AlternatingResult> {
  const t = o.training;
  const rng = createRng(o.seed);
  const nb = o.train.batches.length;
  const [k, dim] = o.D.shape;
  let seconds = 0;
  let visits = 0;
  let lbfgsEvaluations = 0;
  for (let epoch = 1; epoch <= t.epochs; epoch++) {
    const order = Array.from(rng.sample(nb, nb));
    for (const b of order) {
      await o.ctx.checkpoint();
      const start = performance.now();
      const L = dictionaryLipschitz((await o.D.data()) as Float32Array, k, dim);
      const Xb = o.train.batches[b];
      await o.solver.visit(b, Xb, o.D, L);
      const S = o.solver.codes(b);
      const step = await updateDictionary(o.D, Xb, S, t.dictionarySteps, t.lbfgsHistory);
      S.dispose();
      try {
        if (t.rowNormalisation) await o.solver.scaleAtoms(b, step.norms);
      } finally {
        step.norms.dispose();
      }
      seconds += (performance.now() - start) / 1000;
      visits++;
      lbfgsEvaluations += step.lbfgs.evaluations;
    }
    await o.onEpoch(epoch, seconds);
  }
  return { seconds, visits, lbfgsEvaluations };
}
