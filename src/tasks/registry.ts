import type { z } from 'zod';
import { lassoConfigSchema } from './lasso/config';
import { locateDataset } from '../data/datasets';
import { readProblemNpy } from '../data/npy';
import { lassoScalingConfigSchema, type LassoScalingConfig } from './lasso_scaling/config';
import { mlpNodeSparsityConfigSchema, type MlpNodeSparsityConfig } from './mlp_node_sparsity/config';
import type { TaskContext } from './task_context';

/**
 * One registry of tasks. Adding a task means a `src/tasks/<task>/` folder (config schema + runner)
 * and one entry here. Runners are required lazily so `spred list` and `spred validate` do not load
 * TensorFlow.js.
 */
export interface TaskDefinition {
  name: string;
  description: string;
  /** Paper section the task reproduces. */
  paper: string;
  schema: z.ZodType;
  loadRunner: () => (config: never, ctx: TaskContext) => Promise<void>;
  /**
   * Checks the inputs a config names (data sets, `.npy` files) before the run directory exists, so a
   * missing or malformed file is a one-line exit 2 that writes nothing.
   */
  checkInputs?: (config: never) => void;
}

export const TASKS: readonly TaskDefinition[] = [
  {
    name: 'lasso',
    description: 'Orthogonal-design lasso: spred and naive L1 vs the closed-form soft threshold (sparse ratio, trajectory)',
    paper: '§4.1, Fig. 2 left, App. A.1–A.2',
    schema: lassoConfigSchema,
    loadRunner: () => require('./lasso/run').runLasso,
  },
  {
    name: 'lasso-scaling',
    description: 'High-dimensional lasso: spred (GD, Adam) timed against coordinate descent, LARS and FISTA as d grows',
    paper: '§4.1 "High-dimensional Lasso", Fig. 2 right',
    schema: lassoScalingConfigSchema,
    loadRunner: () => require('./lasso_scaling/run').runLassoScaling,
    checkInputs: (config: LassoScalingConfig) => {
      if (config.problem.source === 'npy') readProblemNpy(config.problem.x, config.problem.y);
    },
  },
  {
    name: 'mlp-node-sparsity',
    description: 'Node sparsity of a 784→H→10 network: weight decay (implicit, ReLU/swish) vs spred with one scalar per hidden unit',
    paper: '§5.1, Fig. 4',
    schema: mlpNodeSparsityConfigSchema,
    loadRunner: () => require('./mlp_node_sparsity/run').runMlpNodeSparsity,
    checkInputs: (config: MlpNodeSparsityConfig) => {
      locateDataset(config.data.dataset, { path: config.data.path });
    },
  },
];

export const TASK_NAMES = TASKS.map((t) => t.name);

export function findTask(name: string): TaskDefinition | undefined {
  return TASKS.find((t) => t.name === name);
}
