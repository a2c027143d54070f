/**
 * Gzip, the one way every reader here handles it: a file is gzip when its bytes start with the magic
 * 1f 8b, never because of its name; an early end (an interrupted download) and corrupt data are
 * one-line `DataError`s naming the file.
 */
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { DataError } from '../errors';
import { cannotRead } from './read_file';

/** True when `bytes` start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export interface Gunzipped {
  bytes: Uint8Array;
  /** The input was gzip (offsets in messages are then "of the decompressed data"). */
  gzipped: boolean;
  /** With `recoverTruncated`: the stream ended early and `bytes` is what arrived. */
  truncated: boolean;
}

/**
 * `input` decompressed when it is gzip, else as it is. A gzip stream that ends early throws
 * "truncated gzip stream" (with `truncatedNote` in brackets), unless `recoverTruncated`: then the
 * bytes that arrived come back with `truncated: true`, so the caller can say how much of its format
 * is there.
 */
export function gunzipBytes(input: Uint8Array, label: string, opts: { recoverTruncated?: boolean; truncatedNote?: string } = {}): Gunzipped {
  if (!isGzip(input)) return { bytes: input, gzipped: false, truncated: false };
  try {
    return { bytes: zlib.gunzipSync(input), gzipped: true, truncated: false };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code !== 'Z_BUF_ERROR') throw new DataError(`${label}: corrupt gzip data: ${err.message}`);
    if (!opts.recoverTruncated) throw new DataError(`${label}: truncated gzip stream${opts.truncatedNote ? ` (${opts.truncatedNote})` : ''}`);
    try {
      return { bytes: zlib.gunzipSync(input, { finishFlush: zlib.constants.Z_SYNC_FLUSH }), gzipped: true, truncated: true };
    } catch (e2) {
      throw new DataError(`${label}: corrupt gzip data: ${(e2 as Error).message}`);
    }
  }
}

/** Whether `file` starts with the gzip magic; a missing or unreadable file is a `DataError`. */
export function fileIsGzip(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw cannotRead(file, e);
  }
  try {
    const head = Buffer.alloc(2);
    return fs.readSync(fd, head, 0, 2, 0) === 2 && isGzip(head);
  } catch (e) {
    throw new DataError(`${file}: cannot read: ${(e as Error).message}`);
  } finally {
    fs.closeSync(fd);
  }
}

export interface FileStream {
  /** The file's bytes, decompressed when it is gzip; read errors of the file arrive here too. */
  input: Readable;
  gzip: boolean;
  /** Closes the file (safe to call twice). */
  destroy(): void;
}

/** `file` as a stream, decompressed when it is gzip. */
export function openFileStream(file: string): FileStream {
  const gzip = fileIsGzip(file);
  const raw = fs.createReadStream(file);
  if (!gzip) return { input: raw, gzip, destroy: () => raw.destroy() };
  const gunzip = zlib.createGunzip();
  raw.on('error', (e) => gunzip.destroy(e));
  return {
    input: raw.pipe(gunzip),
    gzip,
    destroy: () => {
      gunzip.destroy();
      raw.destroy();
    },
  };
}

/**
 * The one-line error for a stream of `file` that failed `after` (e.g. "after line 12"): a gzip stream
 * that ended early, corrupt gzip data, or any other read error.
 */
export function streamReadError(file: string, gzip: boolean, after: string, err: NodeJS.ErrnoException): DataError {
  const message = err.message.replace(/\s*\n\s*/g, ' ');
  if (gzip && err.code === 'Z_BUF_ERROR') return new DataError(`${file}: truncated gzip stream: the data end ${after} (an interrupted download?)`);
  if (gzip && typeof err.code === 'string' && err.code.startsWith('Z_')) return new DataError(`${file}: corrupt gzip data ${after}: ${message}`);
  return new DataError(`${file}: cannot read ${after}: ${message}`);
}
