import * as readline from 'node:readline';
import { openFileStream, streamReadError } from './gzip';

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
  const stream = openFileStream(file);
  const rl = readline.createInterface({ input: stream.input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of rl) {
      n++;
      yield n === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
    }
  } catch (e) {
    throw streamReadError(file, stream.gzip, n === 0 ? 'before the first line' : `after line ${n}`, e as NodeJS.ErrnoException);
  } finally {
    rl.close();
    stream.destroy();
  }
}
