import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InterruptedError } from '../errors';
import { runCommand } from './run';

const ROOT = path.resolve(__dirname, '..', '..');

describe('spred run before its run directory exists', () => {
  let out: string;
  beforeEach(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-run-early-'));
  });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  it('answers a SIGINT during start-up with exit 130 and writes nothing', async () => {
    const sigintListeners = process.listenerCount('SIGINT');
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const running = runCommand(path.join(ROOT, 'configs', 'lasso-smoke.json'), { out, quiet: true, backend: 'cpu' });
    // runCommand is still reading inputs; a real Ctrl-C arrives the same way.
    process.emit('SIGINT');
    const err = await running.then(
      () => null,
      (e: unknown) => e,
    );
    const lines = stderr.mock.calls.map((c) => String(c[0]));
    stderr.mockRestore();
    expect(lines).toEqual(['\nSIGINT: stopping before the run directory is made; nothing is written\n']);
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as InterruptedError).exitCode).toBe(130);
    expect(fs.readdirSync(out)).toEqual([]);
    // The guard is gone again: Node's own SIGINT handling is restored.
    expect(process.listenerCount('SIGINT')).toBe(sigintListeners);
  });
});
