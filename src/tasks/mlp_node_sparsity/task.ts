import { defineTask } from '../task';
import { mlpNodeSparsityConfigSchema, type Activation, type MlpNodeSparsityConfig, type Variant } from './config';
import { readMlpImages, type MlpImages } from './data';

/** One network: an activation, a variant and a κ. */
export interface MlpFit {
  key: string;
  activation: Activation;
  variant: Variant;
  kappa: number;
}

export function mlpFits(config: MlpNodeSparsityConfig): MlpFit[] {
  return config.model.activations.flatMap((activation) =>
    config.variants.flatMap((variant) =>
      config.kappas.map((kappa) => ({ key: `${activation}/${variant}/kappa=${kappa}`, activation, variant, kappa })),
    ),
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export const mlpNodeSparsityTask = defineTask({
  name: 'mlp-node-sparsity',
  description: 'Node sparsity of a 784→H→10 network: weight decay (implicit, ReLU/swish) vs spred with one scalar per hidden unit',
  paper: '§5.1, Fig. 4',
  schema: mlpNodeSparsityConfigSchema,
  fits: mlpFits,
  checkInputs: (config): MlpImages => readMlpImages(config.data),
  describe: (config, images) => {
    const t = config.training;
    const inputs = images.train.rows * images.train.cols;
    return (
      `${config.data.dataset} from ${images.dir}: ${images.train.n} training / ${images.test.n} test images; ` +
      `${inputs}→${config.model.hidden}→${images.train.numClasses}; ${plural(mlpFits(config).length, 'network')} × ${plural(t.epochs, 'epoch')} ` +
      `(${t.optimizer}${t.optimizer === 'sgd' ? ` momentum ${t.momentum}` : ''}, lr ${t.learningRate} ${t.schedule}, batch ${t.batchSize})`
    );
  },
  load: () => require('./fits').mlpImplementation,
});
