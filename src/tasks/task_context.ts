/**
 * What a task runner gets from `spred run`: where to write, how to report progress, and whether the
 * user pressed Ctrl-C. Provided by `withRun` (src/results/run.ts), which records every file written
 * in the manifest.
 */
export type { RunContext as TaskContext } from '../results/run';
