/**
 * Typed errors that carry the process exit code. Commands throw these; only `main` in cli.ts maps
 * them to `process.exit`. Exit codes follow DESIGN.md: 2 for usage, config and data errors (the user
 * can fix the input), 1 for failures while running, 130 for an interrupted run (128 + SIGINT).
 */
export class SpredError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input the user can fix: a config, a flag, a data file. One line, naming the file and field. */
export class UsageError extends SpredError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** A data file that does not hold what its format promises (wrong magic, truncated, bad dtype). */
export class DataError extends SpredError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** Something failed while running: a numerical blow-up, a run that could not be written. */
export class RunError extends SpredError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** A `spred check` whose run fell outside the accepted reference numbers. */
export class RegressionError extends SpredError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** The user pressed Ctrl-C; the run directory was left consistent and marked `interrupted`. */
export class InterruptedError extends SpredError {
  /** `exitCode`: 128 + the signal number (130 for SIGINT, 143 for SIGTERM). */
  constructor(message = 'interrupted', exitCode = 130) {
    super(message, exitCode);
  }
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The error of a run stopped by `signal`, exiting with 128 + its number as shells do. */
export function interruptedBy(signal: NodeJS.Signals | null): InterruptedError {
  const sig = signal ?? 'SIGINT';
  return new InterruptedError(`interrupted by ${sig}`, 128 + (SIGNAL_NUMBERS[sig] ?? 2));
}
