/**
 * Keeps each reference file's `resolvedConfig` equal to what its config resolves to today:
 * `reference/<name>.json` gets `resolveTaskConfig('configs/<name>.{json,yaml,yml}')`, so it is never typed
 * by hand. Run after changing a smoke config or a task's defaults (and re-measure the numbers):
 *
 *     npm run build && npm run reference:configs
 *
 * A test (reference_configs.test.ts) fails while any shipped reference is out of date.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveTaskConfig } from '../tasks/registry';
import { packageRoot } from '../paths';

const CONFIG_EXTENSIONS = ['.json', '.yaml', '.yml'];

/** `configs/<name>.json|yaml|yml` in `configsDir`, or undefined. */
export function configFileFor(configsDir: string, name: string): string | undefined {
  return CONFIG_EXTENSIONS.map((ext) => path.join(configsDir, `${name}${ext}`)).find((f) => fs.existsSync(f));
}

/** The resolved config of `file` as a reference records it (JSON round trip: what a run writes). */
export function referenceConfigOf(file: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(resolveTaskConfig(file))) as Record<string, unknown>;
}

function inline(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')} }`;
  }
  return JSON.stringify(v);
}

/**
 * JSON in the reference files' style: two-space indent, with small objects (a check's `where`,
 * `expect`) and arrays of numbers or strings on one line when that line stays within 110 characters.
 */
export function formatReferenceJson(value: unknown): string {
  const render = (v: unknown, indent: string, depth: number, keyLength: number): string => {
    if (typeof v !== 'object' || v === null) return JSON.stringify(v);
    const one = inline(v);
    const leafArray = Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null);
    if ((leafArray || depth >= 3) && indent.length + keyLength + one.length <= 110) return one;
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[\n${v.map((x) => `${inner}${render(x, inner, depth + 1, 0)}`).join(',\n')}\n${indent}]`;
    }
    const entries = Object.entries(v);
    if (entries.length === 0) return '{}';
    const body = entries.map(([k, x]) => {
      const key = `${JSON.stringify(k)}: `;
      return `${inner}${key}${render(x, inner, depth + 1, key.length)}`;
    });
    return `{\n${body.join(',\n')}\n${indent}}`;
  };
  return `${render(value, '', 0, 0)}\n`;
}

/**
 * Sets `resolvedConfig` in every `<referenceDir>/<name>.json` from `<configsDir>/<name>.*`; returns
 * the files whose content changed. A reference without a config of its name is an error.
 */
export function updateReferenceConfigs(referenceDir: string, configsDir: string): string[] {
  const changed: string[] = [];
  for (const f of fs.readdirSync(referenceDir).filter((x) => x.endsWith('.json')).sort()) {
    const file = path.join(referenceDir, f);
    const name = f.slice(0, -'.json'.length);
    const configFile = configFileFor(configsDir, name);
    if (!configFile) throw new Error(`${file}: no config ${name}.json/.yaml/.yml in ${configsDir}`);
    const text = fs.readFileSync(file, 'utf8');
    const ref = JSON.parse(text) as Record<string, unknown>;
    const next = formatReferenceJson({ ...ref, resolvedConfig: referenceConfigOf(configFile) });
    if (next !== text) {
      fs.writeFileSync(file, next);
      changed.push(file);
    }
  }
  return changed;
}

if (require.main === module) {
  const root = packageRoot();
  const changed = updateReferenceConfigs(path.join(root, 'reference'), path.join(root, 'configs'));
  process.stdout.write(changed.length > 0 ? `updated: ${changed.join(', ')}\n` : 'every reference is up to date\n');
}
