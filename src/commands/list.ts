import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveTaskConfig } from '../tasks/registry';
import { SpredError } from '../errors';
import { packageRoot } from '../paths';
import { TASKS } from '../tasks/registry';

/**
 * How to name `file` for a user in `cwd`: relative to `cwd` when it lies below it (`configs/lasso.json`
 * in this repository, `node_modules/spred/configs/lasso.json` in a project that installed spred), else
 * absolute, so every path printed can be passed to `spred run` as it is.
 */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** The package's configs/ folder, as `displayPath` names it. */
export function shippedConfigsDir(cwd: string = process.cwd()): string {
  return `${displayPath(path.join(packageRoot(), 'configs'), cwd)}${path.sep}`;
}

/**
 * Configs shipped in the package's configs/ folder, with the task each one runs; `file` is a path that
 * works from `cwd` (see `displayPath`).
 */
export function shippedConfigs(cwd: string = process.cwd()): { file: string; task: string; error?: string }[] {
  const dir = path.join(packageRoot(), 'configs');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(json|ya?ml)$/i.test(f))
    .sort()
    .map((f) => {
      const file = displayPath(path.join(dir, f), cwd);
      try {
        return { file, task: resolveTaskConfig(path.join(dir, f)).task };
      } catch (e) {
        if (!(e instanceof SpredError)) throw e;
        return { file, task: '?', error: e.message };
      }
    });
}

export async function listCommand(): Promise<void> {
  const out: string[] = ['Tasks:'];
  const w = Math.max(...TASKS.map((t) => t.name.length));
  for (const t of TASKS) out.push(`  ${t.name.padEnd(w)}  ${t.description} [paper ${t.paper}]`);
  out.push('', `Configs (${shippedConfigsDir()}):`);
  const configs = shippedConfigs();
  const width = Math.max(36, ...configs.map((c) => c.file.length));
  for (const c of configs) out.push(`  ${c.file.padEnd(width)}  ${c.task}${c.error ? `  INVALID: ${c.error}` : ''}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
