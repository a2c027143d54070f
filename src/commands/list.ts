import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveTaskConfig } from '../tasks/registry';
import { SpredError } from '../errors';
import { packageRoot } from '../paths';
import { TASKS } from '../tasks/registry';

/** Configs shipped in the package's configs/ folder, with the task each one runs. */
export function shippedConfigs(): { file: string; task: string; error?: string }[] {
  const dir = path.join(packageRoot(), 'configs');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(json|ya?ml)$/i.test(f))
    .sort()
    .map((f) => {
      const file = path.join('configs', f);
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
  out.push('', 'Configs (configs/):');
  for (const c of shippedConfigs()) out.push(`  ${c.file.padEnd(36)}  ${c.task}${c.error ? `  INVALID: ${c.error}` : ''}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
