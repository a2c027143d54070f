/**
 * `withRun`: the frame every experiment runner runs in. It owns the run directory, `config.json`,
 * `manifest.json`, progress output and Ctrl-C, so a runner only computes and writes its results:
 *
 *     const dir = await withRun({ root, task, name, config, seed, backend }, async (ctx) => {
 *       ctx.progress.start(grid.length, 'lasso');
 *       for (const point of grid) {
 *         if (ctx.interrupt.interrupted) break;   // or ctx.interrupt.throwIfInterrupted()
 *         rows.push(...); ctx.progress.tick(1, { lambda: point.lambda });
 *       }
 *       ctx.progress.stop();
 *       ctx.writeCsv('sparsity.csv', rows);
 *       ctx.writeSvg('sparsity.svg', await renderSvg(lineChart({ ... })));
 *     });
 *
 * Outcomes, recorded in the manifest and kept on disk:
 * - body returns, no interrupt → `completed`;
 * - body throws `InterruptedError`, or returns after a Ctrl-C (it stopped early, so its results are
 *   partial) → `interrupted`, and `withRun` throws `InterruptedError` (exit 130);
 * - body throws anything else → `failed` with the message, and the error is rethrown as it is.
 * Every file is written atomically, so whatever the outcome each listed file is complete.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BackendChoice } from '../backend';
import { InterruptedError, interruptedBy, RunError } from '../errors';
import { writeFileAtomic } from './atomic';
import { formatCsv, type CsvRecord } from './csv';
import { installInterruptGuard, type InterruptGuard } from './interrupt';
import { MANIFEST_FILE, readManifest, RunManifest, type Manifest, type RunStatus, type SweepInfo } from './manifest';
import { createProgress, type Progress, type ProgressStream } from './progress';
import { createRunDir } from './run_dir';
import { removeEmptyDirs } from '../io/remove_empty_dirs';

export const CONFIG_FILE = 'config.json';
/** Every `ctx.log` line of the run, written at the end when there was any. */
export const LOG_FILE = 'log.txt';
const RESERVED = new Set([CONFIG_FILE, MANIFEST_FILE, LOG_FILE]);

export interface WithRunOptions {
  /** Root of run outputs (config `output`); the run goes to `<root>/<task>/<name>-<UTC time>/`. */
  root: string;
  task: string;
  name: string;
  /** The fully resolved, validated config; written as `config.json`. Must carry `name` for `spred check`. */
  config: unknown;
  seed?: number | null;
  /** The backend `selectBackend` chose (or another run's record of it); recorded in the manifest. */
  backend?: BackendChoice | Manifest['backend'];
  /** Recorded in the manifest; default `process.argv`. */
  argv?: readonly string[];
  /** No progress and no log lines on the stream (they still go to `log.txt`). Default false. */
  quiet?: boolean;
  /** Where progress and log lines go; default process.stderr. */
  stream?: ProgressStream;
  /** Clock; default `() => new Date()`. */
  now?: () => Date;
  /** An interrupt guard to use; default: one installed for the run and disposed after it. */
  interrupt?: InterruptGuard;
  /** A progress reporter to use; default `createProgress({ quiet, stream })`. */
  progress?: Progress;
  /** Continue in this existing run directory (`--resume`) instead of making a new one. */
  dir?: string;
  /** Recorded in the manifest. */
  sweep?: SweepInfo;
  mergedFrom?: string[];
  /** Lines printed before the run directory existed (backend, config): kept at the top of `log.txt`. */
  logPreamble?: readonly string[];
}

export interface RunContext {
  /** Absolute path of the run directory. */
  readonly dir: string;
  /** Writes `<dir>/<name>` as CSV (see `formatCsv`); returns its path. */
  writeCsv<T extends CsvRecord<T>>(name: string, rows: readonly T[], columns?: readonly (keyof T & string)[]): string;
  /** Writes a text file; returns its path. */
  writeText(name: string, text: string): string;
  /** Writes an SVG document (from `renderSvg`); returns its path. */
  writeSvg(name: string, svg: string): string;
  /** Writes pretty JSON; returns its path. */
  writeJson(name: string, value: unknown): string;
  /** Writes binary data (e.g. a `.npy` file); returns its path. */
  writeBytes(name: string, data: Uint8Array): string;
  readonly progress: Progress;
  readonly interrupt: InterruptGuard;
  /** A message for the user: printed (unless quiet) and kept in `log.txt`. */
  log(line: string): void;
  /**
   * Deletes a file the run wrote (a stale `errors.csv` after `--resume`, a checkpoint no longer needed),
   * and the folders inside the run directory it leaves empty; no error if it does not exist.
   */
  removeFile(name: string): void;
  /** Files written so far, relative to `dir`. */
  readonly files: readonly string[];
}

/** `name` as a path inside `dir`; refuses absolute paths, `..` and the files withRun owns. */
function resolveInside(dir: string, name: string): { rel: string; abs: string } {
  const rel = path.posix.normalize(name.replace(/\\/g, '/'));
  if (name === '' || path.isAbsolute(name) || rel.startsWith('../') || rel === '..' || rel === '.') {
    throw new RunError(`run file name ${JSON.stringify(name)} must be a relative path inside the run directory`);
  }
  if (RESERVED.has(rel)) throw new RunError(`run file name ${JSON.stringify(name)} is reserved for the run itself`);
  return { rel, abs: path.join(dir, rel) };
}

/**
 * The bytes of `<dir>/<name>`, a file the run wrote (in this session or an earlier one, before
 * `--resume`), or undefined when there is none. Same names as the writers: relative, inside `dir`.
 */
export function readRunFile(dir: string, name: string): Uint8Array | undefined {
  const { abs } = resolveInside(dir, name);
  try {
    return fs.readFileSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RunError(`cannot read ${abs}: ${messageOf(e)}`);
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs `body` in a fresh run directory and records how it ended (see the module comment). Returns
 * the run directory. Call it only after the config is validated and the backend chosen: creating the
 * directory is its first act.
 */
export async function withRun(opts: WithRunOptions, body: (ctx: RunContext) => Promise<void> | void): Promise<string> {
  const now = opts.now ?? (() => new Date());
  const dir = opts.dir ?? createRunDir({ root: opts.root, task: opts.task, name: opts.name, now: now() });
  const previous = opts.dir ? readManifest(opts.dir) : null;
  const manifest = new RunManifest(dir, {
    task: opts.task,
    name: opts.name,
    seed: opts.seed ?? null,
    backend: opts.backend ?? null,
    argv: opts.argv,
    now,
    sweep: opts.sweep,
    previous,
    mergedFrom: opts.mergedFrom,
  });
  const progress = opts.progress ?? createProgress({ quiet: opts.quiet, stream: opts.stream });
  const ownGuard = opts.interrupt === undefined;
  const guard = opts.interrupt ?? installInterruptGuard();
  const earlierLog = opts.dir && fs.existsSync(path.join(dir, LOG_FILE)) ? [fs.readFileSync(path.join(dir, LOG_FILE), 'utf8').trimEnd(), `--- resumed ${now().toISOString()}`] : [];
  const logLines: string[] = [...earlierLog, ...(opts.logPreamble ?? []), `run directory: ${dir}`];
  const files: string[] = [...(previous?.files ?? [])];

  const write = (name: string, data: string | Uint8Array): string => {
    const { rel, abs } = resolveInside(dir, name);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    writeFileAtomic(abs, data);
    if (!files.includes(rel)) files.push(rel);
    manifest.addFile(rel);
    return abs;
  };

  const ctx: RunContext = {
    dir,
    writeCsv: (name, rows, columns) => write(name, formatCsv(rows, columns)),
    writeText: (name, text) => write(name, text),
    writeSvg: (name, svg) => {
      if (!/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(svg)) throw new RunError(`${name}: not an SVG document`);
      return write(name, svg);
    },
    writeJson: (name, value) => write(name, `${JSON.stringify(value, null, 2)}\n`),
    writeBytes: (name, data) => write(name, data),
    removeFile: (name) => {
      const { rel, abs } = resolveInside(dir, name);
      fs.rmSync(abs, { force: true });
      // The folders it leaves empty go too, up to (not including) the run directory.
      if (rel.includes('/')) removeEmptyDirs(path.dirname(abs), path.join(dir, rel.split('/')[0]));
      const at = files.indexOf(rel);
      if (at >= 0) files.splice(at, 1);
      manifest.removeFile(rel);
    },
    progress,
    interrupt: guard,
    log: (line) => {
      logLines.push(line);
      progress.log(line);
    },
    files,
  };

  let status: Exclude<RunStatus, 'running'> = 'completed';
  let error: string | null = null;
  let thrown: { error: unknown } | undefined;
  try {
    manifest.start();
    writeFileAtomic(path.join(dir, CONFIG_FILE), `${JSON.stringify(opts.config, null, 2)}\n`);
    if (!files.includes(CONFIG_FILE)) files.push(CONFIG_FILE);
    manifest.addFile(CONFIG_FILE);
    await body(ctx);
    // A runner that saw the flag and returned early has partial results: not `completed`.
    if (guard.interrupted) throw interruptedBy(guard.signal);
  } catch (e) {
    // Whoever noticed the signal first, the exit code is the signal's.
    thrown = { error: e instanceof InterruptedError && guard.interrupted ? interruptedBy(guard.signal) : e };
    status = e instanceof InterruptedError ? 'interrupted' : 'failed';
    error = messageOf(e);
  } finally {
    progress.stop();
    if (ownGuard) guard.dispose();
  }

  try {
    writeFileAtomic(path.join(dir, LOG_FILE), `${logLines.join('\n')}\n`);
    manifest.addFile(LOG_FILE);
    manifest.finish(status, { error });
  } catch (e) {
    // The run's own error, if any, is the one to report.
    if (!thrown) throw new RunError(`cannot finish the run record in ${dir}: ${messageOf(e)}`);
  }
  if (thrown) throw thrown.error;
  return dir;
}
