import * as fs from 'node:fs';
import { DataError } from '../errors';

/** The one-line error for a data file that cannot be opened or read. */
export function cannotRead(file: string, e: unknown): DataError {
  const err = e as NodeJS.ErrnoException;
  return new DataError(`${file}: cannot read: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
}

/** The whole of a data file; a missing or unreadable file is a `DataError`. */
export function readDataFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw cannotRead(file, e);
  }
}
