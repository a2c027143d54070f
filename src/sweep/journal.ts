/**
 * The journal of a run: `fits.jsonl` in the run directory, one line per finished fit (its result or
 * its error), appended as each fit completes. A killed run loses only the fits in flight; `--resume`
 * and `spred merge` read it back. A last line cut off by a kill is ignored.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from '../errors';
import type { ErasedOutcome } from '../tasks/task';
import { decode, encode } from './codec';

export const JOURNAL_FILE = 'fits.jsonl';

export function journalPath(dir: string): string {
  return path.join(dir, JOURNAL_FILE);
}

/** Appends one outcome as a line; the write is one `write(2)` of the whole line. */
export function appendOutcome(dir: string, outcome: ErasedOutcome): void {
  fs.appendFileSync(journalPath(dir), `${encode(outcome)}\n`);
}

function isOutcome(v: unknown): v is ErasedOutcome {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.index === 'number' && typeof o.key === 'string' && typeof o.ok === 'boolean' && typeof o.seconds === 'number';
}

/**
 * The outcomes in `dir`'s journal, the latest per fit key (a fit that failed and then succeeded on
 * `--resume` counts as succeeded). Missing journal: none. A malformed line other than a cut-off
 * last one is a `DataError` naming the line.
 */
export function readJournal(dir: string): ErasedOutcome[] {
  const file = journalPath(dir);
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  // What follows the last newline is empty, or a line cut off by a kill.
  const complete = text.split('\n').slice(0, -1);
  const byKey = new Map<string, ErasedOutcome>();
  complete.forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = decode(line);
    } catch {
      throw new DataError(`${file}:${i + 1}: not a JSON line`);
    }
    if (!isOutcome(v)) throw new DataError(`${file}:${i + 1}: not a fit outcome (needs index, key, ok, seconds)`);
    byKey.set(v.key, v);
  });
  return [...byKey.values()];
}
