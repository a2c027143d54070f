/**
 * The one harness for the smoke tests (test/*.test.ts) that drive the CLI in-process: runs `main(argv)`
 * with stdout and stderr captured, and reads a run directory's CSVs back.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../src/cli';
import { readCsv } from '../src/results/csv';

export const ROOT = path.join(__dirname, '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `spred <argv…>` in this process. */
export async function spred(...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/**
 * `spred run <config> --out <out> --quiet <extra…>`; returns the run directory (the last stdout line)
 * and fails the test with stderr when the exit code is not `expectCode`.
 */
export async function runConfig(config: string, out: string, extra: string[] = [], expectCode = 0): Promise<{ dir: string } & CliResult> {
  const r = await spred('run', config, '--out', out, '--quiet', ...extra);
  if (r.code !== expectCode) throw new Error(`spred run ${config} exited ${r.code} (expected ${expectCode}): ${r.stderr}`);
  return { ...r, dir: r.stdout.trim().split('\n').pop() ?? '' };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `spred-${prefix}-`));
}

/** One CSV row as `readCsv` parses it: numbers, booleans and strings by column name. */
export type Row = Record<string, any>;

/** A CSV of a run directory as rows of strings-and-numbers, optionally without some columns (timings). */
export function csvRows(dir: string, file: string, drop: readonly string[] = []): Row[] {
  return (readCsv(path.join(dir, file)) as Row[]).map((r) =>
    Object.fromEntries(Object.entries(r).filter(([k]) => !drop.includes(k))),
  );
}

export function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export interface Signalled {
  code: number | null;
  stderr: string;
  /** The run directory the CLI printed. */
  dir: string;
  /** Seconds from the signal to the exit. */
  seconds: number;
}

/**
 * Starts the real CLI, `spred run <config> --out <out> <extra…>` in a child process, waits until the
 * run directory exists and the first fits have had `afterMs` to start, sends `signal`, and waits for
 * the exit.
 */
export function runAndSignal(config: string, out: string, signal: NodeJS.Signals, extra: string[] = [], afterMs = 2500): Promise<Signalled> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/spred'), 'run', config, '--out', out, ...extra], { env: { ...process.env, CI: 'true' } });
    let stderr = '';
    let stdout = '';
    let sentAt = 0;
    child.stdout.on('data', (b) => (stdout += String(b)));
    child.stderr.on('data', (b) => {
      stderr += String(b);
      if (sentAt === 0 && /run directory: /.test(stderr)) {
        sentAt = -1;
        setTimeout(() => {
          sentAt = performance.now();
          child.kill(signal);
        }, afterMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr, dir: stdout.trim(), seconds: (performance.now() - sentAt) / 1000 }));
  });
}
