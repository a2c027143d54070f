import type { BackendName } from '../backend';
import * as path from 'node:path';
import { UsageError } from '../errors';
import type { z } from 'zod';
import { formatIssues } from './format_issues';
import { applyOverrides, type Override } from './overrides';
import { readConfigFile } from './parse_file';
import { didYouMean } from './suggest';

/** What every resolved config holds, whatever its task. */
export interface ResolvedConfigBase {
  task: string;
  name: string;
  seed: number;
  backend: BackendName;
  output: string;
  [key: string]: unknown;
}

/** The task schemas, passed in by the caller (src/tasks/registry.ts `TASK_SCHEMAS`): this module knows no task list. */
export interface ConfigSchemas {
  names: readonly string[];
  schemaOf(task: string): z.ZodType | undefined;
}

export interface ResolveOptions {
  overrides?: readonly Override[];
  /** `--seed`, `--backend`, `--out` win over the file and over `--set`. */
  seed?: number;
  backend?: string;
  output?: string;
}

function validate(file: string, raw: unknown, schemas: ConfigSchemas): ResolvedConfigBase {
  const names = schemas.names;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError(`${file}: (root): expected an object with a 'task' field`);
  }
  const task = (raw as Record<string, unknown>).task;
  if (task === undefined) throw new UsageError(`${file}: task: missing; available: ${names.join(', ')}`);
  const schema = typeof task === 'string' ? schemas.schemaOf(task) : undefined;
  if (!schema) {
    throw new UsageError(
      `${file}: task: unknown task ${JSON.stringify(task)}${didYouMean(String(task), names)}; available: ${names.join(', ')}`,
    );
  }
  const parsed = schema.safeParse(raw);
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
export function resolveConfig(file: string, schemas: ConfigSchemas, opts: ResolveOptions = {}): ResolvedConfigBase {
  const raw = readConfigFile(file);
  let config: unknown = validate(file, raw, schemas);
  if (opts.overrides && opts.overrides.length > 0) config = applyOverrides(file, config, opts.overrides);
  const c = config as Record<string, unknown>;
  if (opts.seed !== undefined) c.seed = opts.seed;
  if (opts.backend !== undefined) c.backend = opts.backend;
  if (opts.output !== undefined) c.output = opts.output;
  return validate(file, c, schemas);
}

/** Validates a config that was resolved before (a run directory's `config.json`), as `resolveConfig` does. */
export function revalidateConfig(file: string, raw: unknown, schemas: ConfigSchemas): ResolvedConfigBase {
  return validate(file, raw, schemas);
}
