import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../paths';

// reference/published/: the paper-scale numbers the paper states (§5.2, Fig. 8, Fig. 9), each with its source.
const FILE = path.join(packageRoot(), 'reference', 'published', 'resnet-pruning.json');

describe('published paper-scale numbers', () => {
  const data = JSON.parse(fs.readFileSync(FILE, 'utf8'));

  it('give every number with the sentence of the paper it comes from', () => {
    expect(data.entries.length).toBeGreaterThanOrEqual(5);
    for (const e of data.entries) {
      expect(['cifar10', 'cifar100']).toContain(e.dataset);
      expect(e.cr).toBeGreaterThanOrEqual(1);
      expect(e.test_acc).toBeGreaterThan(0);
      expect(e.test_acc).toBeLessThanOrEqual(1);
      // The source quotes the accuracy as a percentage.
      expect(e.source).toContain(`${Math.round(e.test_acc * 100)}%`);
    }
  });

  it("hold the paper's comparison on CIFAR-100: spred keeps 70 % at 6× SynFlow's compression", () => {
    const at = (method: string, cr: number) => data.entries.find((e: { method: string; dataset: string; cr: number }) => e.method === method && e.dataset === 'cifar100' && e.cr === cr);
    expect(at('spred', 110).test_acc).toBe(at('synflow', 18).test_acc);
    expect(at('spred', 6500).test_acc).toBeGreaterThan(at('synflow', 5500).test_acc);
    expect(data.notGivenAsNumbers).toEqual(expect.arrayContaining(['snip', 'grasp']));
  });
});
