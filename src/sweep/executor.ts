/**
 * The sweep executor: the one loop every runner goes through, in-process and on workers alike.
 *
 *   fit list → shard slice → skip what the journal already holds → run (pool or in-process)
 *   → outcomes in fit order → the task's outputs (+ errors.csv)
 *
 * Each outcome is appended to the run's journal (src/sweep/journal.ts) the moment it arrives, and
 * results always pass through the journal's encoding, so the rows are the same whatever the worker
 * count, the order fits finish in, or how the run was split into shards and merged. Ctrl-C: no new
 * fit starts, fits in flight stop at their next checkpoint and are dropped (a resumed run redoes
 * them), the outputs are written from the fits that finished, and `withRun` marks the run
 * `interrupted`. Failed fits become rows of `errors.csv`; the run then ends `failed` (exit 1).
 */
import { availableParallelism } from 'node:os';
import { onDevice, type BackendChoice } from '../backend';
import { InterruptedError, RunError } from '../errors';
import { readRunFile, type RunContext } from '../results/run';
import type { BoundTask, ErasedOutcome, OutputContext } from '../tasks/task';
import { decode, roundTrip } from './codec';
import { faultFromEnv } from './fault';
import { fitContext } from './fit_context';
import { appendOutcome, readJournal } from './journal';
import { runOnPool } from './pool';
import type { WorkerInit } from './protocol';
import { shardIndices, type Shard } from './shard';

export const ERRORS_FILE = 'errors.csv';

export interface SweepOptions {
  /** Worker threads; 1 runs the fits in this thread. */
  workers: number;
  shard?: Shard;
  backend: BackendChoice;
  /** What `bound.checkInputs()` returned. */
  inputs: unknown;
  /** Log each fit's end and its per-step detail. */
  verbose?: boolean;
}

/**
 * Worker count when `--workers` is not given: one on a GPU backend (threads would queue on one device,
 * each holding its own copy of the data there), else the task's own default, else one per core.
 */
export function defaultWorkers(bound: BoundTask, backend?: BackendChoice): number {
  if (backend && onDevice(backend)) return 1;
  return bound.task.defaultWorkers ?? availableParallelism();
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The run context's writers, as a task's `write` sees them. */
export function outputContext(ctx: RunContext): OutputContext {
  return {
    writeCsv: (name, rows) => ctx.writeCsv(name, rows as readonly Record<string, never>[]),
    writeSvg: (name, svg) => ctx.writeSvg(name, svg),
    writeJson: (name, value) => ctx.writeJson(name, value),
    writeText: (name, text) => ctx.writeText(name, text),
    log: (line) => ctx.log(line),
  };
}

/** Writes the task's outputs and `errors.csv` from `outcomes` (fit order); returns how many failed. */
export async function writeOutputs(bound: BoundTask, outcomes: readonly ErasedOutcome[], ctx: RunContext): Promise<number> {
  await bound.write(outcomes, outputContext(ctx));
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length === 0) ctx.removeFile(ERRORS_FILE);
  else {
    ctx.writeCsv(
      ERRORS_FILE,
      failed.map((o) => ({ fit_index: o.index, fit: o.key, error: o.ok ? '' : o.error })),
    );
  }
  return failed.length;
}

export async function runSweep(bound: BoundTask, ctx: RunContext, opts: SweepOptions): Promise<void> {
  const keys = bound.fitKeys;
  const indices = shardIndices(keys.length, opts.shard);
  const outcomes = new Map<number, ErasedOutcome>();
  const mine = new Set(indices);
  // Journal lines of fits this config no longer has at that position (the code changed) are redone.
  for (const o of readJournal(ctx.dir)) {
    if (keys[o.index] === o.key && mine.has(o.index)) outcomes.set(o.index, o);
  }
  const todo = indices.filter((i) => !outcomes.get(i)?.ok);
  const previous = indices.length - todo.length;
  const workers = Math.max(1, Math.min(opts.workers, todo.length));
  const slice = opts.shard ? ` (shard ${opts.shard.index}/${opts.shard.count} of ${keys.length})` : '';
  ctx.log(
    `${indices.length} fit${indices.length === 1 ? '' : 's'}${slice}` +
      `${previous > 0 ? `, ${previous} already in the journal` : ''}; running ${todo.length} ` +
      `${workers > 1 ? `on ${workers} worker threads` : 'in this thread'}`,
  );
  if (opts.workers > 1 && bound.task.serialReason) ctx.log(`note: ${bound.task.serialReason}`);

  let failed = 0;
  const record = (o: ErasedOutcome) => {
    appendOutcome(ctx.dir, o);
    outcomes.set(o.index, o);
    if (!o.ok) {
      failed++;
      ctx.log(`fit ${o.key} failed: ${o.error}`);
    } else if (opts.verbose) ctx.log(`fit ${o.key} done in ${o.seconds.toFixed(2)} s`);
    ctx.progress.tick(1, failed > 0 ? { fit: o.key, failed } : { fit: o.key });
  };

  ctx.progress.start(indices.length, bound.task.name);
  if (previous > 0) ctx.progress.tick(previous);
  try {
    if (workers <= 1) await runInProcess(bound, ctx, opts, todo, record);
    else await runOnWorkers(bound, ctx, opts, workers, todo, record);
  } finally {
    ctx.progress.stop();
  }

  const ordered = indices.flatMap((i) => {
    const o = outcomes.get(i);
    return o ? [o] : [];
  });
  const failures = await writeOutputs(bound, ordered, ctx);
  if (ctx.interrupt.interrupted) return; // withRun marks the run interrupted
  if (failures > 0) {
    throw new RunError(`${failures} of ${indices.length} fits failed; their errors are in ${ERRORS_FILE} (${ctx.dir})`);
  }
}

async function runInProcess(
  bound: BoundTask,
  ctx: RunContext,
  opts: SweepOptions,
  todo: readonly number[],
  record: (o: ErasedOutcome) => void,
): Promise<void> {
  if (todo.length === 0) return;
  const open = await bound.open(opts.inputs);
  try {
    for (const index of todo) {
      if (ctx.interrupt.interrupted) break;
      const key = bound.fitKeys[index];
      const fctx = fitContext({
        key,
        interrupted: () => ctx.interrupt.interrupted,
        log: (line) => ctx.log(line),
        verbose: Boolean(opts.verbose),
        writeBytes: (name, data) => ctx.writeBytes(name, data),
        readBytes: (name) => readRunFile(ctx.dir, name),
        removeFile: (name) => ctx.removeFile(name),
      });
      const t0 = performance.now();
      try {
        const result = roundTrip(await open.runFit(index, fctx));
        record({ index, key, ok: true, result, seconds: (performance.now() - t0) / 1000 });
      } catch (e) {
        if (e instanceof InterruptedError || ctx.interrupt.interrupted) break;
        record({ index, key, ok: false, error: messageOf(e), seconds: (performance.now() - t0) / 1000 });
      }
    }
  } finally {
    open.close();
  }
}

async function runOnWorkers(
  bound: BoundTask,
  ctx: RunContext,
  opts: SweepOptions,
  workers: number,
  todo: readonly number[],
  record: (o: ErasedOutcome) => void,
): Promise<void> {
  const flagBuffer = new SharedArrayBuffer(4);
  const flag = new Int32Array(flagBuffer);
  const raise = () => Atomics.store(flag, 0, 1);
  if (ctx.interrupt.interrupted) raise();
  ctx.interrupt.abortSignal.addEventListener('abort', raise, { once: true });
  const init: WorkerInit = {
    task: bound.task.name,
    config: bound.config,
    inputs: opts.inputs,
    backend: opts.backend.name,
    runDir: ctx.dir,
    interruptFlag: flagBuffer,
    verbose: Boolean(opts.verbose),
    fault: faultFromEnv(),
  };
  try {
    await runOnPool(workers, init, todo, {
      done: (m) => {
        const key = bound.fitKeys[m.index];
        record(m.ok ? { index: m.index, key, ok: true, result: decode(m.result), seconds: m.seconds } : { ...m, key });
      },
      log: (line) => ctx.log(line),
      file: (name, data) => ctx.writeBytes(name, data),
      remove: (name) => ctx.removeFile(name),
      interrupted: () => ctx.interrupt.interrupted,
    });
  } finally {
    ctx.interrupt.abortSignal.removeEventListener('abort', raise);
  }
}
