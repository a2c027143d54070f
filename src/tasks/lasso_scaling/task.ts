import { readProblemNpy, type NpyProblem } from '../../data/npy';
import { DataError, SpredError, UsageError } from '../../errors';
import { requireMemory } from '../../results/memory';
import { defineTask } from '../task';
import { lassoScalingConfigSchema, type LassoScalingConfig } from './config';

/** One problem: a synthetic (d, m), or the `.npy` files. Every λ ratio, repeat and method runs on it. */
export type ScalingFit = { key: string; source: 'synthetic'; d: number; m: number } | { key: string; source: 'npy' };

export function scalingFits(config: LassoScalingConfig): ScalingFit[] {
  const p = config.problem;
  if (p.source === 'npy') return [{ key: 'npy', source: 'npy' }];
  return p.features.flatMap((d) => p.outputs.map((m): ScalingFit => ({ key: `d=${d}/m=${m}`, source: 'synthetic', d, m })));
}

/** The `.npy` problem, read and checked (shapes, dtypes, finite values); nothing for synthetic problems. */
export type ScalingInputs = { x: string; y: string; problem: NpyProblem } | undefined;

function firstNonFinite(data: Float64Array | Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

function checkInputs(config: LassoScalingConfig): ScalingInputs {
  const p = config.problem;
  if (p.source === 'synthetic') {
    const d = Math.max(...p.features);
    const m = Math.max(...p.outputs);
    if (p.design === 'orthogonal' && p.samples < d) {
      throw new UsageError(`problem.samples: the orthogonal design needs samples ≥ every features value, got ${p.samples} < ${d}`);
    }
    // The largest problem: X in float64 (generated, then column-major) and float32 twice on the backend (X and Xᵀ), Y.
    requireMemory('problem.samples × problem.features', p.samples * d * (8 + 8 + 4 + 4) + p.samples * m * 16);
    return undefined;
  }
  let problem: NpyProblem;
  try {
    problem = readProblemNpy(p.x, p.y);
  } catch (e) {
    if (e instanceof SpredError) throw new UsageError(`problem.x/problem.y: ${e.message}`);
    throw e;
  }
  for (const [field, path, data] of [['problem.x', p.x, problem.X.data], ['problem.y', p.y, problem.Y.data]] as const) {
    const at = firstNonFinite(data);
    if (at >= 0) throw new DataError(`${field} (${path}): value ${data[at]} at flat index ${at}; the lasso needs finite numbers`);
  }
  return { x: p.x, y: p.y, problem };
}

export const lassoScalingTask = defineTask({
  name: 'lasso-scaling',
  description: 'High-dimensional lasso: spred (GD, Adam) timed against coordinate descent, LARS and FISTA as d grows',
  paper: '§4.1 "High-dimensional Lasso", Fig. 2 right',
  schema: lassoScalingConfigSchema,
  fits: scalingFits,
  describe: (config, inputs) => {
    const p = config.problem;
    const what = inputs ? `the problem of ${inputs.x} and ${inputs.y} (N=${inputs.problem.X.rows}, d=${inputs.problem.X.cols}, m=${inputs.problem.Y.cols})` : `d ∈ {${p.source === 'synthetic' ? p.features.join(', ') : ''}}, m ∈ {${p.source === 'synthetic' ? p.outputs.join(', ') : ''}}`;
    return `${what}; λ = {${config.lambdaRatios.join(', ')}}·λ_max; methods ${config.methods.join(', ')}; ${config.repeats} repeat${config.repeats === 1 ? '' : 's'}`;
  },
  checkInputs,
  defaultWorkers: 1,
  serialReason:
    'lasso-scaling measures wall time: fits running side by side share memory bandwidth and slow each other (the timings are then not comparable with a serial run)',
  load: () => require('./fits').scalingImplementation,
});
