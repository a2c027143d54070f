import { InterruptedError } from '../errors';
import { yieldToEventLoop } from '../optim/event_loop';
import type { FitContext } from '../tasks/task';

export interface FitContextHooks {
  key: string;
  interrupted(): boolean;
  log(line: string): void;
  /** `--verbose`: keep `detail` lines. */
  verbose: boolean;
  writeBytes(name: string, data: Uint8Array): string;
  readBytes(name: string): Uint8Array | undefined;
  removeFile(name: string): void;
}

/** The `FitContext` of one fit, in-process or on a worker. */
export function fitContext(h: FitContextHooks): FitContext {
  return {
    interrupted: h.interrupted,
    checkpoint: async () => {
      await yieldToEventLoop();
      if (h.interrupted()) throw new InterruptedError();
    },
    log: (line) => h.log(`${h.key}: ${line}`),
    detail: (line) => {
      if (h.verbose) h.log(`${h.key}: ${line}`);
    },
    writeBytes: h.writeBytes,
    readBytes: h.readBytes,
    removeFile: h.removeFile,
  };
}
