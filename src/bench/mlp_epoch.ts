/**
 * Training speed of the node-sparsity networks (src/tasks/mlp_node_sparsity) against a plain
 * tfjs-layers `model.fit` epoch of the same network. Not a test; prints figures. Build, then run:
 *
 *   npm run bench:mlp
 *   node dist/bench/mlp_epoch.js [--config configs/mlp-node-sparsity-smoke.yaml] [--backend auto|tensorflow|webgpu|wasm|cpu] [--epochs 2]
 *
 * Data, width, optimizer, batch size and κ (the middle of the sweep) come from the config. Each
 * candidate trains one warm-up epoch, then `--epochs` timed epochs:
 * - `model.fit`: `tf.sequential` of two `dense` layers with `l2({l2: κ})`, compiled with the config's
 *   optimizer and softmax cross-entropy on logits, `fit(x, y, {batchSize, epochs: 1, shuffle: true})`;
 * - `spred task, weight-decay` / `spred task, spred`: the task's own loop (`train`), one epoch
 *   including the per-epoch evaluation on the test set that the task does.
 * Issue 5 asks that a task epoch is not slower than 1.5× the `model.fit` epoch (ratio ≤ 1.5).
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describeBackend, selectBackend, type BackendName } from '../backend';
import { resolveTaskConfig } from '../tasks/registry';
import { packageRoot } from '../paths';
import type { MlpNodeSparsityConfig } from '../tasks/mlp_node_sparsity/config';
import { disposeMlpData, readMlpImages, uploadMlpData, type LoadedMlpData } from '../tasks/mlp_node_sparsity/data';
import { Mlp } from '../tasks/mlp_node_sparsity/model';
import { createOptimizer } from '../optim';
import { optimizerSpec, train } from '../tasks/mlp_node_sparsity/train';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Examples per second of `model.fit` on the plain network, over `epochs` epochs after a warm-up. */
async function fitSpeed(config: MlpNodeSparsityConfig, data: LoadedMlpData, kappa: number, epochs: number): Promise<number> {
  const t = config.training;
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: config.model.hidden, activation: config.model.activations[0], inputShape: [data.inputs], kernelRegularizer: tf.regularizers.l2({ l2: kappa }) }),
      tf.layers.dense({ units: data.classes, kernelRegularizer: tf.regularizers.l2({ l2: kappa }) }),
    ],
  });
  const optimizer = createOptimizer(optimizerSpec(t));
  model.compile({ optimizer, loss: (y: tf.Tensor, logits: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, logits) });
  await model.fit(data.xTrain, data.yTrain, { batchSize: t.batchSize, epochs: 1, shuffle: true, verbose: 0 });
  const t0 = performance.now();
  await model.fit(data.xTrain, data.yTrain, { batchSize: t.batchSize, epochs, shuffle: true, verbose: 0 });
  await model.getWeights()[0].data();
  const seconds = (performance.now() - t0) / 1000;
  model.dispose();
  optimizer.dispose();
  return (epochs * data.trainCount) / seconds;
}

/** Examples per second of the task's loop on one variant, over `epochs` epochs after a warm-up. */
async function taskSpeed(config: MlpNodeSparsityConfig, data: LoadedMlpData, variant: 'weight-decay' | 'spred', kappa: number, epochs: number): Promise<number> {
  const shape = { inputs: data.inputs, hidden: config.model.hidden, classes: data.classes };
  const mlp = new Mlp({ ...shape, activation: config.model.activations[0], variant, kappa, seed: config.seed });
  const counts: number[] = [];
  await train(mlp, data, { ...config.training, epochs: 1, seed: config.seed });
  const result = await train(mlp, data, { ...config.training, epochs, seed: config.seed, onEpoch: (r) => void counts.push(r.numTensors) });
  mlp.dispose();
  console.log(`  ${variant}: tensors after each timed epoch ${counts.join(', ')}`);
  return result.examplesPerSecond;
}

async function main(): Promise<void> {
  const configFile = flag('config', path.join(packageRoot(), 'configs', 'mlp-node-sparsity-smoke.yaml'));
  const epochs = Number(flag('epochs', '2'));
  const config = resolveTaskConfig(configFile) as unknown as MlpNodeSparsityConfig;
  const backend = await selectBackend(flag('backend', 'auto') as BackendName);
  console.log(describeBackend(backend));
  const data = uploadMlpData(readMlpImages(config.data));
  const kappa = config.kappas[Math.floor(config.kappas.length / 2)];
  const t = config.training;
  console.log(
    `${configFile}: ${data.trainCount} training images, ${data.inputs}→${config.model.hidden}→${data.classes} ${config.model.activations[0]}, ` +
      `${t.optimizer}, batch ${t.batchSize}, κ ${kappa}; ${epochs} timed epochs after one warm-up`,
  );
  try {
    const fit = await fitSpeed(config, data, kappa, epochs);
    console.log(`model.fit (plain tfjs-layers):          ${fit.toFixed(0)} examples/s`);
    for (const variant of ['weight-decay', 'spred'] as const) {
      const ours = await taskSpeed(config, data, variant, kappa, epochs);
      const ratio = fit / ours;
      console.log(
        `spred task, ${variant.padEnd(12)} epoch: ${ours.toFixed(0)} examples/s; epoch time ${ratio.toFixed(2)}× model.fit's ` +
          `(${ratio <= 1.5 ? 'within' : 'OVER'} the 1.5× bound)`,
      );
    }
  } finally {
    disposeMlpData(data);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
