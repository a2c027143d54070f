import * as path from 'node:path';
import { RegressionError } from '../errors';
import { packageRoot } from '../paths';
import { checkRun, formatCheckTable } from '../report/check';

/**
 * `spred check <run-dir> [--reference <dir|file>]`. Three verdicts:
 * - pass: prints one line per check;
 * - regression: prints the table, then throws `RegressionError` (exit 1) naming the failed checks;
 * - not comparable: prints nothing and throws `NotComparableError` (exit 2, one line) when the run was
 *   made from another resolved config than the reference's, did not complete, or lacks a file the
 *   reference reads. A missing or malformed run directory or reference file is a `UsageError` (exit 2).
 * The default reference folder is the package's `reference/`.
 */
export async function checkCommand(runDir: string, opts: { reference?: string }): Promise<void> {
  const reference = opts.reference ?? path.join(packageRoot(), 'reference');
  const report = checkRun(runDir, reference);
  const failed = report.results.filter((r) => !r.pass);
  const lines = [
    `run: ${report.runDir} (config ${report.config}${report.runStatus ? `, ${report.runStatus}` : ''})`,
    `reference: ${report.referenceFile}`,
    '',
    formatCheckTable(report.results),
    '',
    `${report.results.length} checks: ${report.results.length - failed.length} passed, ${failed.length} failed`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (failed.length > 0) {
    throw new RegressionError(`${report.config}: ${failed.length} of ${report.results.length} checks failed: ${failed.map((r) => r.name).join('; ')}`);
  }
}
