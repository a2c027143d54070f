import { lassoScalingConfigSchema, type LassoScalingConfig } from './config';

const parse = (problem?: unknown): LassoScalingConfig['problem'] => {
  const r = lassoScalingConfigSchema.safeParse({ task: 'lasso-scaling', ...(problem === undefined ? {} : { problem }) });
  if (!r.success) throw new Error(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data.problem;
};

describe('lasso-scaling problem.source', () => {
  it('defaults to synthetic when the problem leaves it out', () => {
    const p = parse({ samples: 100, features: [500] });
    expect(p).toMatchObject({ source: 'synthetic', samples: 100, features: [500], outputs: [1, 16] });
  });

  it('defaults to a synthetic problem with every default when there is no problem', () => {
    expect(parse()).toMatchObject({ source: 'synthetic', samples: 1000, features: [1000, 10000, 100000] });
  });

  it('still needs x and y for npy, and rejects synthetic fields there and unknown sources', () => {
    expect(parse({ source: 'npy', x: 'X.npy', y: 'Y.npy' })).toEqual({ source: 'npy', x: 'X.npy', y: 'Y.npy' });
    expect(() => parse({ source: 'npy', x: 'X.npy' })).toThrow(/problem\.y/);
    expect(() => parse({ x: 'X.npy', y: 'Y.npy' })).toThrow(/unrecognized key|x|y/i);
    expect(() => parse({ source: 'csv' })).toThrow(/problem\.source/);
  });
});
