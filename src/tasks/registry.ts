import { resolveConfig, type ConfigSchemas, type ResolveOptions, type ResolvedConfigBase } from '../config/resolve';
import { geneSelectionTask } from './gene_selection/task';
import { lassoTask } from './lasso/task';
import { lassoScalingTask } from './lasso_scaling/task';
import { mlpNodeSparsityTask } from './mlp_node_sparsity/task';
import { sparseCodingTask } from './sparse_coding/task';
import { resnetPruningTask } from './resnet_pruning/task';
import type { Task } from './task';

/**
 * Every task, one line each. Adding a task is a `src/tasks/<task>/` folder exporting a definition made
 * with `defineTask` (src/tasks/task.ts) and one line here. Definitions load TensorFlow.js and their
 * trainers only when a fit runs, so `spred list` and `spred validate` stay fast.
 */
export const TASKS: readonly Task[] = [lassoTask, lassoScalingTask, mlpNodeSparsityTask, geneSelectionTask, sparseCodingTask, resnetPruningTask];

export const TASK_NAMES = TASKS.map((t) => t.name);

export function findTask(name: string): Task | undefined {
  return TASKS.find((t) => t.name === name);
}

/** The task schemas, as `src/config` takes them (it knows no task list itself). */
export const TASK_SCHEMAS: ConfigSchemas = { names: TASK_NAMES, schemaOf: (name) => findTask(name)?.schema };

/** `resolveConfig` over the registered tasks: what the commands call. */
export function resolveTaskConfig(file: string, opts?: ResolveOptions): ResolvedConfigBase {
  return resolveConfig(file, TASK_SCHEMAS, opts);
}
