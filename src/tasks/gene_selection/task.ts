import { defineTask } from '../task';
import { geneSelectionConfigSchema, type GeneModel, type GeneSelectionConfig } from './config';
import { memoryPerWorker, readGeneInputs, type GeneInputs } from './data';
import { gridOf, splitMode } from './config';

/** One fit: a data set, a split, a model and its grid point (κ and lr for the SGD models, κ for l1-logistic, none for hsic-svm and majority). */
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
        if (model === 'majority' || model === 'hsic-svm') return [{ ...base, key: `${ds.name}/split=${split}/${model}`, kappa: null, lr: null }];
        const grid = gridOf(config, model);
        if (model === 'l1-logistic') return grid.kappas.map((kappa) => ({ ...base, key: `${ds.name}/split=${split}/${model}/kappa=${kappa}`, kappa, lr: null }));
        return grid.kappas.flatMap((kappa) =>
          grid.learningRates.map((lr) => ({ ...base, key: `${ds.name}/split=${split}/${model}/kappa=${kappa}/lr=${lr}`, kappa, lr })),
        );
      }),
    ).flat(),
  );
}

export const geneSelectionTask = defineTask({
  name: 'gene-selection',
  description: 'Gene selection on microarray data (Table 1): spred-linear/-ensemble on U⊙x, l1-logistic, MLP (WD, L1), HSIC Lasso + SVM; κ and lr chosen on dev; test accuracy and selected genes',
  paper: '§4.2, Eq. 7, Table 1, Table 2, App. A.5',
  schema: geneSelectionConfigSchema,
  fits: geneFits,
  checkInputs: (config): Promise<GeneInputs> => readGeneInputs(config),
  memoryPerWorker,
  describe: (config, inputs) => {
    const sets = inputs.datasets.map(
      (d, i) =>
        `${d.name}: ${d.n} ${d.bound === null ? 'samples' : `rows (labels: authors, ${d.classes.length} labels; one answer per input is right on at most ${(100 * d.bound).toFixed(1)} %)`} (${d.classes.map((c, k) => `${c} ${d.classCounts[k]}`).join(', ')}${d.dropped > 0 ? `; ${d.dropped} unlabelled dropped` : ''}) × ${d.d} genes, ${d.transform}; split ${splitMode(config.datasets[i]) === 'authors' ? '64/16/20 unstratified (authors)' : `${config.trainFraction}/${config.devFraction}/${+(1 - config.trainFraction - config.devFraction).toFixed(6)} stratified`}, preprocessing ${config.datasets[i].preprocess === 'authors' ? 'authors (all samples)' : 'on training rows'}`,
    );
    const n = geneFits(config).length;
    return `${sets.join('; ')}; ${config.splits} split${config.splits === 1 ? '' : 's'}; models ${config.models.join(', ')}; κ × lr ${config.kappas.length} × ${config.learningRates.length}${Object.keys(config.grids).length > 0 ? ` (own grids: ${Object.keys(config.grids).join(', ')})` : ''}; ${n} fits; ${config.optimizer}, ${config.batchSize === undefined ? 'full batch' : `batch ${config.batchSize}`}, ≤ ${config.epochs} epochs, patience ${config.patience}, dev-accuracy ties ${config.earlyStoppingTies}${config.earlyStoppingFrom > 0 ? `, warm-up ${config.earlyStoppingFrom} epochs` : ''}`;
  },
  load: () => require('./fits').geneSelectionImplementation,
});
