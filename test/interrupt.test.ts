/**
 * Ctrl-C and SIGTERM stop every runner within seconds (issue 14 item 1): the real CLI in a child
 * process, signalled while its fits train. The run directory is left consistent: a parseable manifest
 * marked `interrupted`, complete CSVs of the fits that finished, exit 128 + the signal number.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCsv } from '../src/results/csv';
import { readJson, ROOT, runAndSignal, tempDir } from './harness';

let tmp: string;
beforeAll(() => {
  tmp = tempDir('interrupt');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.each([
  ['lasso', 'configs/lasso-smoke.json', 'sparsity.csv'],
  ['lasso-scaling', 'configs/lasso-scaling-smoke.json', 'timing.csv'],
  ['mlp-node-sparsity', 'configs/mlp-node-sparsity-smoke.yaml', 'node_sparsity.csv'],
  ['sparse-coding', 'configs/sparse-coding-smoke.yaml', 'summary.csv'],
  ['gene-selection', 'configs/gene-selection-smoke.yaml', 'accuracy.csv'],
  // authors mode: one l1-logistic FISTA solve (12 classes) runs 50–127 s without a checkpoint; the
  // pool terminates such a worker INTERRUPT_GRACE_MS after the signal (trial.js: 11 s → 2.2 s to stop)
  ['gene-selection (authors mode)', 'configs/gene-selection-authors-smoke.yaml', 'accuracy.csv'],
  ['resnet-pruning', 'configs/resnet-pruning-smoke.yaml', 'pruning.csv'],
])('%s', (_task, config, csv) => {
  test.each<[NodeJS.Signals, number, string[]]>([
    ['SIGINT', 130, []],
    ['SIGTERM', 143, ['--workers', '2']],
  ])('%s stops it within seconds, marked interrupted (exit %i)', async (signal, exitCode, extra) => {
    const r = await runAndSignal(path.join(ROOT, config), path.join(tmp, `${path.basename(config)}-${signal}`), signal, extra);
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
