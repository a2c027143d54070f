import { defineTask } from '../task';
import { sparseCodingConfigSchema, type SparseCodingConfig, type SparseCodingMethod } from './config';
import { readSparseCodingPatches, type SparseCodingPatches } from './data';

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
  checkInputs: (config): SparseCodingPatches => readSparseCodingPatches(config),
  describe: (config, p) => {
    const t = config.training;
    return (
      `${p.files.length} images from ${config.data.images}${config.data.whiten ? ` whitened (f0 ${config.data.f0} cycles/px)` : ''}: ` +
      `${p.count} training + ${p.heldOutCount} held-out patches of ${p.patchSize}×${p.patchSize}; k = ${config.atoms} atoms, α = ${config.alpha}; ` +
      `${config.methods.join(', ')}; ${t.epochs} epochs of batches of ${t.batchSize}`
    );
  },
  defaultWorkers: 1,
  serialReason: 'the methods are compared by wall time; fits side by side would share the cores',
  load: () => require('./fits').sparseCodingImplementation,
});
