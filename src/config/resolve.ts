import * as path from 'node:path';
import { UsageError } from '../errors';
import { findTask, TASK_NAMES } from '../tasks/registry';
import { formatIssues } from './format_issues';
import { applyOverrides, type Override } from './overrides';
import { readConfigFile } from './parse_file';
import { didYouMean } from './suggest';

/** What every resolved config holds, whatever its task. */
export interface ResolvedConfigBase {
  task: string;
  name: string;
  seed: number;
  backend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  output: string;
  [key: string]: unknown;
}

export interface ResolveOptions {
  overrides?: readonly Override[];
  /** `--seed`, `--backend`, `--out` win over the file and over `--set`. */
  seed?: number;
  backend?: string;
  output?: string;
}

function validate(file: string, raw: unknown): ResolvedConfigBase {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError(`${file}: (root): expected an object with a 'task' field`);
  }
  const task = (raw as Record<string, unknown>).task;
  if (task === undefined) throw new UsageError(`${file}: task: missing; available: ${TASK_NAMES.join(', ')}`);
  const def = typeof task === 'string' ? findTask(task) : undefined;
  if (!def) {
    throw new UsageError(
      `${file}: task: unknown task ${JSON.stringify(task)}${didYouMean(String(task), TASK_NAMES)}; available: ${TASK_NAMES.join(', ')}`,
    );
  }
  const parsed = def.schema.safeParse(raw);
  if (!parsed.success) throw new UsageError(formatIssues(file, parsed.error.issues));
  const config = parsed.data as ResolvedConfigBase;
  // `name` defaults to the config file's base name: configs/lasso-smoke.json → lasso-smoke.
  if (config.name === undefined) config.name = path.basename(file).replace(/\.(json|ya?ml)$/i, '');
  return config;
}

/**
 * parse → validate (defaults filled) → `--set` on the resolved config (paths must exist) →
 * flags → validate again. The result is what a run writes to `config.json`.
 */
export function resolveConfig(file: string, opts: ResolveOptions = {}): ResolvedConfigBase {
  const raw = readConfigFile(file);
  let config: unknown = validate(file, raw);
  if (opts.overrides && opts.overrides.length > 0) config = applyOverrides(file, config, opts.overrides);
  const c = config as Record<string, unknown>;
  if (opts.seed !== undefined) c.seed = opts.seed;
  if (opts.backend !== undefined) c.backend = opts.backend;
  if (opts.output !== undefined) c.output = opts.output;
  return validate(file, c);
}
