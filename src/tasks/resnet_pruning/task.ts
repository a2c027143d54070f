import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../../errors';
import { defineTask } from '../task';
import { resnetPruningConfigSchema, spredKappa, type ResnetPruningConfig, type Variant } from './config';
import { readPruningImages, type PruningImages } from './data';
import { kernelWeightCount } from './size';

/** One network: a variant, trained (or loaded with `from`), then pruned at every setting. */
export interface ResnetFit {
  key: string;
  variant: Variant;
}

export function resnetFits(config: ResnetPruningConfig): ResnetFit[] {
  return config.variants.map((variant) => ({ key: variant, variant }));
}

/** `from`: the run directory must hold both saved networks of every variant (written by a run of this task). */
function checkFrom(config: ResnetPruningConfig): void {
  if (config.from === null) return;
  for (const variant of config.variants) {
    for (const dir of [`models/${variant}`, `models/${variant}-init`]) {
      const file = path.join(config.from, dir, 'model.json');
      if (!fs.existsSync(file)) throw new UsageError(`from (${config.from}): no trained ${variant} network there (missing ${file}); give a run directory of resnet-pruning`);
    }
  }
}

/**
 * Refuses a network whose weights, gradients, optimizer slots and the saved copies (initial and trained)
 * would not fit in half this machine's memory: about 8 float32 copies of every parameter per variant.
 */
function checkMemory(config: ResnetPruningConfig, images: PruningImages): void {
  const weights = kernelWeightCount({ channels: images.channels, classes: images.classes, ...config.model });
  const bytes = weights * 2 * 4 * 8 * Math.min(config.variants.length, os.cpus().length);
  if (bytes > os.totalmem() / 2) {
    throw new UsageError(
      `model.width (${config.model.width}), model.blocks ([${config.model.blocks.join(', ')}]): ${(weights / 1e6).toFixed(0)} M weights per network ` +
        `need about ${(bytes / 2 ** 30).toFixed(1)} GiB to train here, more than half this machine's ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    );
  }
}

export const resnetPruningTask = defineTask({
  name: 'resnet-pruning',
  description: 'Network compression: ResNet18 with spred on every weight, pruned by one global threshold, fine-tuned; magnitude, random and lottery-ticket baselines',
  paper: '§5.2, Fig. 5, 8, 9, App. A.4, A.6',
  schema: resnetPruningConfigSchema,
  fits: resnetFits,
  checkInputs: (config): PruningImages => {
    checkFrom(config);
    const images = readPruningImages(config.data);
    checkMemory(config, images);
    return images;
  },
  describe: (config, images) => {
    const t = config.training;
    const m = config.model;
    const from = config.from === null ? `training ${t.epochs} epochs (${t.optimizer}, lr ${t.learningRate} ${t.schedule}, batch ${t.batchSize})` : `loading the networks of ${config.from}`;
    return (
      `${config.data.dataset} from ${images.dir}: ${images.train.n} training / ${images.test.n} test images, ${images.size}×${images.size}×${images.channels}; ` +
      `ResNet width ${m.width}, blocks [${m.blocks.join(', ')}], ${images.classes} classes; ${config.variants.join(' and ')}; ` +
      `weight decay ${config.weightDecay} (spred κ ${spredKappa(config)}); ${from}; fine-tuning ${config.finetune.epochs} epochs`
    );
  },
  load: () => require('./fits').resnetImplementation,
});
