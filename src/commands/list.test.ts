import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../paths';
import { displayPath, shippedConfigs, shippedConfigsDir } from './list';

describe("spred list: config paths that work from the user's working directory", () => {
  const root = packageRoot();

  it('relative to the package root when run there (configs/…)', () => {
    const configs = shippedConfigs(root);
    expect(configs.map((c) => c.file)).toContain(path.join('configs', 'lasso-smoke.json'));
    expect(configs.every((c) => !c.error)).toBe(true);
    expect(shippedConfigsDir(root)).toBe(`configs${path.sep}`);
  });

  it('through node_modules from a consumer project, and absolute from anywhere else; every path exists from there', () => {
    const consumer = path.dirname(root); // as if spred were installed at <consumer>/<package folder>
    const below = shippedConfigs(consumer);
    expect(below[0].file).toBe(path.join(path.basename(root), 'configs', below[0].file.split(path.sep).pop()!));
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-list-'));
    try {
      const far = shippedConfigs(elsewhere);
      expect(far.every((c) => path.isAbsolute(c.file))).toBe(true);
      for (const [cwd, list] of [[consumer, below], [elsewhere, far]] as const) {
        for (const c of list) expect(fs.existsSync(path.resolve(cwd, c.file))).toBe(true);
      }
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('displayPath', () => {
    expect(displayPath('/a/b/c.json', '/a')).toBe(path.join('b', 'c.json'));
    expect(displayPath('/x/c.json', '/a')).toBe('/x/c.json');
  });
});
