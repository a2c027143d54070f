import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../errors';
import { describeExpectation, loadReference, meetsExpectation, parseReference } from './reference';

const valid = {
  config: 'lasso-smoke',
  description: 'spred against the closed form on a 40x10 orthogonal design',
  checks: [
    {
      name: 'spred matches the closed-form sparse ratio',
      file: 'sparsity.csv',
      where: { method: 'spred' },
      column: 'sparse_ratio_error',
      aggregate: 'max',
      expect: { max: 0.01 },
      source: 'paper Fig. 2 left',
    },
    { name: 'objective gap', file: 'sparsity.csv', column: 'objective_rel_gap', aggregate: 'max', expect: { value: 0, tolerance: 1e-4 } },
    { name: 'rows', file: 'sparsity.csv', aggregate: 'count', expect: { min: 3, max: 30 } },
  ],
  resolvedConfig: { task: 'lasso', name: 'lasso-smoke', seed: 0, problem: { samples: 40, features: 10 } },
};

function withCheck(patch: Record<string, unknown>, drop: string[] = []) {
  const c: Record<string, unknown> = { ...valid.checks[0], ...patch };
  for (const k of drop) delete c[k];
  return { ...valid, checks: [c] };
}

function message(raw: unknown): string {
  try {
    parseReference(raw, 'reference/lasso-smoke.json');
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('parseReference', () => {
  it('accepts the documented format and fills `where` with {}', () => {
    const ref = parseReference(valid, 'r.json');
    expect(ref.checks).toHaveLength(3);
    expect(ref.checks[1].where).toEqual({});
    expect(ref.checks[0].expect).toEqual({ max: 0.01 });
  });

  it.each([
    [withCheck({ expect: { value: 0, tolerence: 1e-4 } }), 'checks.0.expect.tolerence: unknown key'],
    [withCheck({ expect: { value: 0 } }), 'checks.0.expect.tolerance: required with "value"'],
    [withCheck({ expect: { tolerance: 1 } }), 'checks.0.expect.value: required with "tolerance"'],
    [withCheck({ expect: { value: 0, tolerance: 1, max: 2 } }), 'checks.0.expect.max: use either'],
    [withCheck({ expect: {} }), 'checks.0.expect: expected "value" and "tolerance", or "min" and/or "max"'],
    [withCheck({ expect: { min: 2, max: 1 } }), 'checks.0.expect.min: min 2 is greater than max 1'],
    [withCheck({ expect: { value: 0, tolerance: -1 } }), 'checks.0.expect.tolerance:'],
    [withCheck({ aggregate: 'maximum' }), 'checks.0.aggregate:'],
    [withCheck({}, ['column']), 'checks.0.column: required for aggregate "max"'],
    [withCheck({ file: '../other-run/sparsity.csv' }), 'checks.0.file: must be a path inside the run directory'],
    [withCheck({ where: { method: ['spred'] } }), 'checks.0.where.method: expected a string, number, boolean or null'],
    [withCheck({ colour: 'x' }), 'checks.0.colour: unknown key'],
    [{ ...valid, checks: [valid.checks[0], valid.checks[0]] }, 'checks.1.name: duplicate check name'],
    [{ ...valid, checks: [] }, 'checks:'],
    [{ config: 'lasso-smoke', checks: valid.checks, resolvedConfig: valid.resolvedConfig }, 'description:'],
    [{ ...valid, resolvedConfig: undefined }, 'resolvedConfig: missing: the resolved config these numbers were made from'],
    [{ ...valid, resolvedConfig: 'lasso-smoke' }, 'resolvedConfig: expected an object'],
  ])('names the file and the field: %#', (raw, expected) => {
    const msg = message(raw);
    expect(msg.startsWith('reference/lasso-smoke.json: ')).toBe(true);
    expect(msg).toContain(expected);
    expect(msg).not.toContain('\n');
  });
});

describe('loadReference', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-ref-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a file, and gives a UsageError for a missing file or bad JSON', () => {
    const file = path.join(dir, 'lasso-smoke.json');
    fs.writeFileSync(file, JSON.stringify(valid));
    expect(loadReference(file).config).toBe('lasso-smoke');
    expect(() => loadReference(path.join(dir, 'nope.json'))).toThrow(/nope\.json: no such reference file/);
    fs.writeFileSync(file, '{ "config": "x", }');
    expect(() => loadReference(file)).toThrow(UsageError);
    expect(() => loadReference(file)).toThrow(/lasso-smoke\.json: not valid JSON/);
  });
});

describe('expectations', () => {
  it('describes and evaluates each form, inclusive at the bounds; NaN and infinities never pass', () => {
    expect(describeExpectation({ max: 0.01 })).toBe('<= 0.01');
    expect(describeExpectation({ min: 0.9 })).toBe('>= 0.9');
    expect(describeExpectation({ min: 0.1, max: 0.2 })).toBe('in [0.1, 0.2]');
    expect(describeExpectation({ value: 0, tolerance: 1e-4 })).toBe('0 +/- 0.0001');
    expect(meetsExpectation(0.01, { max: 0.01 })).toBe(true);
    expect(meetsExpectation(0.0101, { max: 0.01 })).toBe(false);
    expect(meetsExpectation(0.5, { value: 0.4, tolerance: 0.1 })).toBe(true);
    expect(meetsExpectation(0.52, { value: 0.4, tolerance: 0.1 })).toBe(false);
    expect(meetsExpectation(0.1, { min: 0.1, max: 0.2 })).toBe(true);
    expect(meetsExpectation(NaN, { max: 1 })).toBe(false);
    expect(meetsExpectation(Infinity, { min: 0 })).toBe(false);
  });
});
