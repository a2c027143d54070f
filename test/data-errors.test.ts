/**
 * Issue 14 item 2: a bad data file is refused before any run directory exists — exit 2, one line that
 * names the config file, the config field that pointed at the data, and what is wrong. The broken files
 * are made from the real Fashion-MNIST IDX files and a real `.npy` problem, not invented formats.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { encodeNpy } from '../src/data/npy';
import { spred, tempDir } from './harness';

const FASHION = path.join(__dirname, '..', '..', 'shared', 'data', 'fashion-mnist');
const FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
let tmp: string;

beforeAll(() => {
  tmp = tempDir('data-errors');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A copy of the Fashion-MNIST folder with `file` replaced by `bytes`. */
function fashionWith(name: string, file: string, bytes: Buffer): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  for (const f of FILES) fs.copyFileSync(path.join(FASHION, f), path.join(dir, f));
  fs.writeFileSync(path.join(dir, file), bytes);
  return dir;
}

function mlpConfig(dataPath: string): string {
  const file = path.join(tmp, `mlp-${path.basename(dataPath)}.json`);
  fs.writeFileSync(file, JSON.stringify({ task: 'mlp-node-sparsity', data: { dataset: 'fashion-mnist', path: dataPath, trainLimit: 100, testLimit: 100 } }));
  return file;
}

const gunzip = (f: string) => zlib.gunzipSync(fs.readFileSync(path.join(FASHION, f)));

test.each<[string, () => string, RegExp]>([
  ['a truncated gzip IDX file', () => {
    const whole = fs.readFileSync(path.join(FASHION, 'train-labels-idx1-ubyte.gz'));
    return fashionWith('truncated', 'train-labels-idx1-ubyte.gz', whole.subarray(0, whole.length >> 1));
  }, /data\.path .*train-labels-idx1-ubyte\.gz.*(truncated|ends)/],
  ['a wrong IDX magic number', () => {
    const raw = Buffer.from(gunzip('t10k-labels-idx1-ubyte.gz'));
    raw[0] = 0x12;
    return fashionWith('magic', 't10k-labels-idx1-ubyte.gz', zlib.gzipSync(raw));
  }, /data\.path .*t10k-labels-idx1-ubyte\.gz.*magic/],
  ['image and label counts that differ', () => {
    // The test labels file with its count and data cut to 9000 labels.
    const raw = Buffer.from(gunzip('t10k-labels-idx1-ubyte.gz'));
    raw.writeUInt32BE(9000, 4);
    return fashionWith('counts', 't10k-labels-idx1-ubyte.gz', zlib.gzipSync(raw.subarray(0, 8 + 9000)));
  }, /data\.path .*10000 images.*9000 labels/],
])('%s: exit 2, one line naming data.path, no run directory', async (_name, make, pattern) => {
  const out = path.join(tmp, 'runs');
  const config = mlpConfig(make());
  const r = await spred('run', config, '--out', out, '--quiet');
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(config);
  expect(lines[0]).toMatch(pattern);
  expect(fs.existsSync(out)).toBe(false);
});

test('NaN in a .npy problem: exit 2 naming problem.x and the index, no run directory', async () => {
  const n = 20;
  const d = 5;
  const x = new Float64Array(n * d).map((_, i) => Math.sin(i));
  x[7] = NaN;
  fs.writeFileSync(path.join(tmp, 'X.npy'), encodeNpy(x, [n, d]));
  fs.writeFileSync(path.join(tmp, 'Y.npy'), encodeNpy(new Float64Array(n).fill(1), [n]));
  const config = path.join(tmp, 'nan.json');
  fs.writeFileSync(config, JSON.stringify({ task: 'lasso-scaling', problem: { source: 'npy', x: path.join(tmp, 'X.npy'), y: path.join(tmp, 'Y.npy') } }));
  const out = path.join(tmp, 'runs-npy');
  const r = await spred('run', config, '--out', out, '--quiet');
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/problem\.x \(.*X\.npy\): value NaN at flat index 7/);
  expect(fs.existsSync(out)).toBe(false);
});

test('a lasso config too large for this machine is refused before it starts, saying how much it needs', async () => {
  const config = path.join(tmp, 'huge.json');
  fs.writeFileSync(config, JSON.stringify({ task: 'lasso', problem: { samples: 1000000000, features: 100 } }));
  const out = path.join(tmp, 'runs-huge');
  const r = await spred('run', config, '--out', out, '--quiet');
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/problem\.samples × problem\.features: this run would need about [\d,.]+ GB of memory; this machine has/);
  expect(fs.existsSync(out)).toBe(false);
});
