/**
 * Progress of long loops: a cli-progress bar on a terminal, plain periodic lines in CI and pipes,
 * nothing with `--quiet`. Runners only see the `Progress` interface; `createProgress` picks one.
 */
import { SingleBar } from 'cli-progress';

export type ProgressInfo = Record<string, number | string>;

export interface Progress {
  /** Begins a loop of `total` units named `label`; a loop still open is stopped first. */
  start(total: number, label: string): void;
  /** Counts `n` (default 1) units done; `info` values replace earlier ones with the same key. */
  tick(n?: number, info?: ProgressInfo): void;
  /** Ends the loop, showing its final state. Safe to call twice or without `start`. */
  stop(): void;
  /** Prints one line (a message) without garbling a bar in progress. */
  log(line: string): void;
}

/** The output side of a stream: process.stderr, or a fake in tests. */
export interface ProgressStream {
  write(chunk: string, cb?: (err?: Error | null) => void): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** No progress and no messages at all. Default false. */
  quiet?: boolean;
  /** Where to write; default `process.stderr`. A TTY gets a bar, anything else plain lines. */
  stream?: ProgressStream;
  /** Environment used to detect CI (`CI=true`) and dumb terminals; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Clock in milliseconds for the plain lines; default `Date.now`. */
  now?: () => number;
  /** Least time between two plain lines, in ms; default 2000. */
  intervalMs?: number;
}

/** `0.1` → `0.1`, `0.123456` → `0.1235`, `1e-7` → `1e-7`, `120` → `120`. */
export function formatInfoValue(v: number | string): string {
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

function formatInfo(info: ProgressInfo): string {
  return Object.entries(info)
    .map(([k, v]) => `${k}=${formatInfoValue(v)}`)
    .join(' ');
}

/** `42s`, `3m05s`, `2h01m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function isCI(env: Record<string, string | undefined>): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/**
 * The progress reporter for `opts`: silent when quiet; a cli-progress bar when the stream is a TTY,
 * not in CI and not a dumb terminal; plain lines otherwise.
 */
export function createProgress(opts: ProgressOptions = {}): Progress {
  if (opts.quiet) return new SilentProgress();
  const stream = opts.stream ?? process.stderr;
  const env = opts.env ?? process.env;
  if (stream.isTTY === true && !isCI(env) && env.TERM !== 'dumb') return new BarProgress(stream);
  return new PlainProgress(stream, { now: opts.now, intervalMs: opts.intervalMs });
}

/** `--quiet`: reports nothing. */
export class SilentProgress implements Progress {
  start(): void {}
  tick(): void {}
  stop(): void {}
  log(): void {}
}

/**
 * Plain lines for logs and CI: `lasso: 40/120 (33%) method=spred lr=0.1 [12s, eta 24s]`, at most one
 * every `intervalMs` while ticking, and always the final line at completion or `stop()`.
 */
export class PlainProgress implements Progress {
  private readonly now: () => number;
  private readonly intervalMs: number;
  private active = false;
  private label = '';
  private total = 0;
  private done = 0;
  private info: ProgressInfo = {};
  private t0 = 0;
  private lastLineAt = 0;
  private printedDone = -1;

  constructor(
    private readonly stream: ProgressStream,
    opts: { now?: () => number; intervalMs?: number } = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.intervalMs = opts.intervalMs ?? 2000;
  }

  start(total: number, label: string): void {
    if (this.active) this.stop();
    this.active = true;
    this.label = label;
    this.total = total;
    this.done = 0;
    this.info = {};
    this.t0 = this.now();
    this.lastLineAt = this.t0;
    this.printedDone = -1;
  }

  tick(n = 1, info?: ProgressInfo): void {
    if (!this.active) return;
    this.done += n;
    if (info) Object.assign(this.info, info);
    const t = this.now();
    const finished = this.total > 0 && this.done >= this.total;
    if (t - this.lastLineAt >= this.intervalMs || (finished && this.printedDone !== this.done)) this.emit(t);
  }

  stop(): void {
    if (!this.active) return;
    if (this.printedDone !== this.done) this.emit(this.now());
    this.active = false;
  }

  log(line: string): void {
    this.stream.write(`${line}\n`);
  }

  /** The current line, without the newline. */
  line(t: number = this.now()): string {
    const elapsed = (t - this.t0) / 1000;
    const parts = [`${this.label}: ${this.done}/${this.total}`];
    if (this.total > 0) parts.push(`(${Math.floor((100 * Math.min(this.done, this.total)) / this.total)}%)`);
    const info = formatInfo(this.info);
    if (info) parts.push(info);
    let timing = formatDuration(elapsed);
    if (this.done > 0 && this.done < this.total) timing += `, eta ${formatDuration((elapsed * (this.total - this.done)) / this.done)}`;
    parts.push(`[${timing}]`);
    return parts.join(' ');
  }

  private emit(t: number): void {
    this.stream.write(`${this.line(t)}\n`);
    this.lastLineAt = t;
    this.printedDone = this.done;
  }
}

/**
 * A cli-progress `SingleBar` on a terminal. cli-progress saves and restores the cursor (DECSC/DECRC)
 * around a bar, which puts the cursor on the wrong row once a message has been printed above the bar
 * and the screen has scrolled; so the bar gets a view of the stream without those two sequences and
 * is simply redrawn in place after each message.
 */
export class BarProgress implements Progress {
  private bar: SingleBar | undefined;
  private info: ProgressInfo = {};
  private readonly view: ProgressStream;

  constructor(private readonly stream: ProgressStream) {
    this.view = {
      isTTY: true,
      get columns() {
        return stream.columns;
      },
      write: (chunk, cb) => (chunk === '\x1B7' || chunk === '\x1B8' ? (cb?.(), true) : stream.write(chunk, cb)),
    };
  }

  start(total: number, label: string): void {
    this.stop();
    this.bar = new SingleBar({
      stream: this.view as unknown as NodeJS.WritableStream,
      format: '{label} |{bar}| {value}/{total} {percentage}% [{duration_formatted}, eta {eta_formatted}] {info}',
      barsize: 24,
      // Neither hide the cursor nor turn off line wrapping: a second Ctrl-C exits at once, and would
      // leave the user's terminal that way. (The bar is cut to the terminal width instead.)
      hideCursor: false,
      linewrap: true,
      clearOnComplete: false,
      stopOnComplete: false,
      // Redraw on every render, so the bar comes back at once after a message printed over it.
      forceRedraw: true,
      gracefulExit: false,
      etaBuffer: 50,
    });
    this.bar.start(total, 0, { label, info: '' });
  }

  tick(n = 1, info?: ProgressInfo): void {
    if (!this.bar) return;
    if (info) Object.assign(this.info, info);
    this.bar.increment(n, { info: formatInfo(this.info) });
  }

  stop(): void {
    if (!this.bar) return;
    this.bar.stop(); // draws the final state and ends the line
    this.bar = undefined;
    this.info = {};
  }

  log(line: string): void {
    if (!this.bar) {
      this.stream.write(`${line}\n`);
      return;
    }
    this.stream.write(`\r\x1B[2K${line}\n`);
    this.bar.render();
  }
}
