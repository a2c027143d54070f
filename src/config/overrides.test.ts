import { z } from 'zod';
import { formatIssues } from './format_issues';
import { applyOverrides, parseOverride } from './overrides';

const schema = z.strictObject({
  iterations: z.number().int().positive(),
  problem: z.strictObject({ samples: z.number().positive(), features: z.number().positive() }),
  name: z.string(),
});
const config = { iterations: 10, problem: { samples: 20, features: 5 }, name: 'x' };

/** What the resolver does: apply the overrides, validate again in the same turn, format the issues. */
function messageAfter(file: string, ...flags: string[]): string {
  const next = applyOverrides(file, config, flags.map(parseOverride));
  const parsed = schema.safeParse(next);
  if (parsed.success) throw new Error('accepted');
  return formatIssues(file, parsed.error.issues);
}

describe('issues caused by --set name the --set argument, not the config file', () => {
  it('a value of the wrong type', () => {
    expect(messageAfter('c.json', 'iterations=abc')).toBe('--set iterations=abc: Invalid input: expected number, received string');
  });

  it('an issue inside an object given by --set, and several at once', () => {
    const msg = messageAfter('c.json', 'problem={"samples":-1,"features":5,"extra":1}', 'iterations=0');
    const parts = msg.split('; ').sort();
    expect(parts).toEqual([
      '--set iterations=0: Too small: expected number to be >0',
      '--set problem={"samples":-1,"features":5,"extra":1}: extra: unknown key',
      '--set problem={"samples":-1,"features":5,"extra":1}: samples: Too small: expected number to be >0',
    ]);
  });

  it('the file keeps the blame for issues outside the overridden paths, saying which --set were applied', () => {
    const next = applyOverrides('c.json', { ...config, name: 3 }, [parseOverride('iterations=5')]);
    const parsed = schema.safeParse(next);
    expect(parsed.success).toBe(false);
    expect(formatIssues('c.json', parsed.error!.issues)).toBe('c.json (with --set iterations=5): name: Invalid input: expected string, received number');
  });

  it('outside that validation turn, and for other files, issues name the file as before', async () => {
    applyOverrides('c.json', config, [parseOverride('iterations=abc')]);
    const issues = schema.safeParse({ ...config, iterations: 'abc' }).error!.issues;
    expect(formatIssues('other.json', issues)).toBe('other.json: iterations: Invalid input: expected number, received string');
    await Promise.resolve();
    expect(formatIssues('c.json', issues)).toBe('c.json: iterations: Invalid input: expected number, received string');
  });
});
