import { configDifferences, describeValue } from './config_diff';

describe('configDifferences', () => {
  it('lists dot paths of changed, added and removed fields; arrays by index when the lengths agree', () => {
    const a = { task: 'lasso', seed: 3, output: '/tmp/x', problem: { samples: 400, features: 100 }, lambdas: [0.1, 2], ts: [1, 2] };
    const b = { task: 'lasso', seed: 0, output: 'results', problem: { samples: 200, features: 100, noise: 0.1 }, lambdas: [0.1, 1], ts: [1, 2, 3] };
    expect(configDifferences(a, b, ['output']).map((d) => d.path)).toEqual(['seed', 'problem.samples', 'problem.noise', 'lambdas.1', 'ts']);
    expect(configDifferences(a, b).map((d) => d.path)).toContain('output');
    expect(configDifferences(b, JSON.parse(JSON.stringify(b)))).toEqual([]);
    expect(configDifferences({ p: { x: 1 } }, { p: [1] })).toEqual([{ path: 'p', a: { x: 1 }, b: [1] }]);
    expect(configDifferences(1, { a: 1 })).toEqual([{ path: '(root)', a: 1, b: { a: 1 } }]);
  });

  it('describes values shortly', () => {
    expect(describeValue(undefined)).toBe('(absent)');
    expect(describeValue([0.1, 1])).toBe('[0.1,1]');
    expect(describeValue('x'.repeat(100))).toHaveLength(40);
  });
});
