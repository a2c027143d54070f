import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from '../backend';
import { gitInfo, packageInfo, readManifest, RunManifest } from './manifest';

const projectRoot = path.join(__dirname, '..', '..');

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('packageInfo', () => {
  it('reads name and version of the project package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
    expect(packageInfo()).toEqual({ name: pkg.name, version: pkg.version });
  });
});

describe('gitInfo', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'spred-git-')));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is null, without throwing, outside a git checkout', () => {
    expect(gitInfo(tmp)).toEqual({ commit: null, dirty: null });
  });

  (hasGit() ? it : it.skip)('gives HEAD at the top of a checkout, and null for a folder inside another repository', () => {
    const g = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'commit.gpgsign=false', ...args], {
        cwd: tmp,
        stdio: ['ignore', 'pipe', 'ignore'],
        encoding: 'utf8',
      });
    g('init', '-q');
    fs.writeFileSync(path.join(tmp, 'f'), 'x');
    g('add', 'f');
    g('commit', '-q', '-m', 'c');
    const head = g('rev-parse', 'HEAD').trim();
    expect(gitInfo(tmp)).toEqual({ commit: head, dirty: false });
    // spred installed under node_modules of someone else's repository: not our commit.
    const sub = path.join(tmp, 'node_modules', 'spred');
    fs.mkdirSync(sub, { recursive: true });
    expect(gitInfo(sub)).toEqual({ commit: null, dirty: null });
  });

  it('is null when git cannot be run', () => {
    const saved = process.env.PATH;
    process.env.PATH = path.join(tmp, 'no-bin');
    try {
      expect(gitInfo(path.join(tmp, '.'))).toEqual({ commit: null, dirty: null });
      // (a fresh root string, so the cache does not answer)
      expect(gitInfo(`${tmp}/`)).toEqual({ commit: null, dirty: null });
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('RunManifest', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-manifest-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a running manifest, records files, and finishes with end time and wall seconds', () => {
    let t = Date.parse('2026-11-23T19:00:00.000Z');
    const now = () => new Date(t);
    const backend: BackendChoice = {
      requested: 'auto',
      name: 'wasm',
      tfjsBackend: 'wasm',
      packageName: '@tensorflow/tfjs-backend-wasm',
      fallbackReason: '@tensorflow/tfjs-node-gpu is not installed',
    };
    const m = new RunManifest(dir, { task: 'lasso', name: 'lasso-smoke', seed: 7, backend, argv: ['node', 'spred', 'run', 'x.json'], now });
    m.start();
    const first = readManifest(dir)!;
    expect(first).toMatchObject({
      manifestVersion: 1,
      task: 'lasso',
      name: 'lasso-smoke',
      status: 'running',
      error: null,
      package: packageInfo(),
      backend: { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', tfjsBackend: 'wasm', requested: 'auto', fallbackReason: '@tensorflow/tfjs-node-gpu is not installed' },
      tfjs: tf.version.tfjs,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      seed: 7,
      argv: ['node', 'spred', 'run', 'x.json'],
      startedAt: '2026-11-23T19:00:00.000Z',
      endedAt: null,
      wallSeconds: null,
      files: [],
    });
    expect(first.git.commit === null || /^[0-9a-f]{40}$/.test(first.git.commit)).toBe(true);

    m.addFile('config.json');
    m.addFile('sparsity.csv');
    m.addFile('sparsity.csv');
    expect(readManifest(dir)!.files).toEqual(['config.json', 'sparsity.csv']);

    t += 12_500;
    const done = m.finish('failed', { error: 'loss is NaN at step 40' });
    expect(readManifest(dir)).toEqual(done);
    expect(done).toMatchObject({ status: 'failed', error: 'loss is NaN at step 40', endedAt: '2026-11-23T19:00:12.500Z', wallSeconds: 12.5 });
    expect(fs.readdirSync(dir)).toEqual(['manifest.json']);
  });

  it('records the project checkout commit when run from one', () => {
    const expected = (() => {
      try {
        return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      } catch {
        return null;
      }
    })();
    const m = new RunManifest(dir, { task: 't', name: 'n' });
    expect(m.data.git.commit).toBe(expected);
    expect(m.data.backend).toBeNull();
    expect(m.data.seed).toBeNull();
    expect(m.data.argv).toEqual(process.argv);
  });
});
