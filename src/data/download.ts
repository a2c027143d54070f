import * as fs from 'node:fs';
import { RunError } from '../errors';

/**
 * One HTTP(S) download to a file with Node's `fetch`: an idle timeout, a check of the announced
 * length, and optionally continuing a partial file with a `Range` request. The data-set registry's
 * fetch (`fetch.ts`) and the GEO fetch (`geo_fetch.ts`) both use it.
 */

function describeNetworkError(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const cause = err.cause;
  if (cause && typeof cause.message === 'string' && cause.message !== '') return `network error: ${cause.message}`;
  if (cause && cause.code) return `network error: ${cause.code}`;
  return `network error: ${err.message}`;
}

export interface DownloadOptions {
  fetchImpl: typeof fetch;
  idleTimeoutMs: number;
  /**
   * Continue `file` from its current length with an HTTP `Range` request. A server that answers
   * 200 (no range support), 416 or a `Content-Range` that does not start where the file ends gets
   * the file restarted from byte 0. Default false: `file` must not exist yet.
   */
  resume?: boolean;
  /** Called after every chunk with the bytes `file` now holds and the full size when the server says it. */
  onProgress?: (bytes: number, total: number | undefined) => void;
}

export interface Downloaded {
  /** Bytes `file` holds at the end. */
  bytes: number;
  /** Bytes kept from an earlier partial download (0 when it started from scratch). */
  resumedFrom: number;
  /** A partial file was there but the server could not continue it, so it was restarted. */
  restarted: boolean;
}

/** `bytes 100-199/1000` → start 100, total 1000 (total undefined for `*`). */
function parseContentRange(header: string | null): { start: number; total: number | undefined } | undefined {
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header?.trim() ?? '');
  return m ? { start: Number(m[1]), total: m[2] === '*' ? undefined : Number(m[2]) } : undefined;
}

/**
 * Downloads `url` to `file`, resetting an idle timer on every chunk; with `resume`, continues a
 * partial `file` (see `DownloadOptions.resume`). Throws a `RunError` for an HTTP status other than
 * 2xx, a network failure, a stalled transfer or fewer bytes than the server announced; what arrived
 * stays in `file`, so a later call with `resume` continues it.
 */
export async function downloadFile(url: string, file: string, opts: DownloadOptions): Promise<Downloaded> {
  const { fetchImpl, idleTimeoutMs } = opts;
  const ac = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, idleTimeoutMs);
  };
  const stalled = (): RunError => new RunError(`no data for ${idleTimeoutMs / 1000} s`);
  const partial = opts.resume ? fileSize(file) : 0;
  const request = async (from: number): Promise<Response> => {
    // identity: a server that adds `Content-Encoding: gzip` to a .gz file would otherwise have the
    // file decompressed on the way, and its checksum would no longer match.
    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    if (from > 0) headers.range = `bytes=${from}-`;
    try {
      return await fetchImpl(url, { signal: ac.signal, redirect: 'follow', headers });
    } catch (e) {
      throw timedOut ? stalled() : new RunError(describeNetworkError(e));
    }
  };
  arm();
  try {
    let res = await request(partial);
    let from = 0;
    let restarted = false;
    if (partial > 0) {
      const range = res.status === 206 ? parseContentRange(res.headers.get('content-range')) : undefined;
      if (range?.start === partial) {
        from = partial;
      } else {
        restarted = true;
        if (res.status !== 200) {
          await res.body?.cancel().catch(() => undefined);
          res = await request(0);
        }
      }
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new RunError(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    }
    const length = Number(res.headers.get('content-length') ?? NaN);
    const total = from > 0 ? parseContentRange(res.headers.get('content-range'))?.total : Number.isFinite(length) ? length : undefined;
    const fh = await fs.promises.open(file, from > 0 ? 'a' : opts.resume ? 'w' : 'wx', 0o666);
    let received = 0;
    try {
      opts.onProgress?.(from, total);
      if (res.body) {
        try {
          for await (const chunk of res.body) {
            arm();
            await fh.write(chunk);
            received += chunk.length;
            opts.onProgress?.(from + received, total);
          }
        } catch (e) {
          if (timedOut) throw new RunError(`no data for ${idleTimeoutMs / 1000} s after ${from + received} bytes`);
          throw new RunError(`connection lost after ${from + received} bytes: ${describeNetworkError(e).replace(/^network error: /, '')}`);
        }
      }
      if (Number.isFinite(length) && length !== received) {
        throw new RunError(`connection closed after ${from + received} of ${from + length} bytes`);
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    return { bytes: from + received, resumedFrom: from, restarted };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** Bytes in `file`; 0 when it does not exist. */
export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

