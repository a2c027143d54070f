import * as path from 'node:path';
import { RegressionError } from '../errors';
import { packageRoot } from '../paths';
import { checkRun, formatCheckTable } from '../report/check';

/**
 * `spred check <run-dir> [--reference <dir|file>]`: prints one line per check and throws
 * `RegressionError` (exit 1) naming the failed checks, or `UsageError` (exit 2) when the run directory
 * or the reference file is missing or malformed. The default reference folder is the package's
 * `reference/`.
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
  const problems: string[] = [];
  if (failed.length > 0) problems.push(`${failed.length} of ${report.results.length} checks failed: ${failed.map((r) => r.name).join('; ')}`);
  if (report.runStatus !== null && report.runStatus !== 'completed') {
    problems.push(`the run is ${report.runStatus}, not completed, so its numbers are not final`);
  }
  if (problems.length > 0) throw new RegressionError(`${report.config}: ${problems.join('; ')}`);
}
