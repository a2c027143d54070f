import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InterruptedError, RunError } from '../errors';
import type { InterruptGuard } from './interrupt';
import { readCsv } from './csv';
import { readManifest } from './manifest';
import { withRun, type WithRunOptions } from './run';

function fakeStream() {
  const chunks: string[] = [];
  return { chunks, isTTY: false, write: (c: string) => (chunks.push(c), true) };
}

describe('withRun', () => {
  let root: string;
  let t: number;
  const now = () => new Date(t);
  const config = { task: 'lasso', name: 'lasso-smoke', seed: 3, backend: 'wasm', output: 'results', lambdas: [0.1, 1] };
  let base: WithRunOptions;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-run-'));
    t = Date.parse('2026-11-23T19:00:00.000Z');
    base = { root, task: 'lasso', name: 'lasso-smoke', config, seed: 3, argv: ['spred', 'run', 'configs/lasso-smoke.json'], now, stream: fakeStream() };
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('completed: writes config.json, results, log and a completed manifest listing them', async () => {
    const stream = fakeStream();
    let seenDir = '';
    const listenersBefore = process.listenerCount('SIGINT');
    const dir = await withRun({ ...base, stream }, async (ctx) => {
      seenDir = ctx.dir;
      expect(readManifest(ctx.dir)!.status).toBe('running');
      expect(process.listenerCount('SIGINT')).toBe(listenersBefore + 1);
      ctx.progress.start(2, 'lasso');
      ctx.progress.tick(2, { lambda: 1 });
      ctx.progress.stop();
      expect(ctx.writeCsv('sparsity.csv', [{ method: 'spred', sparseRatio: 0.25 }])).toBe(path.join(ctx.dir, 'sparsity.csv'));
      ctx.writeSvg('plots/sparsity.svg', '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
      ctx.writeText('summary.txt', 'ok\n');
      ctx.writeText('summary.txt', 'ok, rewritten\n');
      ctx.log('sparse ratio 0.25');
      expect(ctx.files).toEqual(['config.json', 'sparsity.csv', 'plots/sparsity.svg', 'summary.txt']);
      t += 4250;
    });
    expect(dir).toBe(path.join(root, 'lasso', 'lasso-smoke-20261123T190000Z'));
    expect(seenDir).toBe(dir);
    expect(process.listenerCount('SIGINT')).toBe(listenersBefore);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'))).toEqual(config);
    expect(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe(`${JSON.stringify(config, null, 2)}\n`);
    expect(readCsv(path.join(dir, 'sparsity.csv'))).toEqual([{ method: 'spred', sparse_ratio: 0.25 }]);
    expect(fs.readFileSync(path.join(dir, 'summary.txt'), 'utf8')).toBe('ok, rewritten\n');
    expect(fs.readFileSync(path.join(dir, 'log.txt'), 'utf8')).toBe(`run directory: ${dir}\nsparse ratio 0.25\n`);
    expect(stream.chunks.join('')).toBe('lasso: 2/2 (100%) lambda=1 [0s]\nsparse ratio 0.25\n');
    const m = readManifest(dir)!;
    expect(m).toMatchObject({
      task: 'lasso',
      name: 'lasso-smoke',
      status: 'completed',
      error: null,
      seed: 3,
      argv: ['spred', 'run', 'configs/lasso-smoke.json'],
      startedAt: '2026-11-23T19:00:00.000Z',
      endedAt: '2026-11-23T19:00:04.250Z',
      wallSeconds: 4.25,
      files: ['config.json', 'sparsity.csv', 'plots/sparsity.svg', 'summary.txt', 'log.txt'],
    });
    expect(fs.readdirSync(dir).sort()).toEqual(['config.json', 'log.txt', 'manifest.json', 'plots', 'sparsity.csv', 'summary.txt']);
  });

  it('failed: records the message, keeps the files already written, rethrows the error itself', async () => {
    const boom = new Error('loss is NaN at step 40');
    let dir = '';
    await expect(
      withRun({ ...base, quiet: true }, (ctx) => {
        dir = ctx.dir;
        ctx.writeCsv('sweep.csv', [{ lr: 0.1, loss: 1.5 }]);
        throw boom;
      }),
    ).rejects.toBe(boom);
    const m = readManifest(dir)!;
    expect(m.status).toBe('failed');
    expect(m.error).toBe('loss is NaN at step 40');
    expect(m.files).toEqual(['config.json', 'sweep.csv', 'log.txt']);
    expect(readCsv(path.join(dir, 'sweep.csv'))).toEqual([{ lr: 0.1, loss: 1.5 }]);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.spred-tmp-'))).toEqual([]);
  });

  it('interrupted: InterruptedError from the body marks the run interrupted and is rethrown', async () => {
    const guard: InterruptGuard = {
      interrupted: true,
      signal: 'SIGINT',
      abortSignal: AbortSignal.abort(),
      throwIfInterrupted: () => {
        throw new InterruptedError('interrupted by SIGINT');
      },
      dispose: jest.fn(),
    };
    let dir = '';
    const err = await withRun({ ...base, interrupt: guard, quiet: true }, (ctx) => {
      dir = ctx.dir;
      ctx.writeCsv('partial.csv', [{ step: 1 }]);
      ctx.interrupt.throwIfInterrupted();
      ctx.writeCsv('never.csv', [{ step: 2 }]);
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as InterruptedError).exitCode).toBe(130);
    expect(guard.dispose).not.toHaveBeenCalled(); // not ours to dispose
    const m = readManifest(dir)!;
    expect(m).toMatchObject({ status: 'interrupted', error: 'interrupted by SIGINT', files: ['config.json', 'partial.csv', 'log.txt'] });
    expect(fs.existsSync(path.join(dir, 'never.csv'))).toBe(false);
  });

  it('interrupted: a real SIGINT during the body, which stops early and returns, still ends interrupted', async () => {
    const others = process.listeners('SIGINT');
    process.removeAllListeners('SIGINT');
    const stream = fakeStream();
    let dir = '';
    const notice = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const err = await withRun({ ...base, stream }, async (ctx) => {
        dir = ctx.dir;
        const done: { step: number }[] = [];
        ctx.progress.start(10, 'steps');
        for (let step = 1; step <= 10; step++) {
          if (ctx.interrupt.interrupted) break;
          done.push({ step });
          ctx.progress.tick();
          if (step === 3) process.emit('SIGINT');
        }
        ctx.writeCsv('steps.csv', done);
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InterruptedError);
    } finally {
      notice.mockRestore();
      for (const l of others) process.on('SIGINT', l);
    }
    expect(process.listenerCount('SIGINT')).toBe(others.length);
    expect(readCsv(path.join(dir, 'steps.csv'))).toEqual([{ step: 1 }, { step: 2 }, { step: 3 }]);
    expect(readManifest(dir)).toMatchObject({ status: 'interrupted', files: ['config.json', 'steps.csv', 'log.txt'] });
    // the progress line was closed with the state reached
    expect(stream.chunks.join('')).toContain('steps: 3/10 (30%)');
  });

  it('refuses file names outside the run directory or owned by the run', async () => {
    const dirs: string[] = [];
    await withRun({ ...base, quiet: true }, (ctx) => {
      dirs.push(ctx.dir);
      expect(() => ctx.writeText('../escape.txt', 'x')).toThrow(RunError);
      expect(() => ctx.writeText('/tmp/abs.txt', 'x')).toThrow(/must be a relative path inside the run directory/);
      expect(() => ctx.writeText('manifest.json', '{}')).toThrow(/reserved/);
      expect(() => ctx.writeText('./config.json', '{}')).toThrow(/reserved/);
      expect(() => ctx.writeSvg('a.svg', 'not svg')).toThrow(/a\.svg: not an SVG document/);
    });
    expect(fs.existsSync(path.join(root, 'lasso', 'escape.txt'))).toBe(false);
    expect(readManifest(dirs[0])!.status).toBe('completed');
  });

  it('gives each run in the same second its own directory', async () => {
    const a = await withRun({ ...base, quiet: true }, () => {});
    const b = await withRun({ ...base, quiet: true }, () => {});
    expect(b).toBe(`${a}-2`);
    expect(readManifest(a)!.files).toEqual(['config.json', 'log.txt']);
  });
});
