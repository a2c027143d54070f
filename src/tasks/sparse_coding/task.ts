import { defineTask } from '../task';
import { sparseCodingConfigSchema, type SparseCodingConfig, type SparseCodingMethod } from './config';
import { readSparseCodingImages, type SparseCodingImages } from './data';

/** One method's dictionary (or PCA basis) on the run's patches. */
export interface SparseCodingFit {
  key: string;
  method: SparseCodingMethod;
}

export function sparseCodingFits(config: SparseCodingConfig): SparseCodingFit[] {
  return config.methods.map((method) => ({ key: method, method }));
}

export const sparseCodingTask = defineTask({
  name: 'sparse-coding',
  description: 'Dictionary learning on natural image patches: spred (S = W⊙V by SGD, D by L-BFGS) vs FISTA-alternating, naive L1 and PCA; Gabor fits of the bases',
  paper: '§4.1 "Sparse coding", Eq. 6, Eq. 10, Fig. 3, App. A.3',
  schema: sparseCodingConfigSchema,
  fits: sparseCodingFits,
  checkInputs: (config): SparseCodingImages => readSparseCodingImages(config),
  describe: (config, inputs) => {
    const t = config.training;
    const d = config.data;
    return (
      `${inputs.images.length} images from ${inputs.dir}${d.whiten ? ` whitened (f0 ${d.f0} cycles/px)` : ''}: ` +
      `${d.patches} training + ${d.heldOut} held-out patches of ${d.patchSize}×${d.patchSize}; k = ${config.atoms} atoms, α = ${config.alpha}; ` +
      `${config.methods.join(', ')}; ${t.epochs} epochs of batches of ${t.batchSize}`
    );
  },
  defaultWorkers: 1,
  serialReason: 'the methods are compared by wall time; fits side by side would share the cores',
  load: () => require('./fits').sparseCodingImplementation,
});
