import type { z } from 'zod';

/** Dotted path of a zod issue: `problem.samples`, `lambdas.3`, or `(root)`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/**
 * Renders every zod issue on one line: `file: path: message; path: message`. Unknown keys name the
 * key itself (`problem.foo: unknown key`), which is what a user searches their file for.
 */
export function formatIssues(file: string, issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => `${issuePath([...issue.path, k])}: unknown key`).join('; ');
    }
    return `${issuePath(issue.path)}: ${issue.message}`;
  });
  return `${file}: ${parts.join('; ')}`;
}
