import type { FitContext } from '../task';

/**
 * A FitContext for calling the gene-selection fits outside a sweep (tests, `npm run bench:gene-selection`):
 * never interrupted, no run directory, `log` where given and no per-epoch detail.
 */
export function standaloneContext(log: (line: string) => void = () => undefined): FitContext {
  return {
    interrupted: () => false,
    checkpoint: async () => undefined,
    log,
    detail: () => undefined,
    writeBytes: () => '',
    readBytes: () => undefined,
    removeFile: () => undefined,
  };
}
