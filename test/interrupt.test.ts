/**
 * Ctrl-C and SIGTERM stop every runner within seconds (issue 14 item 1): the real CLI in a child
 * process, signalled while its fits train. The run directory is left consistent: a parseable manifest
 * marked `interrupted`, complete CSVs of the fits that finished, exit 128 + the signal number.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCsv } from '../src/results/csv';
import { readJson, ROOT, tempDir } from './harness';

let tmp: string;
beforeAll(() => {
  tmp = tempDir('interrupt');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Stopped {
  code: number | null;
  stderr: string;
  dir: string;
  /** Seconds from the signal to the exit. */
  seconds: number;
}

/** Starts `spred run`, waits until its fits are training, sends `signal`, and waits for the exit. */
function runAndSignal(config: string, signal: NodeJS.Signals, extra: string[] = []): Promise<Stopped> {
  return new Promise((resolve, reject) => {
    const out = path.join(tmp, `${path.basename(config)}-${signal}`);
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/spred'), 'run', path.join(ROOT, config), '--out', out, ...extra], {
      env: { ...process.env, CI: 'true' },
    });
    let stderr = '';
    let stdout = '';
    let sentAt = 0;
    child.stdout.on('data', (b) => (stdout += String(b)));
    child.stderr.on('data', (b) => {
      stderr += String(b);
      // Signal once the run directory exists and the first fits have had time to start.
      if (sentAt === 0 && /run directory: /.test(stderr)) {
        sentAt = -1;
        setTimeout(() => {
          sentAt = performance.now();
          child.kill(signal);
        }, 2500);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr, dir: stdout.trim(), seconds: (performance.now() - sentAt) / 1000 }));
  });
}

describe.each([
  ['lasso', 'configs/lasso-smoke.json', 'sparsity.csv'],
  ['lasso-scaling', 'configs/lasso-scaling-smoke.json', 'timing.csv'],
  ['mlp-node-sparsity', 'configs/mlp-node-sparsity-smoke.yaml', 'node_sparsity.csv'],
])('%s', (_task, config, csv) => {
  test.each<[NodeJS.Signals, number, string[]]>([
    ['SIGINT', 130, []],
    ['SIGTERM', 143, ['--workers', '2']],
  ])('%s stops it within seconds, marked interrupted (exit %i)', async (signal, exitCode, extra) => {
    const r = await runAndSignal(config, signal, extra);
    expect(r.stderr).toMatch(new RegExp(`${signal}: stopping`));
    expect(r.code).toBe(exitCode);
    expect(r.seconds).toBeLessThan(15);
    const manifest = readJson(path.join(r.dir, 'manifest.json'));
    expect(manifest).toMatchObject({ status: 'interrupted', error: `interrupted by ${signal}` });
    // The outputs of the fits that finished are complete CSV files.
    expect(manifest.files).toContain(csv);
    expect(() => readCsv(path.join(r.dir, csv))).not.toThrow();
  }, 120_000);
});
