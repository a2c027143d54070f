import * as fs from 'node:fs';
import * as readline from 'node:readline';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { DataError } from '../errors';

/**
 * The lines of a text file, gzipped or plain, read as a stream (a 100 MB file is never held as one
 * string). A gzip file is recognised by its magic bytes 1f 8b, never by its name. Lines end at \n or
 * \r\n; the terminators are dropped, and so is a UTF-8 byte-order mark at the start.
 *
 * A file that cannot be opened, a gzip stream that ends early (an interrupted download) or corrupt
 * gzip data end the iteration with a one-line `DataError` naming the file and the last complete line.
 * Breaking out of the loop early closes the file.
 */
export async function* textLines(file: string): AsyncGenerator<string, void, undefined> {
  const gzip = sniffGzip(file);
  const raw = fs.createReadStream(file);
  let input: Readable = raw;
  let gunzip: zlib.Gunzip | null = null;
  if (gzip) {
    gunzip = zlib.createGunzip();
    raw.on('error', (e) => gunzip?.destroy(e));
    input = raw.pipe(gunzip);
  }
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of rl) {
      n++;
      yield n === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const after = n === 0 ? 'before the first line' : `after line ${n}`;
    if (gzip && err.code === 'Z_BUF_ERROR') {
      throw new DataError(`${file}: truncated gzip stream: the data end ${after} (an interrupted download?)`);
    }
    if (gzip && typeof err.code === 'string' && err.code.startsWith('Z_')) {
      throw new DataError(`${file}: corrupt gzip data ${after}: ${err.message}`);
    }
    throw new DataError(`${file}: cannot read ${after}: ${err.message}`);
  } finally {
    rl.close();
    gunzip?.destroy();
    raw.destroy();
  }
}

/** True when the file starts with the gzip magic 1f 8b; a missing or unreadable file is a `DataError`. */
function sniffGzip(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new DataError(`${file}: cannot read: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
  try {
    const head = Buffer.alloc(2);
    const got = fs.readSync(fd, head, 0, 2, 0);
    return got === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch (e) {
    throw new DataError(`${file}: cannot read: ${(e as Error).message}`);
  } finally {
    fs.closeSync(fd);
  }
}
