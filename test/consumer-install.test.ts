/**
 * Issue 14 item 5: the library inside a user's own TensorFlow.js project. The package is packed as
 * `npm publish` would (package.json `files`, built from src/ into a staging folder, so the repository's
 * dist/ is left alone), installed with npm into a scratch project that has its own
 * @tensorflow/tfjs — 4.21.0, another version than the 4.22.0 this repository develops with, as in the
 * report — and a SpredDense model is trained there from CommonJS and from ESM.
 *
 * Network: only the npm registry, for the scratch project's tfjs 4.21.0 and the package metadata npm
 * needs (`--prefer-offline`: tarballs come from the npm cache when they are there). `--ignore-scripts`
 * keeps the optional @tensorflow/tfjs-node-gpu from downloading libtensorflow from outside the registry.
 * Set SPRED_SKIP_CONSUMER_TEST=1 to skip it on a machine without the registry.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const USER_TFJS = '4.21.0';
const maybe = process.env.SPRED_SKIP_CONSUMER_TEST ? describe.skip : describe;

const TRAIN = (load: string) => `${load}
const xs = tf.randomNormal([256, 8], 0, 1, 'float32', 1);
const trueW = tf.tensor2d([[1.5], [-2], [0], [0], [0.5], [0], [0], [0]]);
const ys = tf.matMul(xs, trueW);
const model = tf.sequential({
  layers: [
    new SpredDense({ units: 16, inputShape: [8], activation: 'relu', kappa: 1e-3, redundancy: 'input', seed: 0 }),
    tf.layers.dense({ units: 1 }),
  ],
});
model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
const history = await model.fit(xs, ys, { epochs: 30, batchSize: 32, verbose: 0, shuffle: false });
const loss = history.history.loss;
process.stdout.write(JSON.stringify({ tfjs: tf.version.tfjs, backend: tf.getBackend(), first: loss[0], last: loss[loss.length - 1] }) + '\\n');
`;

const CJS = `const tf = require('@tensorflow/tfjs');
const { SpredDense } = require('spred');
(async () => {
${TRAIN('')}
})().catch((e) => { console.error(e); process.exit(1); });
`;

const ESM = TRAIN(`import * as tf from '@tensorflow/tfjs';
import { SpredDense } from 'spred';`);

maybe('the packed package in a project with its own @tensorflow/tfjs', () => {
  let tmp: string;
  let app: string;
  let tarball: string;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-consumer-'));
    const stage = path.join(tmp, 'stage');
    fs.mkdirSync(stage);
    for (const f of ['package.json', 'README.md', 'bin', 'configs', 'reference']) {
      fs.cpSync(path.join(ROOT, f), path.join(stage, f), { recursive: true });
    }
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', path.join(stage, 'dist')], {
      stdio: 'pipe',
    });
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: stage, encoding: 'utf8' });
    tarball = path.join(tmp, (JSON.parse(packed) as { filename: string }[])[0].filename);

    app = path.join(tmp, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    execFileSync(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', `@tensorflow/tfjs@${USER_TFJS}`, tarball],
      { cwd: app, stdio: 'pipe' },
    );
    fs.writeFileSync(path.join(app, 'train.cjs'), CJS);
    fs.writeFileSync(path.join(app, 'train.mjs'), ESM);
  }, 600_000);

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('the tarball ships no source maps (they would point at src/, which it does not ship) and no tests', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files).toContain('package/dist/index.js');
    expect(files).toContain('package/dist/index.d.ts');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('package/src/') || /\.test\.(js|d\.ts)$/.test(f))).toEqual([]);
  });

  test("spred uses the project's tfjs: declared as a peer, no second copy installed", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', 'spred', 'package.json'), 'utf8'));
    expect(pkg.dependencies['@tensorflow/tfjs']).toBeUndefined();
    expect(pkg.peerDependencies['@tensorflow/tfjs']).toMatch(/^\^4\./);
    expect(fs.existsSync(path.join(app, 'node_modules', 'spred', 'node_modules', '@tensorflow'))).toBe(false);
    const fromSpred = require.resolve('@tensorflow/tfjs', { paths: [path.join(app, 'node_modules', 'spred', 'dist')] });
    const fromApp = require.resolve('@tensorflow/tfjs', { paths: [app] });
    expect(fromSpred).toBe(fromApp);
  });

  test.each([
    ['CommonJS', 'train.cjs'],
    ['ESM', 'train.mjs'],
  ])('%s: a SpredDense model trains, loss decreases, no "already registered" warnings', (_kind, script) => {
    const r = spawnSync(process.execPath, [script], { cwd: app, encoding: 'utf8', timeout: 240_000 });
    expect(r.stderr).not.toMatch(/already registered/);
    expect(r.stderr).not.toMatch(/SymbolicTensor/);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { tfjs: string; first: number; last: number };
    expect(out.tfjs).toBe(USER_TFJS);
    expect(out.last).toBeLessThan(out.first * 0.5);
  });
});
