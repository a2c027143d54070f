/**
 * Lets queued events run (Ctrl-C's handler, progress timers). tfjs steps are synchronous work, so a
 * training loop that never awaits sees a SIGINT only after it has finished; awaiting this between steps
 * (or at checks) lets the handler run. Costs one macrotask turn (microseconds).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
