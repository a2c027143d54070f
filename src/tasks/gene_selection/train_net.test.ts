/**
 * trainNet's read-out on the real GDS507 (RCC vs normal, 22645 probes, split 0 of the smoke config:
 * 9 train / 4 dev / 4 test samples), spred-linear, full-batch SGD, patience 150 within 300 epochs.
 * Dev accuracy on 4 samples sits at 1.0 from early on; whether those ties restart patience decides how
 * long the penalty acts before the model is read (EarlyStopping's `ties`, `startFrom`).
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../backend';
import { geneSelectionConfigSchema } from './config';
import { readGeneInputs } from './data';
import { SpredLinearNet } from './nets';
import { disposeSplit, splitSeed, splitTensors, type Shared } from './split_tensors';
import { trainNet, type NetResult } from './train_net';
import { standaloneContext } from './standalone_context';

const ctx = standaloneContext();

const base = {
  task: 'gene-selection',
  datasets: [{ name: 'GDS507', source: 'soft', path: path.join(__dirname, '../../../data/geo/GDS507.soft.gz'), label: { subsetType: 'disease state' } }],
  splits: 1,
  models: ['spred-linear'],
  epochs: 300,
  patience: 150,
};
let shared: Shared;

beforeAll(async () => {
  await selectBackend('wasm');
  const config = geneSelectionConfigSchema.parse(base);
  shared = { config, inputs: await readGeneInputs(config), cache: null };
});
afterAll(() => disposeSplit(shared.cache));

async function fit(kappa: number, lr: number, options: Record<string, unknown>): Promise<NetResult & { genes: number }> {
  const config = geneSelectionConfigSchema.parse({ ...base, ...options });
  const t = splitTensors(shared, { dataset: 0, split: 0 });
  const before = tf.memory().numTensors;
  const net = new SpredLinearNet(t.data.d, t.data.classes.length, kappa, splitSeed(config, { dataset: 0, split: 0 }));
  const r = await trainNet(net, t, config, lr, 3, ctx);
  net.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return { ...r, genes: r.weights.filter((w) => w >= config.threshold).length };
}

test("ties 'restart' reads the model later on a dev plateau, with fewer genes, than 'latest' (κ 0.1, lr 0.3)", async () => {
  const latest = await fit(0.1, 0.3, { earlyStoppingTies: 'latest' });
  const restart = await fit(0.1, 0.3, { earlyStoppingTies: 'restart' });
  // Measured: 'latest' stops at epoch 151 (= 1 + patience) and reads it with 265 genes; 'restart' trains
  // all 300 epochs, reads the last (dev accuracy still 1.0) with 165 genes. Test accuracy 1.0 in both.
  expect(latest.epochs).toBeLessThan(200);
  expect(latest.bestEpoch).toBe(latest.epochs);
  expect(latest.genes).toBeGreaterThan(220);
  expect(restart.epochs).toBe(300);
  expect(restart.bestEpoch).toBe(300);
  expect(restart.genes).toBeLessThan(200);
  expect(restart.genes).toBeGreaterThan(100);
  expect(restart.heads[0].devAcc).toBe(1);
  expect(restart.heads[0].testAcc).toBeGreaterThanOrEqual(0.75);
}, 300_000);

test('a warm-up keeps the read-out after it; training stops once no gene is left (κ 0.3, lr 0.3)', async () => {
  // Measured: κ 0.3 removes every gene by epoch 27. Without a warm-up the read-out is epoch 23 (15 genes,
  // dev 1.0, test 0.75) and training stops at 27, the first epoch with no gene left; with a 100-epoch
  // warm-up the read-out is that empty model (a constant: dev 0.5), and training stops there too
  // instead of running to epoch 300.
  const plain = await fit(0.3, 0.3, { earlyStoppingTies: 'restart' });
  expect(plain.genes).toBeGreaterThan(0);
  expect(plain.bestEpoch).toBeLessThan(plain.epochs);
  expect(plain.epochs).toBeLessThan(100);
  const warm = await fit(0.3, 0.3, { earlyStoppingTies: 'restart', earlyStoppingFrom: 100 });
  expect(warm.genes).toBe(0);
  expect(warm.epochs).toBeLessThan(100);
  expect(warm.bestEpoch).toBe(warm.epochs);
  expect(warm.heads[0].devAcc).toBe(0.5); // a constant model on 2 + 2 dev samples
}, 300_000);

test('per-model grids override epochs and the warm-up', () => {
  const config = geneSelectionConfigSchema.parse({ ...base, grids: { 'spred-linear': { epochs: 600, earlyStoppingFrom: 200 } } });
  expect(config.grids['spred-linear']).toEqual({ epochs: 600, earlyStoppingFrom: 200 });
  expect(config.earlyStoppingFrom).toBe(0);
  expect(config.earlyStoppingTies).toBe('latest');
  expect(geneSelectionConfigSchema.safeParse({ ...base, earlyStoppingTies: 'sometimes' }).success).toBe(false);
  expect(geneSelectionConfigSchema.safeParse({ ...base, earlyStoppingFrom: -1 }).success).toBe(false);
});
