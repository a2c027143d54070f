/**
 * `npm run bench:sparse-coding` (issue 12 "Speed"): on one fixed dictionary and one batch of patches of
 * the smoke config, the time spred, FISTA and naive L1 take to reach the same objective — within 1e-3
 * relative of the best (FISTA run to a duality gap of 1e-7) on 500 patches — their steps per second, and the
 * patches per second of the smoke run's spred training. Prints the paper's claim ("existing methods
 * based on the lasso algorithm are at least an order of magnitude slower", App. A.3) as measured here.
 *
 * The dictionary is the one every method starts from (k training patches at unit norm): no method's
 * own learned dictionary favours it. Only solver steps are timed; objective evaluations are not.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend';
import { resolveTaskConfig } from '../tasks/registry';
import { FistaCodes, NaiveL1Codes, SpredCodes, type CodeSolver } from '../tasks/sparse_coding/codes';
import type { SparseCodingConfig } from '../tasks/sparse_coding/config';
import { readSparseCodingPatches } from '../tasks/sparse_coding/data';
import { dictionaryLipschitz, initialDictionary } from '../tasks/sparse_coding/dictionary';
import { codeStats, uploadBatches, type PatchBatches } from '../tasks/sparse_coding/evaluate';
import { deriveSeed } from '../spred/init';

const RELATIVE = 1e-3;
/** Patches in the timed batch (FISTA codes them one by one in JavaScript; a smoke batch of 2000 takes minutes to solve exactly here). */
const BATCH = 500;

interface Trace {
  seconds: number;
  objective: number;
  steps: number;
}

async function objectiveOf(batch: PatchBatches, codes: () => tf.Tensor2D, D: tf.Tensor2D, alpha: number): Promise<number> {
  return (await codeStats(batch, codes, D, alpha, 1e-3, 1e-6)).objective;
}

/** Waits for the backend to finish the steps that made `t` (a read), then frees it. */
async function settle(t: tf.Tensor): Promise<void> {
  await t.data();
  t.dispose();
}

/** Runs `chunk` steps at a time (timed) until the objective is within RELATIVE of `target` or `maxSteps`. */
async function race(name: string, make: (steps: number) => CodeSolver, chunk: number, maxSteps: number, batch: PatchBatches, D: tf.Variable, L: number, alpha: number, target: number): Promise<Trace | undefined> {
  const solver = make(chunk);
  let seconds = 0;
  try {
    for (let steps = chunk; steps <= maxSteps; steps += chunk) {
      const start = performance.now();
      await solver.visit(0, batch.batches[0], D, L);
      // Wait for the backend to finish the steps before stopping the clock.
      await settle(solver.codes(0));
      seconds += (performance.now() - start) / 1000;
      const f = await objectiveOf(batch, () => solver.codes(0), D as tf.Tensor2D, alpha);
      if (f <= target * (1 + RELATIVE)) return { seconds, objective: f, steps };
      if (!Number.isFinite(f)) break;
    }
    console.log(`${name}: not within ${RELATIVE} of the best after ${maxSteps} steps (${seconds.toFixed(2)} s)`);
    return undefined;
  } finally {
    solver.dispose();
  }
}

async function main(): Promise<void> {
  await selectBackend('auto');
  const file = path.join(__dirname, '../../configs/sparse-coding-smoke.yaml');
  const config = resolveTaskConfig(file) as unknown as SparseCodingConfig;
  const p = readSparseCodingPatches(config);
  const n = BATCH;
  const batch = uploadBatches(p.train.subarray(0, n * p.dim), n, p.dim, n);
  const k = config.atoms;
  const D0 = initialDictionary(p.train, p.count, p.dim, k, deriveSeed(config.seed, 3));
  const D = tf.variable(tf.tensor2d(D0, [k, p.dim]));
  const L = dictionaryLipschitz(D0, k, p.dim);
  const layout = { sizes: [n], atoms: k };
  const t = config.training;
  console.log(`backend ${tf.getBackend()}; one batch of ${n} whitened ${p.patchSize}×${p.patchSize} patches, k = ${k}, α = ${config.alpha}, ‖D‖₂² = ${L.toFixed(2)}`);

  // The best objective: FISTA to a duality gap of 1e-7 (relative, per patch).
  const exact = new FistaCodes(layout, config.alpha, { ...t, fistaTol: 1e-7, fistaMaxIter: 5000 });
  await exact.visit(0, batch.batches[0], D);
  const best = await objectiveOf(batch, () => exact.codes(0), D as tf.Tensor2D, config.alpha);
  console.log(`best objective (FISTA, gap ≤ 1e-7): ${best.toFixed(6)} per patch`);

  const spred = await race('spred', (s) => new SpredCodes(layout, config.alpha, t, 1, s), 20, 4000, batch, D, L, config.alpha, best);
  const fistaRun = await race('fista', (s) => new FistaCodes(layout, config.alpha, { ...t, fistaTol: 0, fistaMaxIter: s }), 5, 2000, batch, D, L, config.alpha, best);
  const naive = await race('naive-l1', (s) => new NaiveL1Codes(layout, config.alpha, t, s), 20, 2000, batch, D, L, config.alpha, best);
  for (const [name, r] of [['spred', spred], ['fista', fistaRun], ['naive-l1', naive]] as const) {
    if (r) console.log(`${name.padEnd(8)} within ${RELATIVE} of the best in ${r.seconds.toFixed(3)} s, ${r.steps} steps (${(r.steps / r.seconds).toFixed(1)} steps/s), objective ${r.objective.toFixed(6)}`);
  }
  if (spred && fistaRun) {
    const ratio = fistaRun.seconds / spred.seconds;
    console.log(`FISTA time / spred time = ${ratio.toFixed(2)} (the paper claims ≥ 10 for lasso-based methods): ${ratio >= 10 ? 'holds' : 'does not hold'} here`);
  }

  // Patches per second of the smoke run's spred code steps (one epoch of the smoke config's batches).
  const all = uploadBatches(p.train, p.count, p.dim, n);
  const s = new SpredCodes({ sizes: all.sizes, atoms: k }, config.alpha, t, 2);
  const start = performance.now();
  for (let b = 0; b < all.batches.length; b++) await s.visit(b, all.batches[b], D, L);
  await settle(s.codes(0));
  const sec = (performance.now() - start) / 1000;
  console.log(`smoke run, spred code steps: ${p.count} patches × ${t.codeSteps} steps in ${sec.toFixed(2)} s = ${(p.count / sec).toFixed(0)} patches/s per pass, ${((p.count * t.codeSteps) / sec).toFixed(0)} patch-steps/s`);
  s.dispose();
  exact.dispose();
  tf.dispose([D, ...batch.batches, ...all.batches]);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
