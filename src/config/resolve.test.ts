import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../errors';
import { parseOverride } from './overrides';
import { resolveTaskConfig } from '../tasks/registry';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-config-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function errorOf(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('resolveConfig', () => {
  test('fills defaults, names the run after the file, and keeps what the file says', () => {
    const file = write('tiny.json', JSON.stringify({ task: 'lasso', lambdas: [0.5], problem: { samples: 20, features: 10 } }));
    const c = resolveTaskConfig(file) as Record<string, any>;
    expect(c.name).toBe('tiny');
    expect(c.seed).toBe(0);
    expect(c.backend).toBe('auto');
    expect(c.output).toBe('results');
    expect(c.problem).toEqual({ samples: 20, features: 10, noise: 0.1, coefficients: 'gaussian' });
    expect(c.learningRates).toEqual([1, 0.1, 0.01, 0.001]);
    expect(c.spred.init).toBe('independent');
  });

  test('YAML and JSON give the same resolved config', () => {
    const j = write('same.json', JSON.stringify({ task: 'lasso', lambdas: [0.5, 1], iterations: 10 }));
    const y = write('same.yaml', 'task: lasso\nlambdas: [0.5, 1]\niterations: 10\n');
    expect(resolveTaskConfig(y)).toEqual(resolveTaskConfig(j));
  });

  test('--set overrides by dot path with JSON values; flags win', () => {
    const file = write('set.json', JSON.stringify({ task: 'lasso' }));
    const c = resolveTaskConfig(file, {
      overrides: ['problem.samples=300', 'lambdas=[1,2]', 'name=run-7', 'spred.init=sqrt', 'seed=4'].map(parseOverride),
      seed: 9,
      backend: 'cpu',
    }) as Record<string, any>;
    expect(c.problem.samples).toBe(300);
    expect(c.lambdas).toEqual([1, 2]);
    expect(c.name).toBe('run-7');
    expect(c.spred.init).toBe('sqrt');
    expect(c.seed).toBe(9);
    expect(c.backend).toBe('cpu');
  });

  test.each([
    ['missing file', () => resolveTaskConfig(path.join(dir, 'nope.json')), /nope\.json: config file not found$/],
    ['JSON syntax with line', () => resolveTaskConfig(write('bad.json', '{\n  "task": "lasso",\n  "seed": ,\n}')), /bad\.json:3:\d+: JSON syntax error/],
    ['YAML syntax with line', () => resolveTaskConfig(write('bad.yaml', 'task: lasso\nlambdas: [1, 2\nseed: 1\n')), /bad\.yaml:\d+:\d+: YAML syntax error/],
    ['unknown task', () => resolveTaskConfig(write('t.json', '{"task":"lass"}')), /t\.json: task: unknown task "lass" \(did you mean 'lasso'\?\); available: lasso/],
    ['unknown key', () => resolveTaskConfig(write('k.json', '{"task":"lasso","problem":{"samples":10,"foo":1}}')), /k\.json: problem\.foo: unknown key/],
    ['wrong type', () => resolveTaskConfig(write('w.json', '{"task":"lasso","iterations":"many"}')), /w\.json: iterations: .*expected number, received string/],
    ['negative learning rate', () => resolveTaskConfig(write('lr.json', '{"task":"lasso","learningRates":[0.1,-1]}')), /lr\.json: learningRates\.1: .*>0/],
    ['zero λ (κ = λ/2)', () => resolveTaskConfig(write('l.json', '{"task":"lasso","lambdas":[0]}')), /l\.json: lambdas\.0: .*>0/],
    ['zero iterations', () => resolveTaskConfig(write('i.json', '{"task":"lasso","iterations":0}')), /i\.json: iterations: .*>0/],
    ['--set on a missing path', () => resolveTaskConfig(write('s.json', '{"task":"lasso"}'), { overrides: [parseOverride('problem.sample=3')] }), /s\.json: --set problem\.sample=3: no field 'problem\.sample'/],
    ['--set to a bad value', () => resolveTaskConfig(write('v.json', '{"task":"lasso"}'), { overrides: [parseOverride('iterations=-5')] }), /^--set iterations=-5: .*>0/],
  ])('%s gives one line naming the file and field', (_name, fn, pattern) => {
    const e = errorOf(fn);
    expect(e.message).toMatch(pattern);
    expect(e.message).not.toContain('\n');
    expect(e.exitCode).toBe(2);
  });

  test('every problem is reported at once', () => {
    const e = errorOf(() => resolveTaskConfig(write('many.json', '{"task":"lasso","iterations":0,"seed":-1,"extra":true}')));
    expect(e.message).toMatch(/iterations: /);
    expect(e.message).toMatch(/seed: /);
    expect(e.message).toMatch(/extra: unknown key/);
  });
});
