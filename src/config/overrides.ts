import { UsageError } from '../errors';

export interface Override {
  path: string[];
  value: unknown;
  /** The flag as the user wrote it, for error messages. */
  source: string;
}

/**
 * Parses `a.b.c=value`. The value is JSON when it parses as JSON (`5e-4`, `true`, `[1,2]`,
 * `{"x":1}`), otherwise the raw string (`--set name=run-7`).
 */
export function parseOverride(flag: string): Override {
  const eq = flag.indexOf('=');
  if (eq <= 0) throw new UsageError(`--set ${flag}: expected path=value, e.g. --set problem.samples=200`);
  const key = flag.slice(0, eq).trim();
  const raw = flag.slice(eq + 1);
  const path = key.split('.');
  if (path.some((p) => p.length === 0)) throw new UsageError(`--set ${flag}: empty segment in path '${key}'`);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  return { path, value, source: flag };
}

function isContainer(x: unknown): x is Record<string, unknown> | unknown[] {
  return typeof x === 'object' && x !== null;
}

/**
 * The overrides `applyOverrides` applied to a file's config in the current synchronous turn. The
 * resolver validates the overridden config right after applying them, in the same turn; the schema's
 * issues then come back to `formatIssues` (format_issues.ts), which reads this to name the `--set`
 * argument behind an issue (`--set iterations=abc: expected number`) instead of blaming the file.
 * Cleared at the end of the turn, so it never outlives that validation.
 */
let applied: { file: string; overrides: readonly Override[] } | null = null;

/** The overrides just applied to `file` (see `applied`); empty when there are none. */
export function overridesAppliedTo(file: string): readonly Override[] {
  return applied !== null && applied.file === file ? applied.overrides : [];
}

/**
 * Applies overrides to a copy of `config`. Every path must already exist in `config` (the resolved
 * config, defaults filled in), so a typo is an error rather than a silently ignored key.
 */
export function applyOverrides(file: string, config: unknown, overrides: readonly Override[]): unknown {
  const mine = { file, overrides };
  applied = mine;
  queueMicrotask(() => {
    if (applied === mine) applied = null;
  });
  const out: unknown = structuredClone(config);
  for (const o of overrides) {
    let node: unknown = out;
    for (let i = 0; i < o.path.length - 1; i++) {
      const seg = o.path[i];
      if (!isContainer(node) || !(seg in node)) {
        throw new UsageError(`${file}: --set ${o.source}: no field '${o.path.slice(0, i + 1).join('.')}' in the config`);
      }
      node = (node as Record<string, unknown>)[seg];
    }
    const last = o.path[o.path.length - 1];
    if (!isContainer(node) || !(last in node)) {
      throw new UsageError(`${file}: --set ${o.source}: no field '${o.path.join('.')}' in the config`);
    }
    (node as Record<string, unknown>)[last] = o.value;
  }
  return out;
}
