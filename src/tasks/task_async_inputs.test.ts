import { z } from 'zod';
import { defineTask } from './task';

/** `checkInputs` may be async (a streamed reader): the bound task hands out one Promise, then the value. */
describe('defineTask with async checkInputs', () => {
  const schema = z.strictObject({ task: z.literal('t'), n: z.number() });
  let calls = 0;
  const task = defineTask({
    name: 't',
    description: 'd',
    paper: 'p',
    schema,
    checkInputs: async (c) => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      return { doubled: c.n * 2 };
    },
    fits: () => [{ key: 'a' }],
    describe: (_c, inputs) => `inputs ${inputs.doubled}`,
    load: () => {
      throw new Error('not loaded in this test');
    },
  });

  test('one call, the same Promise until it settles, then the value; describe after it settled', async () => {
    calls = 0;
    const bound = task.bind({ task: 't', n: 21 });
    const p = bound.checkInputs();
    expect(p).toBeInstanceOf(Promise);
    expect(bound.checkInputs()).toBe(p);
    expect(() => bound.describe()).toThrow(/before its async checkInputs\(\) settled/);
    expect(await p).toEqual({ doubled: 42 });
    expect(bound.checkInputs()).toEqual({ doubled: 42 });
    expect(bound.describe()).toBe('inputs 42');
    expect(calls).toBe(1);
  });

  test('a rejected check rejects every await of it', async () => {
    const failing = defineTask({
      name: 'f', description: 'd', paper: 'p', schema,
      checkInputs: async () => {
        throw new Error('no such file');
      },
      fits: () => [{ key: 'a' }],
      load: () => {
        throw new Error('not loaded');
      },
    });
    const bound = failing.bind({ task: 't', n: 1 });
    await expect(bound.checkInputs()).rejects.toThrow('no such file');
    await expect(bound.checkInputs()).rejects.toThrow('no such file');
  });
});
