import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunError, UsageError } from '../errors';

export interface RunDirOptions {
  /** Root of all run outputs (config field `output`, flag `--out`), e.g. `results`. */
  root: string;
  /** Task name; the first folder level under the root. */
  task: string;
  /** Config name (defaults to the config file's base name upstream). */
  name: string;
  /** Start time of the run; default now. Only its UTC second is used. */
  now?: Date;
}

/** `2026-11-23T19:00:00.123Z` → `20261123T190000Z` (UTC, to the second: sorts as text). */
export function utcStamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

const SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Bad input, not a failure while running: the output root (`--out`, config field `output`) or the
 * nearest of its ancestors that exists is not a directory. Checked before anything is created.
 */
function checkRoot(root: string): void {
  for (let p = path.resolve(root); ; p = path.dirname(p)) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return; // let mkdir report it
    }
    if (stat) {
      if (stat.isDirectory()) return;
      const what = p === path.resolve(root) ? root : `${root}: ${p}`;
      throw new UsageError(`output ${what} is a file, not a directory (--out or the config field \`output\`)`);
    }
    if (path.dirname(p) === p) return;
  }
}

/**
 * Creates and returns `<root>/<task>/<name>-<YYYYMMDDTHHMMSSZ>/`. If that folder exists (two runs in
 * the same second) it appends `-2`, `-3`, …; `mkdir` without `recursive` is the lock, so two
 * processes never get the same folder.
 *
 * Contract: call this only after the config has been fully validated (and the backend chosen), so
 * that a bad input never leaves an empty run folder behind. This function does not validate configs;
 * it only refuses a task or name that would escape the root.
 */
export function createRunDir(opts: RunDirOptions): string {
  for (const [field, value] of [['task', opts.task], ['name', opts.name]] as const) {
    if (!SEGMENT.test(value) || value === '.' || value === '..') {
      throw new RunError(`run directory: ${field} ${JSON.stringify(value)} is not a plain folder name`);
    }
  }
  checkRoot(opts.root);
  const parent = path.resolve(opts.root, opts.task);
  const base = `${opts.name}-${utcStamp(opts.now ?? new Date())}`;
  try {
    fs.mkdirSync(parent, { recursive: true });
    for (let i = 1; ; i++) {
      const dir = path.join(parent, i === 1 ? base : `${base}-${i}`);
      try {
        fs.mkdirSync(dir);
        return dir;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || i >= 1000) throw e;
      }
    }
  } catch (e) {
    throw new RunError(`cannot create the run directory under ${parent}: ${(e as Error).message}`);
  }
}
