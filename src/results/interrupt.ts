/**
 * Ctrl-C for experiment runs. The first SIGINT (or SIGTERM, which CI systems send on cancel) only
 * raises a flag: the runner sees `guard.interrupted` between steps or grid points, stops, and the run
 * directory is left consistent and marked `interrupted`. A second signal exits at once with 128 + the
 * signal number (130 for SIGINT), for a run that does not reach a check point soon enough.
 *
 * While a guard is installed Node does not exit on these signals by itself; `dispose()` restores that.
 */
import { interruptedBy } from '../errors';

export interface InterruptGuard {
  /** True once a first SIGINT/SIGTERM arrived. */
  readonly interrupted: boolean;
  /** The signal that interrupted, or null. */
  readonly signal: NodeJS.Signals | null;
  /** Aborted on the first signal: for `fetch` and other APIs that take an AbortSignal. */
  readonly abortSignal: AbortSignal;
  /** Throws `InterruptedError` when interrupted (same as `throwIfInterrupted(guard)`). */
  throwIfInterrupted(): void;
  /** Removes the signal listeners. Idempotent. */
  dispose(): void;
}

export interface InterruptGuardOptions {
  /** Signals to catch; default SIGINT and SIGTERM. */
  signals?: readonly NodeJS.Signals[];
  /** Called on the second signal; default `process.exit`. Tests pass a fake. */
  exit?: (code: number) => void;
  /** Where the one-line notice on the first signal goes; default process.stderr. */
  notice?: (line: string) => void;
}


/** Installs listeners for SIGINT/SIGTERM on `process` and returns the guard that records them. */
export function installInterruptGuard(opts: InterruptGuardOptions = {}): InterruptGuard {
  const signals = opts.signals ?? (['SIGINT', 'SIGTERM'] as const);
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const notice = opts.notice ?? ((line: string) => process.stderr.write(`${line}\n`));
  const controller = new AbortController();
  let received: NodeJS.Signals | null = null;
  let disposed = false;

  const onSignal = (sig: NodeJS.Signals): void => {
    if (received === null) {
      received = sig;
      notice(`\n${sig}: stopping after the current step (the run is kept and marked interrupted); press Ctrl-C again to quit now`);
      controller.abort(interruptedBy(sig));
      return;
    }
    exit(interruptedBy(sig).exitCode);
  };
  // One listener per signal, bound to its name: Node passes the name on a real signal, but not on
  // `process.emit('SIGINT')`.
  const listeners = signals.map((sig) => [sig, () => onSignal(sig)] as const);
  for (const [sig, listener] of listeners) process.on(sig, listener);

  const guard: InterruptGuard = {
    get interrupted() {
      return received !== null;
    },
    get signal() {
      return received;
    },
    abortSignal: controller.signal,
    throwIfInterrupted: () => throwIfInterrupted(guard),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      for (const [sig, listener] of listeners) process.removeListener(sig, listener);
    },
  };
  return guard;
}

/** Throws `InterruptedError` when `guard` saw a signal; call between steps. */
export function throwIfInterrupted(guard: Pick<InterruptGuard, 'interrupted' | 'signal'>): void {
  if (guard.interrupted) throw interruptedBy(guard.signal);
}
