/**
 * `spred check`: evaluates a reference file (see reference.ts) against a run directory's CSVs.
 * A check never passes vacuously: a missing file, a `where` that selects no rows, a missing column or
 * a non-number where a number is needed all fail the check, with a note saying which.
 * (`count` is the one aggregate for which zero selected rows is itself the observation.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../errors';
import { mean, median } from '../numeric/statistics';
import { readCsv, type CsvRow, type CsvValue } from '../results/csv';
import { readManifest, type RunStatus } from '../results/manifest';
import { CONFIG_FILE } from '../results/run';
import { configDifferences, describeValue } from './config_diff';
import { describeExpectation, IGNORED_CONFIG_FIELDS, loadReference, meetsExpectation, type Aggregate, type Check } from './reference';

/**
 * The run cannot be judged against the reference: it was made from another resolved config, it did not
 * complete, or a file the reference reads is missing. Exit 2 (like bad input), never 1: a regression is
 * only ever a completed run of the reference's own config whose numbers are out of range.
 */
export class NotComparableError extends UsageError {}

export interface CheckResult {
  name: string;
  file: string;
  column: string | null;
  aggregate: Aggregate;
  where: Record<string, CsvValue>;
  /** The aggregated value; null when nothing could be observed (see `note`). */
  observed: CsvValue;
  /** The expectation as text, e.g. `<= 0.01`. */
  expectation: string;
  pass: boolean;
  /** Rows selected by `where`. */
  rows: number;
  /** Why the check failed when it is not simply out of range; else null. */
  note: string | null;
  source: string | null;
}

export interface CheckReport {
  runDir: string;
  /** The run's config name (`config.json` field `name`). */
  config: string;
  referenceFile: string;
  /** The manifest's status, or null when the run directory has no manifest. */
  runStatus: RunStatus | null;
  results: CheckResult[];
  /** Every check passed. */
  passed: boolean;
}

function describeWhere(where: Record<string, CsvValue>): string {
  const parts = Object.entries(where).map(([k, v]) => `${k}=${v === null ? '(empty)' : String(v)}`);
  return parts.length > 0 ? parts.join(', ') : '(all rows)';
}

/** A cell equals a `where` value when it is the same value, or prints the same (`"1"` vs `1`). */
function cellMatches(cell: CsvValue | undefined, want: CsvValue): boolean {
  if (cell === undefined) return false;
  return cell === want || (cell !== null && want !== null && String(cell) === String(want));
}

type Observation = { observed: CsvValue; note: string | null };

/** Aggregates `column` over `selected` (1-based CSV line numbers in `lines`, for notes). */
function aggregate(check: Check, selected: CsvRow[], lines: number[]): Observation {
  const col = check.column;
  if (check.aggregate === 'count') {
    return { observed: col ? selected.filter((r) => r[col] !== null).length : selected.length, note: null };
  }
  if (selected.length === 0) return { observed: null, note: 'no rows match' };
  const column = col as string;
  if (check.aggregate === 'first' || check.aggregate === 'last') {
    const v = selected[check.aggregate === 'first' ? 0 : selected.length - 1][column];
    return { observed: v, note: typeof v === 'number' ? null : `${check.aggregate} value is not a number` };
  }
  const xs: number[] = [];
  for (let i = 0; i < selected.length; i++) {
    const v = selected[i][column];
    if (typeof v !== 'number') {
      return { observed: null, note: `line ${lines[i]}: ${column} is ${v === null ? 'empty' : JSON.stringify(v)}, not a number` };
    }
    if (Number.isNaN(v)) return { observed: NaN, note: `line ${lines[i]}: ${column} is NaN` };
    xs.push(v);
  }
  switch (check.aggregate) {
    case 'max':
      return { observed: xs.reduce((a, b) => (b > a ? b : a)), note: null };
    case 'min':
      return { observed: xs.reduce((a, b) => (b < a ? b : a)), note: null };
    case 'mean':
      return { observed: mean(xs), note: null };
    case 'median':
      return { observed: median(xs), note: null };
  }
}

/** Evaluates one check on the rows of its file (or the error reading it). */
export function evaluateCheck(check: Check, data: CsvRow[] | Error): CheckResult {
  const where = check.where as Record<string, CsvValue>;
  const base = {
    name: check.name,
    file: check.file,
    column: check.column ?? null,
    aggregate: check.aggregate,
    where,
    expectation: describeExpectation(check.expect),
    source: check.source ?? null,
  };
  const fail = (note: string, rows = 0, observed: CsvValue = null): CheckResult => ({ ...base, observed, pass: false, rows, note });
  if (data instanceof Error) return fail(data.message);
  const columns = new Set(data.flatMap((r) => Object.keys(r)));
  if (data.length === 0) return fail(`${check.file} has no data rows`);
  const unknown = [...Object.keys(where), ...(check.column ? [check.column] : [])].filter((c) => !columns.has(c));
  if (unknown.length > 0) {
    return fail(`${check.file} has no column ${unknown.map((c) => `'${c}'`).join(', ')} (columns: ${[...columns].join(', ')})`);
  }
  const selected: CsvRow[] = [];
  const lines: number[] = [];
  data.forEach((row, i) => {
    if (Object.entries(where).every(([k, v]) => cellMatches(row[k], v))) {
      selected.push(row);
      lines.push(i + 2); // line 1 is the header
    }
  });
  const { observed, note } = aggregate(check, selected, lines);
  if (note !== null) return fail(note === 'no rows match' ? `no rows match where ${describeWhere(where)}` : note, selected.length, observed);
  const x = observed as number;
  return { ...base, observed: x, pass: meetsExpectation(x, check.expect), rows: selected.length, note: Number.isFinite(x) ? null : 'not finite' };
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: ${code === 'ENOENT' ? `missing; is this ${what}?` : (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
}

/** The reference file for config `name`: `reference` is a folder of `<name>.json` files, or one file. */
export function findReferenceFile(reference: string, name: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(reference);
  } catch {
    throw new UsageError(`${reference}: no such reference folder or file`);
  }
  if (!stat.isDirectory()) return reference;
  const file = path.join(reference, `${name}.json`);
  if (!fs.existsSync(file)) {
    const available = fs
      .readdirSync(reference)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .sort();
    throw new UsageError(
      `${file}: no reference file for config '${name}'${available.length > 0 ? `; references exist for: ${available.join(', ')}` : ''}`,
    );
  }
  return file;
}

/**
 * Checks the run in `runDir` against its reference: `<reference>/<name>.json`, where `name` is the
 * `name` field of `<runDir>/config.json` (or `reference` itself when it is a file). Problems with the
 * inputs (no run directory, no or malformed config.json, no or malformed reference file, a reference
 * written for another config) are `UsageError`s; a run the reference cannot judge is a
 * `NotComparableError` (one line, every reason); failing checks are results with `pass: false`.
 */
export function checkRun(runDir: string, reference: string): CheckReport {
  if (!fs.existsSync(runDir) || !fs.statSync(runDir).isDirectory()) throw new UsageError(`${runDir}: no such run directory`);
  const configFile = path.join(runDir, CONFIG_FILE);
  const config = readJson(configFile, 'a run directory written by `spred run`');
  const name = (config as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || name === '') throw new UsageError(`${configFile}: name: expected the config name (a string)`);
  const referenceFile = findReferenceFile(reference, name);
  const ref = loadReference(referenceFile);
  if (ref.config !== name) {
    throw new UsageError(`${referenceFile}: config: is '${ref.config}' but the run in ${runDir} is of config '${name}'`);
  }
  let runStatus: RunStatus | null;
  try {
    runStatus = readManifest(runDir)?.status ?? null;
  } catch (e) {
    throw new UsageError(`${path.join(runDir, 'manifest.json')}: not valid JSON: ${(e as Error).message}`);
  }

  const reasons = notComparableReasons(config, ref.resolvedConfig, runStatus, runDir, ref.checks);
  if (reasons.length > 0) {
    throw new NotComparableError(`${runDir}: not comparable with ${referenceFile}: ${reasons.join('; ')}`);
  }

  const cache = new Map<string, CsvRow[] | Error>();
  const rowsOf = (file: string): CsvRow[] | Error => {
    let data = cache.get(file);
    if (data === undefined) {
      try {
        data = readCsv(path.join(runDir, file));
      } catch (e) {
        data = new Error(`${file}: ${(e as Error).message.replace(/^.*?: /, '')}`);
      }
      cache.set(file, data);
    }
    return data;
  };
  const results = ref.checks.map((c) => evaluateCheck(c, rowsOf(c.file)));
  return { runDir, config: name, referenceFile, runStatus, results, passed: results.every((r) => r.pass) };
}

/**
 * Why the run in `runDir` cannot be judged by the reference (empty when it can): a manifest status
 * other than `completed` (a run without manifest is judged on its files), a resolved config that differs
 * from the reference's outside IGNORED_CONFIG_FIELDS, CSV files the checks read that do not exist.
 */
export function notComparableReasons(
  runConfig: unknown,
  referenceConfig: unknown,
  runStatus: RunStatus | null,
  runDir: string,
  checks: readonly Check[],
): string[] {
  const reasons: string[] = [];
  if (runStatus !== null && runStatus !== 'completed') {
    reasons.push(`the run is ${runStatus} (manifest.json status), not completed, so its numbers are not final`);
  }
  const diffs = configDifferences(runConfig, referenceConfig, IGNORED_CONFIG_FIELDS);
  if (diffs.length > 0) {
    const list = diffs.map((d) => `${d.path} (run ${describeValue(d.a)}, reference ${describeValue(d.b)})`);
    reasons.push(`the run's resolved config (${CONFIG_FILE}) differs from the reference's in ${list.join(', ')}`);
  }
  const missing = [...new Set(checks.map((c) => c.file))].filter((f) => !fs.existsSync(path.join(runDir, f)));
  if (missing.length > 0) reasons.push(`missing ${missing.join(', ')} (the reference reads ${missing.length === 1 ? 'it' : 'them'})`);
  return reasons;
}

/** `0.00341234567` → `0.00341235`; integers as they are; null → `-`. */
export function formatObserved(v: CsvValue): string {
  if (v === null) return '-';
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}

/** A plain-text table, one line per check: `PASS|FAIL  check  observed  expected  rows  note`. */
export function formatCheckTable(results: readonly CheckResult[]): string {
  const header = ['', 'check', 'observed', 'expected', 'rows', 'note'];
  const body = results.map((r) => [
    r.pass ? 'PASS' : 'FAIL',
    r.name,
    formatObserved(r.observed),
    r.expectation,
    String(r.rows),
    r.note ?? '',
  ]);
  const all = [header, ...body];
  const widths = header.map((_, j) => Math.max(...all.map((row) => row[j].length)));
  return all.map((row) => row.map((cell, j) => (j === row.length - 1 ? cell : cell.padEnd(widths[j]))).join('  ').trimEnd()).join('\n');
}
