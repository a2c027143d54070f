/**
 * Speed of one gene-selection fit (issue 11: "one spred-ensemble fit on GDS507 under 10 s here").
 * Not a test; prints figures. Build, then run:
 *
 *   npm run bench:gene-selection
 *   node dist/bench/gene_selection.js [--config configs/gene-selection-smoke.yaml] [--model spred-ensemble]
 *       [--hidden 1024,1024] [--kappa 0.1] [--lr 0.1] [--epochs N] [--backend wasm] [--repeat 1]
 *
 * Data, split 0, epochs, patience and threshold come from the config (default: the GDS507 smoke
 * config: 9 training samples × 22645 probes, ≤ 300 epochs, patience 150); the widths default to the
 * paper's f_n 1024-1024 (`ensembleHidden`) and 4096 (`mlpHidden`), not the smoke config's reduced
 * ones. One fit = the task's own `trainNet` with early stopping on dev accuracy, including the
 * per-epoch evaluation on dev and test, as `spred run` does it. Prints seconds per fit, epochs,
 * seconds per epoch, fits per minute and the tensor count after each fit (flat = nothing leaks).
 * `--epochs N` caps the epochs (and turns early stopping off) to time a few epochs of a long fit.
 */
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import { describeBackend, selectBackend, type BackendName } from '../backend';
import { packageRoot } from '../paths';
import { resolveTaskConfig } from '../tasks/registry';
import type { GeneModel, GeneSelectionConfig } from '../tasks/gene_selection/config';
import { readGeneInputs } from '../tasks/gene_selection/data';
import { buildNet } from '../tasks/gene_selection/fits';
import { disposeSplit, splitSeed, splitTensors, type Shared } from '../tasks/gene_selection/split_tensors';
import { trainNet } from '../tasks/gene_selection/train_net';
import { deriveSeed } from '../spred/init';
import { standaloneContext } from '../tasks/gene_selection/standalone_context';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const ctx = standaloneContext((line) => console.log(line));

async function main(): Promise<void> {
  const configFile = flag('config', path.join(packageRoot(), 'configs', 'gene-selection-smoke.yaml'));
  const model = flag('model', 'spred-ensemble') as GeneModel;
  const hidden = flag('hidden', model === 'spred-ensemble' ? '1024,1024' : '4096').split(',').map(Number);
  const kappa = Number(flag('kappa', '0.1'));
  const lr = Number(flag('lr', '0.1'));
  const repeat = Number(flag('repeat', '1'));
  const backend = await selectBackend(flag('backend', 'wasm') as BackendName);
  console.log(describeBackend(backend));
  const base = resolveTaskConfig(configFile) as unknown as GeneSelectionConfig;
  const epochs = flag('epochs', '');
  const capped = epochs !== '' ? { epochs: Number(epochs), earlyStopping: false } : {};
  const config: GeneSelectionConfig = { ...base, ...capped, ensembleHidden: model === 'spred-ensemble' ? hidden : base.ensembleHidden, mlpHidden: model.startsWith('mlp') ? hidden[0] : base.mlpHidden };
  const inputs = await readGeneInputs(config);
  const shared: Shared = { config, inputs, cache: null };
  const fit = { key: 'bench', dataset: 0, datasetName: config.datasets[0].name, split: 0, model, kappa, lr };
  const t = splitTensors(shared, fit);
  const widths = model === 'spred-ensemble' ? `f_n ${hidden.join('-')}` : model.startsWith('mlp') ? `hidden ${hidden[0]}` : 'linear';
  console.log(
    `${configFile}: ${fit.datasetName}, ${t.labelsTrain.length} training samples × ${t.data.d} genes; ${model} (${widths}), κ ${kappa}, lr ${lr}, ${config.optimizer}, ≤ ${config.epochs} epochs, ${config.earlyStopping ? `patience ${config.patience}` : 'no early stopping'}`,
  );
  try {
    for (let r = 0; r < repeat; r++) {
      const t0 = performance.now();
      const net = buildNet(fit, config, t.data.d, t.data.classes.length);
      const res = await trainNet(net, t, config, lr, deriveSeed(splitSeed(config, fit), 3), ctx).finally(() => net.dispose());
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `fit ${r + 1}: ${seconds.toFixed(2)} s, ${res.epochs} epochs (${((1000 * seconds) / res.epochs).toFixed(1)} ms per epoch), ${(60 / seconds).toFixed(1)} fits per minute; ` +
          `dev acc ${res.heads[0].devAcc.toFixed(3)}, test acc ${res.heads[0].testAcc.toFixed(3)} (${res.heads[0].head}); tensors after the fit ${tf.memory().numTensors}`,
      );
    }
  } finally {
    disposeSplit(shared.cache);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
