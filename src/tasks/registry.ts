import type { z } from 'zod';
import { lassoConfigSchema } from './lasso/config';
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
}

export const TASKS: readonly TaskDefinition[] = [
  {
    name: 'lasso',
    description: 'Orthogonal-design lasso: spred and naive L1 vs the closed-form soft threshold (sparse ratio, trajectory)',
    paper: '§4.1, Fig. 2 left, App. A.1–A.2',
    schema: lassoConfigSchema,
    loadRunner: () => require('./lasso/run').runLasso,
  },
];

export const TASK_NAMES = TASKS.map((t) => t.name);

export function findTask(name: string): TaskDefinition | undefined {
  return TASKS.find((t) => t.name === name);
}
