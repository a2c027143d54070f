import type { z } from 'zod';
import { overridesAppliedTo, type Override } from './overrides';

/** Dotted path of a zod issue: `problem.samples`, `lambdas.3`, or `(root)`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/** The override whose path is `path` or a prefix of it (the last such `--set` wins, as it did). */
function overrideAt(path: readonly string[], overrides: readonly Override[]): Override | undefined {
  return [...overrides].reverse().find((o) => o.path.length <= path.length && o.path.every((seg, i) => seg === path[i]));
}

/**
 * Renders every zod issue on one line: `file: path: message; path: message`. Unknown keys name the
 * key itself (`problem.foo: unknown key`), which is what a user searches their file for. An issue in
 * a value that a `--set` argument just put there names that argument instead of the file:
 * `--set iterations=abc: Invalid input: expected number, received string` (with the rest of the path
 * when the issue lies deeper, `--set problem={…}: x: …`); other issues of an overridden config say
 * which `--set` arguments were applied.
 */
export function formatIssues(file: string, issues: readonly z.core.$ZodIssue[]): string {
  const overrides = overridesAppliedTo(file);
  const fromFile: string[] = [];
  const fromSet: string[] = [];
  const add = (path: readonly PropertyKey[], message: string): void => {
    const segs = path.map(String);
    const o = overrideAt(segs, overrides);
    if (o) fromSet.push(`--set ${o.source}: ${segs.length > o.path.length ? `${segs.slice(o.path.length).join('.')}: ` : ''}${message}`);
    else fromFile.push(`${issuePath(path)}: ${message}`);
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') for (const k of issue.keys) add([...issue.path, k], 'unknown key');
    else add(issue.path, issue.message);
  }
  if (fromFile.length === 0) return fromSet.join('; ');
  const where = overrides.length > 0 ? `${file} (with ${overrides.map((o) => `--set ${o.source}`).join(' ')})` : file;
  return [`${where}: ${fromFile.join('; ')}`, ...fromSet].join('; ');
}
