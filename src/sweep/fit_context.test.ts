import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InterruptedError, RunError } from '../errors';
import { readRunFile, withRun } from '../results/run';
import { fitContext } from './fit_context';

describe('fitContext', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-fitctx-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads back what an earlier session of the run wrote (a resumed fit finds its checkpoint)', async () => {
    const base = { root, task: 'lasso', name: 'ckpt', config: { task: 'lasso' }, quiet: true };
    const dir = await withRun(base, (ctx) => {
      ctx.writeBytes('checkpoints/a/state.bin', Uint8Array.from([1, 2, 3]));
    });
    // A second session in the same directory (what `--resume` does), with the executor's hooks.
    await withRun({ ...base, dir }, (ctx) => {
      const fit = fitContext({
        key: 'a',
        interrupted: () => false,
        log: () => {},
        verbose: false,
        writeBytes: (name, data) => ctx.writeBytes(name, data),
        readBytes: (name) => readRunFile(ctx.dir, name),
        removeFile: (name) => ctx.removeFile(name),
      });
      expect(Array.from(fit.readBytes('checkpoints/a/state.bin')!)).toEqual([1, 2, 3]);
      expect(fit.readBytes('checkpoints/a/missing.bin')).toBeUndefined();
      fit.writeBytes('checkpoints/a/state.bin', Uint8Array.from([4]));
      expect(Array.from(fit.readBytes('checkpoints/a/state.bin')!)).toEqual([4]);
      fit.removeFile('checkpoints/a/state.bin');
      expect(fit.readBytes('checkpoints/a/state.bin')).toBeUndefined();
      expect(ctx.files).not.toContain('checkpoints/a/state.bin');
      fit.removeFile('checkpoints/a/state.bin');
    });
  });

  it('reads only inside the run directory', () => {
    fs.writeFileSync(path.join(root, 'outside.bin'), 'x');
    const run = path.join(root, 'run');
    fs.mkdirSync(run);
    expect(() => readRunFile(run, '../outside.bin')).toThrow(RunError);
    expect(() => readRunFile(run, path.join(root, 'outside.bin'))).toThrow(/relative path inside the run directory/);
    fs.mkdirSync(path.join(run, 'adir'));
    expect(() => readRunFile(run, 'adir')).toThrow(/cannot read/);
  });

  it('checkpoint() throws once interrupted', async () => {
    let stop = false;
    const fit = fitContext({ key: 'k', interrupted: () => stop, log: () => {}, verbose: false, writeBytes: (n) => n, readBytes: () => undefined, removeFile: () => {} });
    await expect(fit.checkpoint()).resolves.toBeUndefined();
    stop = true;
    await expect(fit.checkpoint()).rejects.toBeInstanceOf(InterruptedError);
  });
});
