import * as tf from '@tensorflow/tfjs';
import { encodeNpy } from '../../data/npy';
import { InterruptedError } from '../../errors';
import { deriveSeed } from '../../spred/init';
import { results, type FitContext, type FitOutcome, type OutputContext, type TaskImplementation } from '../task';
import { FistaCodes, NaiveL1Codes, SpredCodes, type BatchLayout, type CodeSolver } from './codes';
import type { SparseCodingConfig } from './config';
import { extractSparseCodingPatches, type SparseCodingImages, type SparseCodingPatches } from './data';
import { dictionaryLipschitz, startingDictionary } from './dictionary';
import { codeStats, disposeBatches, uploadBatches, type CodeStats, type PatchBatches } from './evaluate';
import { filterGridPng } from './filter_image';
import { filterRows } from './filter_rows';
import { pcaBasis } from './pca';
import { objectivePlot } from './plots';
import type { FilterRow, SummaryRow, TrainingRow } from './rows';
import { summarise } from './summarise';
import type { SparseCodingFit } from './task';
import { trainAlternating } from './train';

/**
 * Sparse coding of natural image patches (paper §4.1, Eq. 6/10, Fig. 3, App. A.3; issue 12). One fit per
 * method, all from the same patches and the same starting dictionary (`dictionaryInit`, config.ts):
 * - `spred`, `fista`, `naive-l1`: the alternating scheme of train.ts with that method's code solver
 *   (codes.ts), then the held-out patches coded by the same solver with the final dictionary;
 * - `pca`: the principal components of the training patches (pca.ts), for the Gabor comparison;
 * - `initial`: the starting dictionary, untrained (what the learned dictionaries' Gabor shares start from).
 * spred's final threshold is on |U⊙W| (the code S itself, not on U or W separately: only the product is
 * the model, and at a minimum |U| = |W| = √|S|, so a threshold τ on |S| is τ^{1/2} on each factor).
 * Outputs: training.csv, filters.csv, summary.csv (rows.ts), filters.png (spred's bases; the paper's
 * Fig. 3) and filters-<method>.png for every method, objective.svg (objective against time), and with
 * `exportNpy` patches.npy, heldout.npy and dictionary-<method>.npy (float32).
 */
export interface SparseCodingResult {
  training: TrainingRow[];
  filters: FilterRow[];
  summary: SummaryRow;
}

interface Shared {
  config: SparseCodingConfig;
  patches: SparseCodingPatches;
  train: PatchBatches;
  heldOut: PatchBatches;
  initialD: Float32Array;
}

function makeSolver(method: 'spred' | 'fista' | 'naive-l1', layout: BatchLayout, config: SparseCodingConfig, seed: number, steps: number): CodeSolver {
  const t = config.training;
  if (method === 'spred') return new SpredCodes(layout, config.alpha, t, seed, steps);
  if (method === 'naive-l1') return new NaiveL1Codes(layout, config.alpha, t, steps);
  return new FistaCodes(layout, config.alpha, t);
}

/** The codes the method reports: spred's after its final threshold, the others' as they are. */
function finalCodes(solver: CodeSolver, threshold: number): (b: number) => tf.Tensor2D {
  return solver instanceof SpredCodes ? (b) => solver.thresholded(b, threshold) : (b) => solver.codes(b);
}

function basisFiles(ctx: FitContext, method: string, basis: Float32Array | Float64Array, count: number, config: SparseCodingConfig, p: number): void {
  const png = filterGridPng(basis, count, p);
  ctx.writeBytes(`filters-${method}.png`, png);
  if (method === 'spred') ctx.writeBytes('filters.png', png);
  if (config.exportNpy) ctx.writeBytes(`dictionary-${method}.npy`, encodeNpy(basis, [count, p * p], { dtype: '<f4' }));
}

/** An untrained basis (PCA's, or the starting dictionary): its files and Gabor fits, no training. */
function basisResult(method: 'pca' | 'initial', s: Shared, ctx: FitContext): SparseCodingResult {
  const { patches: p, config } = s;
  const { basis, components } = method === 'pca' ? pcaBasis(p.train, p.count, p.dim, config.atoms) : { basis: s.initialD, components: config.atoms };
  basisFiles(ctx, method, basis, components, config, p.patchSize);
  const filters = filterRows(method, basis, components, p.patchSize, config.gaborR2);
  return { training: [], filters, summary: summarise(method, filters, null, config.gaborR2) };
}

async function runFit(fit: SparseCodingFit, s: Shared, ctx: FitContext): Promise<SparseCodingResult> {
  const { config, patches: p } = s;
  if (config.exportNpy && fit.method === config.methods[0]) {
    ctx.writeBytes('patches.npy', encodeNpy(p.train, [p.count, p.dim], { dtype: '<f4' }));
    ctx.writeBytes('heldout.npy', encodeNpy(p.heldOut, [p.heldOutCount, p.dim], { dtype: '<f4' }));
  }
  if (fit.method === 'pca' || fit.method === 'initial') return basisResult(fit.method, s, ctx);
  const method = fit.method;
  const t = config.training;
  const k = config.atoms;
  const tensorsBefore = tf.memory().numTensors;
  const D = tf.tidy(() => tf.variable(tf.tensor2d(s.initialD, [k, p.dim]), true, `sparse-coding/${method}/D`));
  const solver = makeSolver(method, { sizes: s.train.sizes, atoms: k }, config, deriveSeed(config.seed, 10), t.codeSteps);
  const training: TrainingRow[] = [];
  const stats = (batches: PatchBatches, codesOf: (b: number) => tf.Tensor2D): Promise<CodeStats> =>
    codeStats(batches, codesOf, D as tf.Tensor2D, config.alpha, config.threshold, config.strictThreshold);
  let heldOutSolver: CodeSolver | undefined;
  try {
    const run = await trainAlternating({
      solver,
      D,
      train: s.train,
      training: t,
      seed: deriveSeed(config.seed, 11),
      ctx,
      onEpoch: async (epoch, seconds) => {
        const c = await stats(s.train, (b) => solver.codes(b));
        training.push({
          method,
          epoch,
          seconds,
          objective: c.objective,
          r2: c.r2,
          exact_zeros: c.exactZeros,
          zeros_below_threshold: c.zerosBelowThreshold,
          zeros_below_strict: c.zerosBelowStrict,
          num_tensors: tf.memory().numTensors,
        });
        ctx.detail(`epoch ${epoch}: objective ${c.objective.toFixed(5)}, R² ${c.r2.toFixed(4)}, zeros ${c.exactZeros.toFixed(3)} (< ${config.threshold}: ${c.zerosBelowThreshold.toFixed(3)}), ${seconds.toFixed(1)} s`);
      },
    });
    if (ctx.interrupted()) throw new InterruptedError();
    const final = await stats(s.train, finalCodes(solver, config.threshold));

    // Held-out patches: coded from scratch by the same solver with D fixed, as many code steps as a
    // training patch got over the whole run.
    heldOutSolver = makeSolver(method, { sizes: s.heldOut.sizes, atoms: k }, config, deriveSeed(config.seed, 12), t.codeSteps * t.epochs);
    const Dl = dictionaryLipschitz((await D.data()) as Float32Array, k, p.dim);
    for (let b = 0; b < s.heldOut.batches.length; b++) {
      await ctx.checkpoint();
      await heldOutSolver.visit(b, s.heldOut.batches[b], D, Dl);
    }
    const held = await stats(s.heldOut, finalCodes(heldOutSolver, config.threshold));

    const basis = (await D.data()) as Float32Array;
    basisFiles(ctx, method, basis, k, config, p.patchSize);
    const filters = filterRows(method, basis, k, p.patchSize, config.gaborR2);
    ctx.log(
      `${run.seconds.toFixed(1)} s over ${run.visits} batch visits; objective ${final.objective.toFixed(5)}, train R² ${final.r2.toFixed(4)}, ` +
        `held-out R² ${held.r2.toFixed(4)} with ${(100 * held.exactZeros).toFixed(1)} % zeros`,
    );
    const summary = summarise(method, filters, { epochs: t.epochs, seconds: run.seconds, patches: p.count * t.epochs, final, held }, config.gaborR2);
    return { training, filters, summary };
  } finally {
    D.dispose();
    solver.dispose();
    heldOutSolver?.dispose();
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (leaked !== 0) ctx.log(`warning: ${leaked} tensors more after the fit than before it`);
  }
}

async function write(config: SparseCodingConfig, outcomes: readonly FitOutcome<SparseCodingFit, SparseCodingResult>[], out: OutputContext): Promise<void> {
  const done = results(outcomes).map((r) => r.result);
  const training = done.flatMap((r) => r.training);
  const summary = done.map((r) => r.summary);
  const fista = summary.find((r) => r.method === 'fista');
  const pca = summary.find((r) => r.method === 'pca');
  for (const r of summary) {
    if (fista?.objective != null && r.objective != null) r.objective_vs_fista = (r.objective - fista.objective) / fista.objective;
    if (pca && pca.gabor_share > 0) r.gabor_vs_pca = r.gabor_share / pca.gabor_share;
  }
  out.writeCsv('training.csv', training);
  out.writeCsv('filters.csv', done.flatMap((r) => r.filters));
  out.writeCsv('summary.csv', summary);
  if (training.length > 0) out.writeSvg('objective.svg', await objectivePlot(training, config.alpha));
  const fmt = (x: number | null, d = 4) => (x === null ? '-' : x.toFixed(d));
  const lines = ['method    seconds  objective  vs_fista  heldout_r2  heldout_zeros  gabor_share  vs_pca  top10_energy'];
  for (const r of summary) {
    lines.push(
      `${r.method.padEnd(9)} ${fmt(r.seconds, 1).padStart(7)}  ${fmt(r.objective, 5).padStart(9)}  ${fmt(r.objective_vs_fista).padStart(8)}  ` +
        `${fmt(r.heldout_r2).padStart(10)}  ${fmt(r.heldout_exact_zeros).padStart(13)}  ${fmt(r.gabor_share, 3).padStart(11)}  ${fmt(r.gabor_vs_pca, 2).padStart(6)}  ${fmt(r.mean_top10_energy, 3)}`,
    );
  }
  out.log(lines.join('\n'));
}

export const sparseCodingImplementation: TaskImplementation<SparseCodingConfig, SparseCodingFit, SparseCodingResult, Shared, SparseCodingImages> = {
  setup: (config, inputs) => {
    const patches = extractSparseCodingPatches(config, inputs.images);
    return {
      config,
      patches,
      train: uploadBatches(patches.train, patches.count, patches.dim, config.training.batchSize),
      heldOut: uploadBatches(patches.heldOut, patches.heldOutCount, patches.dim, config.training.batchSize),
      initialD: startingDictionary(config.dictionaryInit, patches.train, patches.count, patches.dim, config.atoms, deriveSeed(config.seed, 3)),
    };
  },
  teardown: (s) => {
    disposeBatches(s.train);
    disposeBatches(s.heldOut);
  },
  runFit,
  write,
};
