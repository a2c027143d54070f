import { BarProgress, createProgress, formatDuration, formatInfoValue, PlainProgress, SilentProgress } from './progress';

function fakeStream(isTTY = false) {
  const chunks: string[] = [];
  return {
    chunks,
    isTTY,
    columns: 100,
    write(chunk: string, cb?: (err?: Error | null) => void) {
      chunks.push(chunk);
      cb?.();
      return true;
    },
    text: () => chunks.join(''),
    lines: () => chunks.join('').split('\n').filter((l) => l !== ''),
  };
}

describe('createProgress', () => {
  it('is silent when quiet, a bar on a TTY, and plain lines in CI, on dumb terminals and in pipes', () => {
    expect(createProgress({ quiet: true, stream: fakeStream(true), env: {} })).toBeInstanceOf(SilentProgress);
    expect(createProgress({ stream: fakeStream(true), env: {} })).toBeInstanceOf(BarProgress);
    expect(createProgress({ stream: fakeStream(true), env: { CI: 'false' } })).toBeInstanceOf(BarProgress);
    expect(createProgress({ stream: fakeStream(true), env: { CI: 'true' } })).toBeInstanceOf(PlainProgress);
    expect(createProgress({ stream: fakeStream(true), env: { TERM: 'dumb' } })).toBeInstanceOf(PlainProgress);
    expect(createProgress({ stream: fakeStream(false), env: {} })).toBeInstanceOf(PlainProgress);
  });

  it('writes nothing at all when quiet', () => {
    const s = fakeStream(true);
    const p = createProgress({ quiet: true, stream: s });
    p.start(10, 'x');
    p.tick(5);
    p.log('hello');
    p.stop();
    expect(s.chunks).toEqual([]);
  });
});

describe('PlainProgress', () => {
  it('prints at most one line every 2 s, then the final line, with info and timing', () => {
    const s = fakeStream();
    let t = 0;
    const p = createProgress({ stream: s, env: {}, now: () => t });
    p.start(120, 'lasso');
    // 120 ticks, 100 ms apart: 12 s in all.
    for (let i = 1; i <= 120; i++) {
      t += 100;
      p.tick(1, { lr: 0.1, method: 'spred', loss: 0.123456789 });
    }
    p.stop();
    const lines = s.lines();
    // a line at 2 s, 4 s, …, 10 s, then the final one at 12 s (not printed twice by stop()).
    expect(lines).toEqual([
      'lasso: 20/120 (16%) lr=0.1 method=spred loss=0.1235 [2s, eta 10s]',
      'lasso: 40/120 (33%) lr=0.1 method=spred loss=0.1235 [4s, eta 8s]',
      'lasso: 60/120 (50%) lr=0.1 method=spred loss=0.1235 [6s, eta 6s]',
      'lasso: 80/120 (66%) lr=0.1 method=spred loss=0.1235 [8s, eta 4s]',
      'lasso: 100/120 (83%) lr=0.1 method=spred loss=0.1235 [10s, eta 2s]',
      'lasso: 120/120 (100%) lr=0.1 method=spred loss=0.1235 [12s]',
    ]);
  });

  it('prints the final state on an early stop, keeps earlier info, and restarts cleanly', () => {
    const s = fakeStream();
    let t = 1000;
    const p = new PlainProgress(s, { now: () => t, intervalMs: 2000 });
    p.start(50, 'grid');
    p.tick(3, { lambda: 0.5 });
    t += 500;
    p.tick(2);
    p.log('a message');
    p.stop();
    p.stop();
    p.tick(1); // after stop: ignored
    p.start(2, 'next');
    t += 10;
    p.tick(2);
    expect(s.lines()).toEqual(['a message', 'grid: 5/50 (10%) lambda=0.5 [1s, eta 5s]', 'next: 2/2 (100%) [0s]']);
  });

  it('formats values and durations compactly', () => {
    expect([formatInfoValue(0.1), formatInfoValue(1e-7), formatInfoValue(120), formatInfoValue(2 / 3), formatInfoValue('adam')]).toEqual([
      '0.1',
      '1e-7',
      '120',
      '0.6667',
      'adam',
    ]);
    expect([formatDuration(42.4), formatDuration(185), formatDuration(7260)]).toEqual(['42s', '3m05s', '2h01m']);
  });
});

describe('BarProgress', () => {
  it('draws a cli-progress bar, prints messages above it, and ends with a newline', () => {
    const s = fakeStream(true);
    const p = new BarProgress(s);
    p.start(10, 'lasso');
    p.tick(4, { lr: 0.01 });
    p.log('switching optimizer');
    p.tick(6);
    p.stop();
    const out = s.text();
    expect(out).toContain('lasso |');
    expect(out).toContain('10/10 100%');
    expect(out).toContain('lr=0.01');
    expect(out).toContain('\r\x1B[2Kswitching optimizer\n');
    expect(out).toMatch(/10\/10 100%[^\n]*\n$/);
    expect(out).not.toMatch(/\n\n$/);
    // No cursor save/restore: they land on the wrong row once messages scrolled the screen.
    expect(out).not.toContain('\x1B7');
    expect(out).not.toContain('\x1B8');
    // Nor hidden cursor or disabled wrapping, which a hard exit would leave behind in the terminal.
    expect(out).not.toMatch(/\x1B\[\?(7l|25l)/);
    p.log('after');
    expect(s.text().endsWith('after\n')).toBe(true);
  });
});
