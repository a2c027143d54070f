import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../errors';
import { packageRoot } from '../paths';
import { dataListCommand } from '../commands/data';
import { DATASETS, defaultSearchDirs, fileCandidates, getDataset, locateDataset, scanDirectory } from './datasets';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-datasets-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected a UsageError, nothing was thrown');
}

/** A folder holding (empty) files with the given names; the locator only looks at names. */
function folder(name: string, files: string[]): string {
  const d = path.join(dir, name);
  fs.mkdirSync(d, { recursive: true });
  for (const f of files) fs.writeFileSync(path.join(d, f), '');
  return d;
}

const MNIST_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];

describe('the registry', () => {
  test('mnist and fashion-mnist, in the MNIST file layout, 60000 + 10000 images 28×28, 10 classes', () => {
    expect(DATASETS.map((d) => d.name)).toEqual(['mnist', 'fashion-mnist', 'cifar10', 'cifar100']);
    for (const d of DATASETS) {
      if (d.kind === 'archive') continue; // cifar10, cifar100: src/data/cifar.test.ts
      expect(Object.values(d.files).map((f) => f.file)).toEqual(MNIST_FILES);
      expect(d.files.trainImages.shape).toEqual([60000, 28, 28]);
      expect(d.files.testLabels.shape).toEqual([10000]);
      expect(d.numClasses).toBe(10);
      expect(d.classNames).toHaveLength(10);
      for (const m of d.mirrors) expect(m).toMatch(/^https?:\/\/.*\/$/);
      for (const f of Object.values(d.files)) expect(f.md5).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  test('an unknown name: did you mean …? and the available names', () => {
    expect(usageError(() => getDataset('fashion_mnist'))).toBe(
      "unknown data set 'fashion_mnist' (did you mean 'fashion-mnist'?); available: mnist, fashion-mnist, cifar10, cifar100",
    );
    expect(usageError(() => locateDataset('cifar'))).toBe(
      "unknown data set 'cifar' (did you mean 'cifar10'?); available: mnist, fashion-mnist, cifar10, cifar100",
    );
  });

  test('default search order: downloads of the project, ../shared/data, then Debian (for fashion-mnist only)', () => {
    const root = packageRoot();
    expect(defaultSearchDirs(getDataset('fashion-mnist'))).toEqual([
      path.join(root, 'data', 'downloads', 'fashion-mnist'),
      path.resolve(root, '..', 'shared', 'data', 'fashion-mnist'),
      '/usr/share/datasets/fashion-mnist',
    ]);
    expect(defaultSearchDirs(getDataset('mnist'))).toEqual([
      path.join(root, 'data', 'downloads', 'mnist'),
      path.resolve(root, '..', 'shared', 'data', 'mnist'),
    ]);
  });

  test('a file is found gzipped, gunzipped, or with the dotted name some unpackers write', () => {
    expect(fileCandidates('train-images-idx3-ubyte.gz')).toEqual([
      'train-images-idx3-ubyte.gz',
      'train-images-idx3-ubyte',
      'train-images.idx3-ubyte',
      'train-images.idx3-ubyte.gz',
    ]);
  });
});

describe('locateDataset', () => {
  test('the first search folder holding all four files wins; .gz and raw files mix', () => {
    const partial = folder('a', MNIST_FILES.slice(0, 2));
    const mixed = folder('b', ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte.gz', 't10k-images.idx3-ubyte', 't10k-labels-idx1-ubyte']);
    const full = folder('c', MNIST_FILES);
    const found = locateDataset('mnist', { searchDirs: [path.join(dir, 'none'), partial, mixed, full] });
    expect(found.dir).toBe(mixed);
    expect(found.source).toBe('search');
    expect(found.files).toEqual({
      trainImages: path.join(mixed, 'train-images-idx3-ubyte'),
      trainLabels: path.join(mixed, 'train-labels-idx1-ubyte.gz'),
      testImages: path.join(mixed, 't10k-images.idx3-ubyte'),
      testLabels: path.join(mixed, 't10k-labels-idx1-ubyte'),
    });
  });

  test('the published .gz name is preferred when both forms are there', () => {
    const both = folder('both', [...MNIST_FILES, 'train-images-idx3-ubyte']);
    expect(locateDataset('mnist', { searchDirs: [both] }).files.trainImages).toBe(path.join(both, 'train-images-idx3-ubyte.gz'));
  });

  test('an explicit path comes first, and only it is looked in', () => {
    const given = folder('given', MNIST_FILES);
    const other = folder('other', MNIST_FILES);
    const found = locateDataset('mnist', { path: given, searchDirs: [other] });
    expect(found).toMatchObject({ dir: given, source: 'path' });
    const incomplete = folder('given-partial', MNIST_FILES.slice(1));
    expect(usageError(() => locateDataset('mnist', { path: incomplete, searchDirs: [other] }))).toBe(
      `data set 'mnist' not found at the given path ${incomplete} (missing train-images-idx3-ubyte.gz); ` +
        "get it with 'spred data fetch mnist', or give the path of a folder holding " +
        `${MNIST_FILES.join(', ')}`,
    );
  });

  test('not found: one line listing each place looked in and how to get it', () => {
    const empty = folder('empty', []);
    const partial = folder('half', MNIST_FILES.slice(2));
    const gone = path.join(dir, 'gone');
    expect(usageError(() => locateDataset('fashion-mnist', { searchDirs: [gone, empty, partial] }))).toBe(
      `data set 'fashion-mnist' not found; looked in ${gone} (no such folder), ` +
        `${empty} (missing ${MNIST_FILES.join(', ')}), ` +
        `${partial} (missing train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz); ` +
        "get it with 'spred data fetch fashion-mnist' or 'apt-get install dataset-fashion-mnist', " +
        `or give the path of a folder holding ${MNIST_FILES.join(', ')}`,
    );
  });

  test('a folder with the files but they are folders does not count', () => {
    const d = path.join(dir, 'dirs');
    for (const f of MNIST_FILES) fs.mkdirSync(path.join(d, f), { recursive: true });
    expect(scanDirectory(getDataset('mnist'), d).missing).toEqual(MNIST_FILES);
  });

  const shared = path.resolve(packageRoot(), '..', 'shared', 'data', 'fashion-mnist');
  (fs.existsSync(shared) ? test : test.skip)(`with the default search, fashion-mnist is found (e.g. in ${shared})`, () => {
    const found = locateDataset('fashion-mnist');
    expect(defaultSearchDirs(getDataset('fashion-mnist'))).toContain(found.dir);
  });
});

describe('spred data list', () => {
  test('each data set with the folder it was found in, or not found and how to get it', async () => {
    const full = folder('list', MNIST_FILES);
    let out = '';
    await dataListCommand({ searchDirs: [full], write: (t) => (out += t) });
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(`mnist          ${full}`);
    expect(lines[1]).toMatch(/^ {15}MNIST handwritten digits/);
    expect(lines[2]).toBe(`fashion-mnist  ${full}`);

    out = '';
    await dataListCommand({ searchDirs: [path.join(dir, 'gone')], write: (t) => (out += t) });
    expect(out).toContain('mnist          not found (spred data fetch mnist)\n');
    expect(out).toContain('fashion-mnist  not found (spred data fetch fashion-mnist or apt-get install dataset-fashion-mnist)\n');
  });
});
