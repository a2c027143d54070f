/** Messages between the executor (main thread) and a fit worker (src/sweep/worker.ts). */
import type { BackendName } from '../backend';

/** `workerData` of every worker of a run. */
export interface WorkerInit {
  task: string;
  /** The resolved config. */
  config: unknown;
  /** What the task's `checkInputs` returned in the main thread (structured-cloned). */
  inputs: unknown;
  /** The backend the main thread chose (never `auto`, so every worker runs the same one). */
  backend: Exclude<BackendName, 'auto'>;
  /** The run directory (absolute): where `FitContext.readBytes` reads. Workers write only through the main thread. */
  runDir: string;
  /** Int32Array(1) over it: 1 once the user pressed Ctrl-C. Shared by every worker. */
  interruptFlag: SharedArrayBuffer;
  /** `--verbose`: workers send `detail` lines too. */
  verbose: boolean;
  /** Test-only fault injection (src/sweep/fault.ts). */
  fault?: string;
}

export type ToWorker = { type: 'run'; index: number };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'setup-failed'; error: string }
  | { type: 'log'; line: string }
  | { type: 'file'; name: string; data: Uint8Array }
  | { type: 'remove'; name: string }
  | { type: 'done'; index: number; ok: true; result: string; seconds: number }
  | { type: 'done'; index: number; ok: false; error: string; seconds: number }
  | { type: 'interrupted'; index: number };
