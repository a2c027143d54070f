/**
 * A fit worker: one thread with its own TensorFlow.js backend. It sets the task up once (data on the
 * backend), then runs the fits the executor sends, one at a time, replying with each result encoded
 * as a journal line would be (src/sweep/codec.ts).
 *
 * Threads, not child processes: measured here with tfjs 4.22, two worker threads each load
 * `@tensorflow/tfjs` and `tfjs-backend-wasm` and run a 1024² matMul at the same ~31 GFLOP/s as one
 * main thread alone (each thread has its own module instance, hence its own engine and backend).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../backend';
import { readRunFile } from '../results/run';
import { InterruptedError } from '../errors';
import { findTask } from '../tasks/registry';
import type { OpenTask } from '../tasks/task';
import { encode } from './codec';
import { maybeDie } from './fault';
import { fitContext } from './fit_context';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function serve(): Promise<void> {
  const port = parentPort!;
  const init = workerData as WorkerInit;
  const post = (m: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);
  const flag = new Int32Array(init.interruptFlag);
  const interrupted = () => Atomics.load(flag, 0) !== 0;
  let open: OpenTask;
  let fitKeys: readonly string[];
  try {
    await selectBackend(init.backend);
    const task = findTask(init.task);
    if (!task) throw new Error(`unknown task ${init.task}`);
    const bound = task.bind(init.config);
    fitKeys = bound.fitKeys;
    open = await bound.open(init.inputs);
  } catch (e) {
    post({ type: 'setup-failed', error: messageOf(e) });
    return;
  }
  port.on('message', async (m: ToWorker) => {
    const key = fitKeys[m.index];
    maybeDie(key, init.fault);
    const ctx = fitContext({
      key,
      interrupted,
      log: (line) => post({ type: 'log', line }),
      verbose: init.verbose,
      writeBytes: (name, data) => {
        const copy = data.slice();
        post({ type: 'file', name, data: copy }, [copy.buffer as ArrayBuffer]);
        return name;
      },
      readBytes: (name) => readRunFile(init.runDir, name),
      removeFile: (name) => post({ type: 'remove', name }),
    });
    const t0 = performance.now();
    try {
      const result = await open.runFit(m.index, ctx);
      post({ type: 'done', index: m.index, ok: true, result: encode(result), seconds: (performance.now() - t0) / 1000 });
    } catch (e) {
      if (e instanceof InterruptedError || interrupted()) post({ type: 'interrupted', index: m.index });
      else post({ type: 'done', index: m.index, ok: false, error: messageOf(e), seconds: (performance.now() - t0) / 1000 });
    }
  });
  post({ type: 'ready' });
}

void serve();
