import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Removes `dir` and its parents up to and including `top`, as long as each is empty; stops at the
 * first that holds anything (or cannot be removed). Never goes above `top`.
 */
export function removeEmptyDirs(dir: string, top: string): void {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      fs.rmdirSync(d);
    } catch {
      return;
    }
    if (d === top || path.dirname(d) === d) return;
  }
}
