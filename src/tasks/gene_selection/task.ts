import { defineTask } from '../task';
import { geneSelectionConfigSchema, type GeneModel, type GeneSelectionConfig } from './config';
import { readGeneInputs, type GeneInputs } from './data';

/** One fit: a data set, a split, a model and (for spred-linear) one κ and learning rate. */
export interface GeneFit {
  key: string;
  /** Index into `config.datasets`. */
  dataset: number;
  datasetName: string;
  split: number;
  model: GeneModel;
  kappa: number | null;
  lr: number | null;
}

export function geneFits(config: GeneSelectionConfig): GeneFit[] {
  return config.datasets.flatMap((ds, dataset) =>
    Array.from({ length: config.splits }, (_, split) =>
      config.models.flatMap((model): GeneFit[] => {
        const base = { dataset, datasetName: ds.name, split, model };
        if (model === 'majority') return [{ ...base, key: `${ds.name}/split=${split}/majority`, kappa: null, lr: null }];
        return config.kappas.flatMap((kappa) =>
          config.learningRates.map((lr) => ({ ...base, key: `${ds.name}/split=${split}/${model}/kappa=${kappa}/lr=${lr}`, kappa, lr })),
        );
      }),
    ).flat(),
  );
}

export const geneSelectionTask = defineTask({
  name: 'gene-selection',
  description: 'Gene selection on microarray data: spred on U⊙x (L1 on the genes), κ and lr chosen on dev, test accuracy and selected genes',
  paper: '§4.2, Eq. 7, Table 1, Table 2, App. A.5',
  schema: geneSelectionConfigSchema,
  fits: geneFits,
  checkInputs: (config): Promise<GeneInputs> => readGeneInputs(config),
  describe: (config, inputs) => {
    const sets = inputs.datasets.map(
      (d) =>
        `${d.name}: ${d.n} samples (${d.classes.map((c, k) => `${c} ${d.classCounts[k]}`).join(', ')}${d.dropped > 0 ? `; ${d.dropped} unlabelled dropped` : ''}) × ${d.d} genes, ${d.transform}`,
    );
    const n = geneFits(config).length;
    return `${sets.join('; ')}; ${config.splits} split${config.splits === 1 ? '' : 's'} ${config.trainFraction}/${config.devFraction}/${+(1 - config.trainFraction - config.devFraction).toFixed(6)} stratified; models ${config.models.join(', ')}; κ × lr ${config.kappas.length} × ${config.learningRates.length}; ${n} fits; ${config.optimizer}, ${config.batchSize === undefined ? 'full batch' : `batch ${config.batchSize}`}, ≤ ${config.epochs} epochs, patience ${config.patience}`;
  },
  load: () => require('./fits').geneSelectionImplementation,
});
