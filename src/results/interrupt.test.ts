import { InterruptedError } from '../errors';
import { installInterruptGuard, throwIfInterrupted } from './interrupt';

describe('installInterruptGuard', () => {
  // Keep any listener the test runner has out of the way while this test emits signals.
  const saved: Record<string, ((...args: unknown[]) => void)[]> = {};
  beforeEach(() => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      saved[sig] = process.listeners(sig) as (() => void)[];
      process.removeAllListeners(sig);
    }
  });
  afterEach(() => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.removeAllListeners(sig);
      for (const l of saved[sig]) process.on(sig, l);
    }
  });

  it('raises the flag on the first SIGINT and exits 130 on the second', () => {
    const exit = jest.fn();
    const notices: string[] = [];
    const guard = installInterruptGuard({ exit, notice: (l) => notices.push(l) });
    expect(guard.interrupted).toBe(false);
    expect(() => throwIfInterrupted(guard)).not.toThrow();

    process.emit('SIGINT');
    expect(guard.interrupted).toBe(true);
    expect(guard.signal).toBe('SIGINT');
    expect(guard.abortSignal.aborted).toBe(true);
    expect(exit).not.toHaveBeenCalled();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/SIGINT: stopping after the current step.*Ctrl-C again/);

    process.emit('SIGINT');
    expect(exit).toHaveBeenCalledWith(130);
    guard.dispose();
  });

  it('throws InterruptedError (exit code 130) once interrupted, from the helper and the method', () => {
    const guard = installInterruptGuard({ exit: jest.fn(), notice: () => {} });
    process.emit('SIGINT');
    expect(() => throwIfInterrupted(guard)).toThrow(InterruptedError);
    try {
      guard.throwIfInterrupted();
      throw new Error('not thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(InterruptedError);
      expect((e as InterruptedError).exitCode).toBe(130);
      expect((e as Error).message).toBe('interrupted by SIGINT');
    }
    guard.dispose();
  });

  it('treats SIGTERM the same way, exiting 143 on the second', () => {
    const exit = jest.fn();
    const guard = installInterruptGuard({ exit, notice: () => {} });
    process.emit('SIGTERM');
    expect(guard.signal).toBe('SIGTERM');
    process.emit('SIGTERM');
    expect(exit).toHaveBeenCalledWith(143);
    guard.dispose();
  });

  it('removes its listeners on dispose (twice is fine) and then ignores signals', () => {
    const exit = jest.fn();
    const guard = installInterruptGuard({ exit, notice: () => {} });
    expect(process.listenerCount('SIGINT')).toBe(1);
    expect(process.listenerCount('SIGTERM')).toBe(1);
    guard.dispose();
    guard.dispose();
    expect(process.listenerCount('SIGINT')).toBe(0);
    expect(process.listenerCount('SIGTERM')).toBe(0);
    // With no listener left, emitting is a no-op for an in-process emit (a real signal would now kill).
    process.emit('SIGINT');
    expect(guard.interrupted).toBe(false);
    expect(exit).not.toHaveBeenCalled();
  });
});
