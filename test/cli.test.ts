import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJson, ROOT, spred, tempDir } from './harness';

let dir: string;
let outDir: string;
beforeAll(() => {
  dir = tempDir('cli');
  outDir = path.join(dir, 'runs');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function config(name: string, body: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  return file;
}

describe('spred CLI', () => {
  test('--version prints the package version', async () => {
    const r = await spred('--version');
    const pkg = readJson(path.join(ROOT, 'package.json'));
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  test.each([[[]], [['run']], [['validate']], [['list']], [['check']], [['data']]])('--help for %j has examples', async (cmd) => {
    const r = await spred(...cmd, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n {2}\$ spred /);
  });

  test('list names the lasso task and the shipped configs', async () => {
    const r = await spred('list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}lasso {2}.*Fig\. 2/m);
    expect(r.stdout).toMatch(/configs\/lasso-smoke\.json\s+lasso/);
    expect(r.stdout).not.toMatch(/INVALID/);
  });

  test('validate accepts every shipped config', async () => {
    const files = fs.readdirSync(path.join(ROOT, 'configs')).map((f) => path.join(ROOT, 'configs', f));
    const r = await spred('validate', ...files);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(files.length);
  });

  test('validate reports each bad file on one line and exits 2', async () => {
    const good = config('good.yaml', 'task: lasso\n');
    const bad = config('bad.yaml', 'task: lasso\niterations: 0\n');
    const r = await spred('validate', good, bad);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^ok {6}.*good\.yaml/m);
    expect(r.stdout).toMatch(/^invalid .*bad\.yaml: iterations: /m);
  });

  describe('bad input to run: one line naming file and field, exit 2, no run directory', () => {
    test.each<[string, () => string[], RegExp]>([
      ['missing config', () => [path.join(dir, 'absent.json')], /absent\.json: config file not found/],
      ['JSON syntax error', () => [config('syntax.json', '{"task": "lasso",\n "seed": }')], /syntax\.json:2:\d+: JSON syntax error/],
      ['YAML syntax error', () => [config('syntax.yaml', 'task: lasso\nproblem: {samples: 3\n')], /syntax\.yaml:\d+:\d+: YAML syntax error/],
      ['unknown task', () => [config('task.json', { task: 'prune' })], /task\.json: task: unknown task "prune"/],
      ['unknown key', () => [config('key.json', { task: 'lasso', kappa: 1 })], /key\.json: kappa: unknown key/],
      ['wrong type', () => [config('type.json', { task: 'lasso', seed: 'x' })], /type\.json: seed: /],
      ['negative learning rate', () => [config('lr.json', { task: 'lasso', learningRates: [-0.1] })], /lr\.json: learningRates\.0: /],
      ['zero iterations', () => [config('it.json', { task: 'lasso', iterations: 0 })], /it\.json: iterations: /],
      ['--set on a missing path', () => [config('ok.json', { task: 'lasso' }), '--set', 'problem.nope=1'], /ok\.json: --set problem\.nope=1: no field 'problem\.nope'/],
      ['missing data set folder', () => [config('mlp.json', { task: 'mlp-node-sparsity', data: { dataset: 'fashion-mnist', path: path.join(dir, 'no-such-folder') } })], /no-such-folder/],
      ['malformed .npy file', () => {
        fs.writeFileSync(path.join(dir, 'X.npy'), 'not a numpy file');
        fs.writeFileSync(path.join(dir, 'Y.npy'), 'not a numpy file');
        return [config('npy.json', { task: 'lasso-scaling', problem: { source: 'npy', x: path.join(dir, 'X.npy'), y: path.join(dir, 'Y.npy') } })];
      }, /X\.npy/],
      ['--backend tensorflow without tfjs-node', () => [config('tf.json', { task: 'lasso' }), '--backend', 'tensorflow'], /--backend tensorflow: cannot load it: .*not installed.*npm install @tensorflow\/tfjs-node-gpu/],
    ])('%s', async (_name, args, pattern) => {
      const r = await spred('run', ...args(), '--out', outDir, '--quiet');
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^spred: error: /);
      expect(lines[0]).toMatch(pattern);
      expect(fs.existsSync(outDir)).toBe(false);
    });

    test('an unknown --backend is a usage error', async () => {
      const r = await spred('run', config('b.json', { task: 'lasso' }), '--backend', 'gpu');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--backend <name>' argument 'gpu' is invalid/);
    });
  });
});
