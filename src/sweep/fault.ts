/**
 * Fault injection for the executor's own tests: `SPRED_FAULT_EXIT_FIT=<fit key>` in the environment of
 * `spred run` makes the worker thread that starts that fit exit (code 70), as a worker killed by the
 * OOM killer or a crash would. The main thread reads it and hands it to the workers (`WorkerInit.fault`).
 */
export const FAULT_ENV = 'SPRED_FAULT_EXIT_FIT';
export const FAULT_EXIT_CODE = 70;

export function faultFromEnv(env: Record<string, string | undefined> = process.env): string | undefined {
  return env[FAULT_ENV] || undefined;
}

/** On a worker thread: exits it when `key` is the fit to fail at. */
export function maybeDie(key: string, fault: string | undefined): void {
  if (fault !== undefined && fault === key) process.exit(FAULT_EXIT_CODE);
}
