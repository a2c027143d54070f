import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../../errors';
import { defineTask } from '../task';
import { resnetPruningConfigSchema, spredKappa, type ResnetPruningConfig, type Variant } from './config';
import { readPruningImages, type PruningImages } from './data';

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

export const resnetPruningTask = defineTask({
  name: 'resnet-pruning',
  description: 'Network compression: ResNet18 with spred on every weight, pruned by one global threshold, fine-tuned; magnitude, random and lottery-ticket baselines',
  paper: '§5.2, Fig. 5, 8, 9, App. A.4, A.6',
  schema: resnetPruningConfigSchema,
  fits: resnetFits,
  checkInputs: (config): PruningImages => {
    checkFrom(config);
    return readPruningImages(config.data);
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
