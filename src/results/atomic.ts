import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Prefix of the temporary files `writeFileAtomic` creates beside their target. `.gitignore` lists
 * `.spred-tmp-*`, so one left by a killed process never shows up as a change.
 */
export const TEMP_PREFIX = '.spred-tmp-';

/** A fresh temporary name beside `file` (same folder, so a rename onto `file` is atomic): `.spred-tmp-<name>-<pid>-<random>`. */
export function tempPathBeside(file: string): string {
  return path.join(path.dirname(file), `${TEMP_PREFIX}${path.basename(file)}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * Writes `data` to `file` so that readers see either the old file or the whole new one, never a half
 * file: the bytes go to a temporary name in the same directory (same filesystem, so the rename is
 * atomic on POSIX), are fsynced, and the temporary file is renamed over the target. On any failure
 * the temporary file is removed and the error rethrown; the target is untouched.
 *
 * The parent directory must exist. Synchronous on purpose: results are small, and a caller that
 * forgets to `await` cannot then lose an error.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = tempPathBeside(file);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o666);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing; the original error is the one to report
      }
    }
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  syncDirectory(path.dirname(file));
}

/** Makes the rename itself durable. Best effort: not every platform can open a directory. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows and some filesystems refuse; the data itself is already synced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
