/**
 * CSV in and out. One row per (method, setting, repeat); headers in snake_case so the files load as
 * they are in pandas or R.
 *
 * Cell encoding, chosen so `readCsv(writeCsv(rows))` gives the rows back:
 * - numbers: JavaScript's shortest round-trip decimal (`String(x)`: `0.1`, `1e-7`, `NaN`,
 *   `Infinity`), never locale-formatted, never rounded;
 * - booleans: `true` / `false` (csv-stringify's default would write `1` and an empty cell);
 * - `null` and `undefined`: an empty cell;
 * - strings: as they are, quoted when they hold a comma, quote or newline.
 * Reading casts a cell that is a decimal number (or `NaN`, `Infinity`, `-Infinity`) to a number,
 * `true`/`false` to a boolean and an empty cell to `null`; every other cell stays a string. So a
 * string cell that looks like a number (`"007"`) comes back as a number.
 */
import * as fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DataError, RunError } from '../errors';
import { writeFileAtomic } from './atomic';

export type CsvValue = string | number | boolean | null;

/** A CSV record as read back: column name → cell. */
export type CsvRow = Record<string, CsvValue>;

/**
 * What `writeCsv` accepts: any object whose values are cells. Row interfaces (`SparsityRow`) fit
 * as they are, without an index signature; optional fields become empty cells.
 */
export type CsvRecord<T> = { [K in keyof T]: CsvValue | undefined };

/** `sparseRatio` → `sparse_ratio`, `L1Norm` → `l1_norm`, `wall-seconds` → `wall_seconds`. */
export function toSnakeCase(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/** Every key of every row, in first-seen order. */
function inferColumns(rows: readonly object[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const k of Object.keys(row)) seen.add(k);
  return [...seen];
}

/**
 * The CSV text for `rows`. `columns` (keys of the rows) selects and orders the columns; by default
 * every key that occurs, in first-seen order. Headers are the snake_case of the keys.
 */
export function formatCsv<T extends CsvRecord<T>>(rows: readonly T[], columns?: readonly (keyof T & string)[]): string {
  const keys: string[] = columns ? [...columns] : inferColumns(rows);
  const headers = keys.map(toSnakeCase);
  const clash = headers.findIndex((h, i) => h === '' || headers.indexOf(h) !== i);
  if (clash >= 0) {
    const same = keys.filter((_, i) => headers[i] === headers[clash]);
    throw new RunError(`CSV columns ${same.map((k) => JSON.stringify(k)).join(', ')} give the same header '${headers[clash]}'`);
  }
  if (keys.length === 0) return '';
  return stringify(rows as unknown as Record<string, unknown>[], {
    header: true,
    columns: keys.map((key, i) => ({ key, header: headers[i] })),
    cast: {
      number: (x: number) => String(x),
      boolean: (b: boolean) => (b ? 'true' : 'false'),
    },
  });
}

/** Writes `rows` to `file` atomically (see `writeFileAtomic`); `columns` as in `formatCsv`. */
export function writeCsv<T extends CsvRecord<T>>(file: string, rows: readonly T[], columns?: readonly (keyof T & string)[]): void {
  writeFileAtomic(file, formatCsv(rows, columns));
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The typed value of one CSV cell (see the module comment). */
export function castCell(cell: string): CsvValue {
  if (cell === '') return null;
  if (cell === 'true') return true;
  if (cell === 'false') return false;
  if (DECIMAL.test(cell) || cell === 'NaN' || cell === 'Infinity' || cell === '-Infinity') return Number(cell);
  return cell;
}

/** Parses CSV text with a header row into typed records; `file` names the source in errors. */
export function parseCsv(text: string, file = '<csv>'): CsvRow[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (e) {
    throw new DataError(`${file}: ${(e as Error).message}`);
  }
  return records.map((rec) => {
    const row: CsvRow = {};
    for (const [k, v] of Object.entries(rec)) row[k] = castCell(v);
    return row;
  });
}

/** Reads a CSV file with a header row. A missing or malformed file is a `DataError` naming it. */
export function readCsv(file: string): CsvRow[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(`${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  return parseCsv(text, file);
}
