import { z } from 'zod';
import { defineTask } from './task';

/** `checkInputs` may be async (a streamed reader): the bound task runs it once and hands out one Promise. */
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

  test('one call, the same Promise on every call; describe from what it resolved to', async () => {
    calls = 0;
    const bound = task.bind({ task: 't', n: 21 });
    const p = bound.checkInputs();
    expect(bound.checkInputs()).toBe(p);
    const inputs = await p;
    expect(inputs).toEqual({ doubled: 42 });
    expect(await bound.checkInputs()).toBe(inputs);
    expect(bound.describe(inputs)).toBe('inputs 42');
    expect(calls).toBe(1);
  });

  test('a synchronous check that throws rejects the Promise', async () => {
    const sync = defineTask({
      name: 's', description: 'd', paper: 'p', schema,
      checkInputs: () => {
        throw new Error('bad field');
      },
      fits: () => [{ key: 'a' }],
      load: () => {
        throw new Error('not loaded');
      },
    });
    await expect(sync.bind({ task: 't', n: 1 }).checkInputs()).rejects.toThrow('bad field');
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
