/**
 * What a task is: one folder under src/tasks/ exporting one definition made with `defineTask`.
 *
 * A definition says what the platform needs to run an experiment as a sweep of independent fits
 * (src/sweep/): its zod schema, the checks of its inputs (run before any run directory exists, and
 * returning what they loaded so nothing large is read twice), how its config expands into fits (each
 * with a stable key), and — in a module loaded lazily so that `spred list` and `spred validate` never
 * load TensorFlow.js — how to set up a process, run one fit, and turn the fits' results into files.
 *
 * The config type is `z.output` of the schema from parsing to the runner. The platform itself only
 * holds the erased `Task` (no type parameters), made by closing over the typed definition; values
 * cross a thread boundary (inputs to workers, results from them) only as structured clones, and
 * `defineTask` is the one place that gives them their types back.
 */
import type { z } from 'zod';
import { requireMemory } from '../results/memory';

/** One independent unit of work: its key is stable across runs, shards and code versions of a config. */
export interface Fit {
  /** Unique within the config, made of the fit's settings, e.g. `spred/adam/lr=0.1`. */
  key: string;
}

/** What a fit can do while it runs (in-process or on a worker). */
export interface FitContext {
  /** True once the user pressed Ctrl-C (or SIGTERM): stop at the next safe point. */
  interrupted(): boolean;
  /** Yields to the event loop, then throws `InterruptedError` if interrupted: call between steps. */
  checkpoint(): Promise<void>;
  /** A line for the user (printed and kept in log.txt), prefixed with the fit's key. */
  log(line: string): void;
  /** Per-step detail (an epoch, a solve): logged like `log` with `--verbose`, dropped otherwise. */
  detail(line: string): void;
  /** Writes a binary file into the run directory (atomically) and records it; returns its path. */
  writeBytes(name: string, data: Uint8Array): string;
  /**
   * Reads back a file of the run directory that an earlier session of this run wrote with `writeBytes`
   * (a fit's own checkpoints, found again after Ctrl-C and `--resume`); undefined when there is none.
   * On a worker, `writeBytes` reaches the disk through the main thread: do not count on reading back,
   * in the same session, what the fit has just written.
   */
  readBytes(name: string): Uint8Array | undefined;
  /** Deletes a file of the run directory that the fit wrote with `writeBytes` (in order with its writes); no error if absent. */
  removeFile(name: string): void;
}

/** A fit and how it ended: its result, or why it failed. */
export type FitOutcome<F extends Fit, R> =
  | { fit: F; index: number; ok: true; result: R; seconds: number }
  | { fit: F; index: number; ok: false; error: string; seconds: number };

/** Where a task's outputs go: the run directory's writers (src/results/run.ts). */
export interface OutputContext {
  writeCsv(name: string, rows: readonly object[]): string;
  writeSvg(name: string, svg: string): string;
  writeJson(name: string, value: unknown): string;
  /** A text file (e.g. a Markdown table). */
  writeText(name: string, text: string): string;
  log(line: string): void;
}

/** The heavy half of a task, loaded only to run it. */
export interface TaskImplementation<C, F extends Fit, R, S, I> {
  /** Per-process set-up (problem or data on the backend), shared by every fit the process runs. */
  setup(config: C, inputs: I): Promise<S> | S;
  /** Frees what `setup` made. */
  teardown?(shared: S): void;
  /** Runs one fit. Results must survive `structuredClone` and JSON (src/sweep/codec.ts): rows of numbers and strings. */
  runFit(fit: F, shared: S, ctx: FitContext): Promise<R>;
  /**
   * Turns the outcomes (in fit order; failed fits included, as `ok: false`) into CSVs, summaries and
   * plots. Runs in the main process on the whole run, a shard, or merged shards alike.
   */
  write(config: C, outcomes: readonly FitOutcome<F, R>[], out: OutputContext): Promise<void>;
}

export interface TaskSpec<Schema extends z.ZodType, F extends Fit, R, S, I> {
  name: string;
  description: string;
  /** The paper's section, figures and tables the task reproduces. */
  paper: string;
  schema: Schema;
  /**
   * Checks every input the config names (files, sizes, memory) and returns what it loaded. Throws a
   * `UsageError`/`DataError` naming the config field. Runs before any run directory exists. May be
   * async (a streamed file reader): the run command awaits it before `describe`.
   */
  checkInputs?(config: z.output<Schema>): I | Promise<I>;
  /**
   * Memory one fit process (a worker thread, or this process with `--workers 1`) holds at its peak:
   * its copy of the inputs plus the largest model, and the config fields that set it. The run refuses
   * (exit 2, before any run directory exists) when `--workers` times this exceeds the machine's memory.
   */
  memoryPerWorker?(config: z.output<Schema>, inputs: I): { fields: string; bytes: number };
  /** The independent fits of a config, in the order their rows appear in the outputs. */
  fits(config: z.output<Schema>): F[];
  /** One line on what the run will do (sizes, data found), printed before it starts. */
  describe?(config: z.output<Schema>, inputs: I): string;
  /**
   * Worker count when `--workers` is not given; default: one per core. A task that measures wall
   * time sets 1, saying why in `serialReason`.
   */
  defaultWorkers?: number;
  serialReason?: string;
  /** Requires the heavy module (TensorFlow.js and the trainers). */
  load(): TaskImplementation<z.output<Schema>, F, R, S, I>;
}

/** A task with its types closed over: what the registry, the executor and workers hold. */
export interface Task {
  readonly name: string;
  readonly description: string;
  readonly paper: string;
  readonly schema: z.ZodType;
  readonly defaultWorkers?: number;
  readonly serialReason?: string;
  /** Binds a resolved config (parsed again here, so its type is the schema's). */
  bind(config: unknown): BoundTask;
}

/** A task and its config: everything the executor does with a run. */
export interface BoundTask {
  readonly task: Task;
  /** The config as the schema parsed it (what workers are given). */
  readonly config: unknown;
  /** The fits' keys, in output order. */
  readonly fitKeys: readonly string[];
  /** Runs the input checks once (sync or async in the spec); every call returns the same Promise. */
  checkInputs(): Promise<unknown>;
  /** The task's one-line description of this run, given what `checkInputs` resolved to. */
  describe(inputs: unknown): string | undefined;
  /** Throws a `UsageError` when `workers` fit processes would not fit in this machine's memory (TaskSpec.memoryPerWorker). */
  checkMemory(inputs: unknown, workers: number): void;
  /** Loads the implementation and sets up this process; `inputs` as `checkInputs` returned them (or a clone). */
  open(inputs: unknown): Promise<OpenTask>;
  /** Writes the outputs from outcomes given as keys and (cloned) results. */
  write(outcomes: readonly ErasedOutcome[], out: OutputContext): Promise<void>;
}

/** A fit outcome as the executor and the journal hold it. */
export type ErasedOutcome =
  | { index: number; key: string; ok: true; result: unknown; seconds: number }
  | { index: number; key: string; ok: false; error: string; seconds: number };

/** A set-up process: runs fits by index. */
export interface OpenTask {
  runFit(index: number, ctx: FitContext): Promise<unknown>;
  close(): void;
}

/** Makes a `Task` from a typed spec. */
export function defineTask<Schema extends z.ZodType, F extends Fit, R, S, I = undefined>(
  spec: TaskSpec<Schema, F, R, S, I>,
): Task {
  type C = z.output<Schema>;
  const task: Task = {
    name: spec.name,
    description: spec.description,
    paper: spec.paper,
    schema: spec.schema,
    defaultWorkers: spec.defaultWorkers,
    serialReason: spec.serialReason,
    bind(raw: unknown): BoundTask {
      const config: C = spec.schema.parse(raw);
      const fits = spec.fits(config);
      const keys = fits.map((f) => f.key);
      const dup = keys.find((k, i) => keys.indexOf(k) !== i);
      if (dup !== undefined) throw new Error(`task ${spec.name}: two fits share the key ${JSON.stringify(dup)}`);
      let checked: Promise<I> | undefined;
      return {
        task,
        config,
        fitKeys: keys,
        checkInputs() {
          // A synchronous check that throws becomes a rejected Promise too: one way to await either.
          checked ??= (async () => (spec.checkInputs ? spec.checkInputs(config) : (undefined as I)))();
          return checked;
        },
        describe(inputs: unknown) {
          // `inputs` is what `checkInputs` resolved to.
          return spec.describe?.(config, inputs as I);
        },
        checkMemory(inputs: unknown, workers: number) {
          const need = spec.memoryPerWorker?.(config, inputs as I);
          if (need) requireMemory(`${need.fields} × --workers ${workers}`, workers * need.bytes);
        },
        async open(inputs: unknown) {
          const impl = spec.load();
          // The one place inputs get their type back: they are what `checkInputs` returned, possibly
          // structured-cloned into a worker.
          const shared = await impl.setup(config, inputs as I);
          return {
            runFit: (index, ctx) => impl.runFit(fits[index], shared, ctx),
            close: () => impl.teardown?.(shared),
          };
        },
        async write(outcomes, out) {
          const impl = spec.load();
          // Results are what `runFit` returned for these fits, decoded from the journal or a worker.
          const typed = outcomes.map(
            (o): FitOutcome<F, R> =>
              o.ok
                ? { fit: fits[o.index], index: o.index, ok: true, result: o.result as R, seconds: o.seconds }
                : { fit: fits[o.index], index: o.index, ok: false, error: o.error, seconds: o.seconds },
          );
          await impl.write(config, typed, out);
        },
      };
    },
  };
  return task;
}

/** The results of the fits that finished, in fit order. */
export function results<F extends Fit, R>(outcomes: readonly FitOutcome<F, R>[]): { fit: F; result: R }[] {
  return outcomes.flatMap((o) => (o.ok ? [{ fit: o.fit, result: o.result }] : []));
}
