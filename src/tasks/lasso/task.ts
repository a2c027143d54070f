import { UsageError } from '../../errors';
import { requireMemory } from '../../results/memory';
import { defineTask } from '../task';
import { lassoConfigSchema, type LassoConfig } from './config';
import type { LassoFit } from './fits';

/** The iterative runs of a config: every method × optimizer × learning rate trains all λ at once. */
export function lassoFits(config: LassoConfig): LassoFit[] {
  const closed: LassoFit[] = config.methods.includes('closed-form') ? [{ key: 'closed-form', kind: 'closed-form' }] : [];
  const iterative = config.methods.flatMap((method) =>
    method === 'closed-form'
      ? []
      : config.optimizers.flatMap((optimizer) =>
          config.learningRates.map((learningRate): LassoFit => ({ key: `${method}/${optimizer}/lr=${learningRate}`, kind: 'iterative', method, optimizer, learningRate })),
        ),
  );
  return [...closed, ...iterative];
}

export const lassoTask = defineTask({
  name: 'lasso',
  description: 'Orthogonal-design lasso: spred and naive L1 vs the closed-form soft threshold (sparse ratio, trajectory)',
  paper: '§4.1, Fig. 2 left, App. A.1–A.2',
  schema: lassoConfigSchema,
  fits: lassoFits,
  describe: (config) => {
    const { samples, features, noise } = config.problem;
    const g = config.lambdas.length;
    const runs = lassoFits(config).filter((f) => f.kind === 'iterative').length;
    return `problem: N=${samples} d=${features} noise=${noise}; ${g} λ value${g === 1 ? '' : 's'}; ${runs} run${runs === 1 ? '' : 's'} of ≤${config.iterations} steps, each on every λ at once`;
  },
  checkInputs: (config) => {
    const { samples: n, features: d } = config.problem;
    if (n < d) throw new UsageError(`problem.samples: the orthogonal design needs samples ≥ features, got ${n} < ${d}`);
    // X in float64 and float32, its orthonormalisation and y tiled over the λ grid.
    requireMemory('problem.samples × problem.features', n * d * (8 + 8 + 4) + n * config.lambdas.length * 4);
    return undefined;
  },
  load: () => require('./fits').lassoImplementation,
});
