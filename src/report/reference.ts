/**
 * Reference files: the numbers a run must reproduce, with tolerances, checked by `spred check` in CI.
 * One file per config, `reference/<config name>.json`:
 *
 *     {
 *       "config": "lasso-smoke",
 *       "description": "what these numbers are and where they come from",
 *       "checks": [
 *         { "name": "spred matches the closed-form sparse ratio", "file": "sparsity.csv",
 *           "where": { "method": "spred" }, "column": "sparse_ratio_error", "aggregate": "max",
 *           "expect": { "max": 0.01 }, "source": "paper Fig. 2 left" }
 *       ]
 *     }
 *
 * A check selects the rows of a CSV of the run whose cells equal every `where` entry, aggregates one
 * column over them, and compares the result with `expect`:
 * - `{ "value": v, "tolerance": t }` passes when |observed − v| ≤ t;
 * - `{ "min": a }`, `{ "max": b }` or both pass when a ≤ observed ≤ b.
 * Aggregates: `max`, `min`, `mean`, `median` (every selected cell must be a number), `first`, `last`
 * (in file order) and `count` (selected rows; with `column`, selected rows whose cell is not empty).
 * Unknown keys anywhere are errors, so a misspelt `tolerence` cannot silently loosen a check.
 *
 * `resolvedConfig` (required) is the resolved config the numbers were made from; a run of another
 * config (`--set`, `--seed`, an edited config file) is reported as not comparable rather than judged.
 */
import * as fs from 'node:fs';
import { z } from 'zod';
import { formatIssues } from '../config/format_issues';
import { UsageError } from '../errors';

export const AGGREGATES = ['max', 'min', 'mean', 'median', 'first', 'last', 'count'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

const whereValue = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: 'expected a string, number, boolean or null (the cell value to select)',
});

export const expectSchema = z
  .strictObject({
    /** Expected value; needs `tolerance`. */
    value: z.number().optional(),
    /** Largest accepted |observed − value|. */
    tolerance: z.number().nonnegative().optional(),
    /** Smallest accepted value (inclusive). */
    min: z.number().optional(),
    /** Largest accepted value (inclusive). */
    max: z.number().optional(),
  })
  .superRefine((e, ctx) => {
    if (e.value !== undefined) {
      if (e.tolerance === undefined) ctx.addIssue({ code: 'custom', path: ['tolerance'], message: 'required with "value"' });
      for (const k of ['min', 'max'] as const) {
        if (e[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: 'use either "value" and "tolerance", or "min"/"max"' });
      }
    } else if (e.tolerance !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'required with "tolerance"' });
    } else if (e.min === undefined && e.max === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'expected "value" and "tolerance", or "min" and/or "max"' });
    } else if (e.min !== undefined && e.max !== undefined && e.min > e.max) {
      ctx.addIssue({ code: 'custom', path: ['min'], message: `min ${e.min} is greater than max ${e.max}` });
    }
  });

export type Expectation = z.infer<typeof expectSchema>;

export const checkSchema = z
  .strictObject({
    /** Shown in the table and in the error naming failed checks; unique within the file. */
    name: z.string().min(1),
    /** A CSV file of the run, relative to the run directory. */
    file: z
      .string()
      .min(1)
      .refine((f) => !f.startsWith('/') && !f.split(/[\\/]/).includes('..'), 'must be a path inside the run directory'),
    /** Row filter: column → value; a row is selected when every cell equals its value. Default: every row. */
    where: z.record(z.string(), whereValue).default({}),
    /** The column to aggregate (snake_case, as in the CSV header); optional only for `count`. */
    column: z.string().min(1).optional(),
    aggregate: z.enum(AGGREGATES),
    expect: expectSchema,
    /** Where the expected number comes from (paper figure, accepted run). */
    source: z.string().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.column === undefined && c.aggregate !== 'count') {
      ctx.addIssue({ code: 'custom', path: ['column'], message: `required for aggregate "${c.aggregate}"` });
    }
  });

export type Check = z.infer<typeof checkSchema>;

export const referenceSchema = z
  .strictObject({
    /** The config name this file is for; must match the file name and the run's `config.json` name. */
    config: z.string().min(1),
    /** What these numbers are and where they come from. */
    description: z.string().min(1),
    checks: z.array(checkSchema).min(1),
    /**
     * The resolved config (`config.json` of a run: defaults filled in) these numbers were made from.
     * A run whose resolved config differs from it (ignoring IGNORED_CONFIG_FIELDS) is not comparable
     * and `spred check` says so instead of judging it. Written by `npm run reference:configs`
     * (src/report/reference_configs.ts) from `configs/<config>.*`, never by hand.
     */
    resolvedConfig: z.record(z.string(), z.unknown(), {
      error: (iss) =>
        iss.input === undefined
          ? 'missing: the resolved config these numbers were made from (`npm run reference:configs` writes it)'
          : 'expected an object: the resolved config these numbers were made from',
    }),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.checks.forEach((c, i) => {
      if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: ['checks', i, 'name'], message: `duplicate check name "${c.name}"` });
      seen.add(c.name);
    });
  });

export type Reference = z.infer<typeof referenceSchema>;

/**
 * Top-level config fields that do not change a run's numbers, so a run may differ from its reference in
 * them: `output` (where results go; `--out`), `backend` (`auto` already means whichever backend loads,
 * and the model code is backend-agnostic) and `description` (prose).
 */
export const IGNORED_CONFIG_FIELDS = ['output', 'backend', 'description'] as const;

/** Validates parsed JSON as a reference file; a `UsageError` naming `file` and every bad field otherwise. */
export function parseReference(raw: unknown, file: string): Reference {
  const parsed = referenceSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(formatIssues(file, parsed.error.issues));
  return parsed.data;
}

/** Reads and validates a reference file. */
export function loadReference(file: string): Reference {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: ${code === 'ENOENT' ? 'no such reference file' : (e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  return parseReference(raw, file);
}

/** `{ max: 0.01 }` → `<= 0.01`; `{ value: 0, tolerance: 1e-4 }` → `0 +/- 0.0001`; both bounds → `in [a, b]`. */
export function describeExpectation(e: Expectation): string {
  if (e.value !== undefined) return `${e.value} +/- ${e.tolerance}`;
  if (e.min !== undefined && e.max !== undefined) return `in [${e.min}, ${e.max}]`;
  if (e.min !== undefined) return `>= ${e.min}`;
  return `<= ${e.max}`;
}

/** Whether `x` meets `e`. Not-a-number and infinite values never do. */
export function meetsExpectation(x: number, e: Expectation): boolean {
  if (!Number.isFinite(x)) return false;
  if (e.value !== undefined) return Math.abs(x - e.value) <= (e.tolerance ?? 0);
  return (e.min === undefined || x >= e.min) && (e.max === undefined || x <= e.max);
}
