/**
 * A pool of fit workers (node:worker_threads, src/sweep/worker.ts) that runs a list of fits and
 * reports each outcome as it arrives. A fit that throws is an error outcome; a worker that dies (a
 * crash, `process.exit`, out of memory) is an error outcome for the fit it was running, and a new
 * worker takes its place while fits remain. After Ctrl-C no new fit starts; fits in flight see the
 * shared flag, stop at their next checkpoint, and are reported as interrupted (not as outcomes). A fit
 * that reaches no checkpoint within INTERRUPT_GRACE_MS (a long synchronous solve, e.g. one FISTA run of
 * l1-logistic, which can take a minute) has its worker terminated: it is interrupted all the same.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { RunError } from '../errors';
import { packageRoot } from '../paths';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';

export interface PoolHandlers {
  /** A fit finished: `result` is its encoded journal form. */
  done(o: { index: number; ok: true; result: string; seconds: number } | { index: number; ok: false; error: string; seconds: number }): void;
  log(line: string): void;
  file(name: string, data: Uint8Array): void;
  /** A fit deleted a file it wrote (FitContext.removeFile). */
  remove(name: string): void;
  /** Checked before each fit is handed out. */
  interrupted(): boolean;
}

/**
 * The compiled worker script. Workers always run the built `dist/` code (a thread cannot load
 * TypeScript); under ts-jest the tests build first (`pretest`).
 */
export function workerScript(): string {
  const here = path.join(__dirname, 'worker.js');
  if (fs.existsSync(here)) return here;
  const built = path.join(packageRoot(), 'dist', 'sweep', 'worker.js');
  if (!fs.existsSync(built)) throw new RunError(`worker script ${built} is missing: run \`npm run build\` first`);
  return built;
}

/** How many times a worker may die during set-up before the run gives up. */
const MAX_SETUP_DEATHS = 2;

/** How long fits in flight get after Ctrl-C to reach a checkpoint before their workers are terminated. */
export const INTERRUPT_GRACE_MS = 2000;

export async function runOnPool(size: number, init: WorkerInit, indices: readonly number[], h: PoolHandlers): Promise<void> {
  const queue = [...indices];
  const script = workerScript();
  let live = 0;
  let setupDeaths = 0;
  let fatal: Error | undefined;
  // Per worker busy with a fit: stop it as interrupted (the watchdog's way out of a synchronous solve).
  const busy = new Set<() => void>();
  let interruptedAt: number | undefined;
  const watchdog = setInterval(() => {
    if (!h.interrupted()) return;
    interruptedAt ??= Date.now();
    if (Date.now() - interruptedAt >= INTERRUPT_GRACE_MS) for (const stop of busy) stop();
  }, 100);

  await new Promise<void>((resolve) => {
    const settleIfIdle = () => {
      if (live === 0) resolve();
    };
    const spawn = () => {
      live++;
      const worker = new Worker(script, { workerData: init, stdout: false, stderr: false });
      let current: number | undefined;
      let ready = false;
      let finished = false;
      const stop = () => {
        if (current === undefined) return;
        current = undefined;
        finished = true;
        void worker.terminate();
      };
      busy.add(stop);
      const next = () => {
        if (fatal || h.interrupted() || queue.length === 0) {
          finished = true;
          void worker.terminate();
          return;
        }
        current = queue.shift()!;
        worker.postMessage({ type: 'run', index: current } satisfies ToWorker);
      };
      worker.on('message', (m: FromWorker) => {
        switch (m.type) {
          case 'ready':
            ready = true;
            next();
            break;
          case 'setup-failed':
            fatal ??= new RunError(`a worker could not set the task up: ${m.error}`);
            finished = true;
            void worker.terminate();
            break;
          case 'log':
            h.log(m.line);
            break;
          case 'file':
            h.file(m.name, m.data);
            break;
          case 'remove':
            h.remove(m.name);
            break;
          case 'done':
            current = undefined;
            h.done(m.ok ? { index: m.index, ok: true, result: m.result, seconds: m.seconds } : { index: m.index, ok: false, error: m.error, seconds: m.seconds });
            next();
            break;
          case 'interrupted':
            current = undefined;
            finished = true;
            void worker.terminate();
            break;
        }
      });
      let died: string | undefined;
      worker.on('error', (e) => {
        died = e.message;
      });
      worker.on('exit', (code) => {
        live--;
        busy.delete(stop);
        if (!finished) {
          const why = died ?? `exited with code ${code}`;
          if (current !== undefined) {
            h.done({ index: current, ok: false, error: `worker died while running this fit: ${why}`, seconds: 0 });
            current = undefined;
          } else if (!ready && ++setupDeaths > MAX_SETUP_DEATHS) {
            fatal ??= new RunError(`workers keep dying during set-up: ${why}`);
          }
          if (!fatal && !h.interrupted() && queue.length > 0) spawn();
        }
        settleIfIdle();
      });
    };
    const n = Math.max(1, Math.min(size, queue.length));
    if (queue.length === 0) resolve();
    else for (let i = 0; i < n; i++) spawn();
  });
  clearInterval(watchdog);
  if (fatal) throw fatal;
}
