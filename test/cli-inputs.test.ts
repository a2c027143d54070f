/**
 * Issue 14 item 4: bad inputs a new user hits, each one line naming the right thing and exit 2,
 * before any run directory exists; and help texts with examples.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, spred, tempDir } from './harness';

let dir: string;
beforeAll(() => {
  dir = tempDir('inputs');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('--set iterations=abc names the --set argument, not the config file', async () => {
  const out = path.join(dir, 'runs-set');
  const r = await spred('run', path.join(ROOT, 'configs/lasso-smoke.json'), '--set', 'iterations=abc', '--out', out, '--quiet');
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('spred: error: --set iterations=abc: Invalid input: expected number, received string\n');
  expect(fs.existsSync(out)).toBe(false);
});

test('--out <a file> is bad input: exit 2, one line, nothing created', async () => {
  const file = path.join(dir, 'a-file');
  fs.writeFileSync(file, 'not a folder');
  const r = await spred('run', path.join(ROOT, 'configs/lasso-smoke.json'), '--out', file, '--quiet', '--set', 'iterations=20');
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(`spred: error: output ${file} is a file, not a directory (--out or the config field \`output\`)\n`);
  expect(r.stdout).toBe('');
  expect(fs.readFileSync(file, 'utf8')).toBe('not a folder');
});

test('a lasso-scaling problem without source is a synthetic problem', async () => {
  const config = path.join(dir, 'scaling.json');
  fs.writeFileSync(config, JSON.stringify({ task: 'lasso-scaling', problem: { samples: 50, features: [100], outputs: [1] } }));
  const r = await spred('validate', config);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

test('spred data list --help has an example', async () => {
  const r = await spred('data', 'list', '--help');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Examples:\n {2}\$ spred data list/);
});
