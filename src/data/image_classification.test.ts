import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataError, UsageError } from '../errors';
import { packageRoot } from '../paths';
import { getDataset, scanDirectory } from './datasets';
import { writeIdx } from './idx';
import { loadIdxPair, loadImageDataset } from './image_classification';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-imgcls-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function dataError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected a DataError, nothing was thrown');
}

/** Writes n images rows×cols whose pixel (i, r, c) is (i + r + c) mod 256, and the given labels. */
function pair(name: string, n: number, rows: number, cols: number, labels: number[], gzip = true): [string, string] {
  const pixels = new Uint8Array(n * rows * cols);
  for (let i = 0; i < n; i++) for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) pixels[(i * rows + r) * cols + c] = (i + r + c) % 256;
  const imgs = path.join(dir, `${name}-images-idx3-ubyte${gzip ? '.gz' : ''}`);
  const labs = path.join(dir, `${name}-labels-idx1-ubyte${gzip ? '.gz' : ''}`);
  writeIdx(imgs, { dtype: 'uint8', shape: [n, rows, cols], data: pixels }, { gzip });
  writeIdx(labs, { dtype: 'uint8', shape: [labels.length], data: labels }, { gzip });
  return [imgs, labs];
}

describe('loadIdxPair', () => {
  test('pixels scaled to [0, 1], labels as Int32Array, sizes and classes', () => {
    const [imgs, labs] = pair('ok', 3, 2, 4, [2, 0, 1]);
    const d = loadIdxPair(imgs, labs);
    expect({ n: d.n, rows: d.rows, cols: d.cols, numClasses: d.numClasses }).toEqual({ n: 3, rows: 2, cols: 4, numClasses: 3 });
    expect(d.images).toBeInstanceOf(Float32Array);
    expect(d.images.length).toBe(3 * 2 * 4);
    // image 2, row 1, column 3: (2 + 1 + 3) / 255
    expect(d.images[(2 * 2 + 1) * 4 + 3]).toBeCloseTo(6 / 255, 7);
    expect(d.labels).toEqual(Int32Array.from([2, 0, 1]));
  });

  test('raw (not gzipped) files, and ubyte 255 maps to exactly 1', () => {
    const imgs = path.join(dir, 'white-images');
    const labs = path.join(dir, 'white-labels');
    writeIdx(imgs, { dtype: 'uint8', shape: [1, 1, 2], data: [255, 0] });
    writeIdx(labs, { dtype: 'uint8', shape: [1], data: [0] });
    expect(Array.from(loadIdxPair(imgs, labs).images)).toEqual([1, 0]);
  });

  test('float images are taken as they are', () => {
    const imgs = path.join(dir, 'float-images');
    const labs = path.join(dir, 'float-labels');
    writeIdx(imgs, { dtype: 'float32', shape: [2, 1, 1], data: [0.25, 0.75] }, { gzip: true });
    writeIdx(labs, { dtype: 'int32', shape: [2], data: [1, 0] }, { gzip: true });
    const d = loadIdxPair(imgs, labs);
    expect(Array.from(d.images)).toEqual([0.25, 0.75]);
    expect(Array.from(d.labels)).toEqual([1, 0]);
  });

  test('limit keeps the first examples', () => {
    const [imgs, labs] = pair('lim', 5, 2, 2, [0, 1, 2, 3, 4]);
    const d = loadIdxPair(imgs, labs, { limit: 2, numClasses: 5 });
    expect(d.n).toBe(2);
    expect(d.images.length).toBe(2 * 2 * 2);
    expect(Array.from(d.labels)).toEqual([0, 1]);
    expect(d.numClasses).toBe(5);
    expect(loadIdxPair(imgs, labs, { limit: 99 }).n).toBe(5);
    expect(() => loadIdxPair(imgs, labs, { limit: 0 })).toThrow(UsageError);
  });

  test('images and labels of different counts: both files and both counts', () => {
    const [imgs] = pair('cnt', 4, 2, 2, [0, 1, 0, 1]);
    const [, labs] = pair('cnt3', 3, 2, 2, [0, 1, 0]);
    expect(dataError(() => loadIdxPair(imgs, labs))).toBe(
      `images and labels differ in count: ${imgs} holds 4 images, ${labs} holds 3 labels`,
    );
  });

  test('a label out of range names the example and its byte offset', () => {
    const [imgs, labs] = pair('range', 4, 1, 1, [0, 1, 10, 2]);
    expect(dataError(() => loadIdxPair(imgs, labs, { numClasses: 10 }))).toBe(
      `${labs}: label 10 of example 2 (byte 10) is out of range: expected 0..9 for 10 classes`,
    );
    // beyond a limit too: a bad file is bad whatever part of it is used
    expect(() => loadIdxPair(imgs, labs, { numClasses: 10, limit: 1 })).toThrow(DataError);
  });

  test('a negative label (signed byte file)', () => {
    const [imgs] = pair('neg', 2, 1, 1, [0, 0]);
    const labs = path.join(dir, 'neg-signed-labels');
    writeIdx(labs, { dtype: 'int8', shape: [2], data: [0, -1] });
    expect(dataError(() => loadIdxPair(imgs, labs))).toBe(
      `${labs}: label -1 of example 1 (byte 9) is out of range: expected a class index >= 0`,
    );
  });

  test('images not 3-D, labels not 1-D, labels not integers', () => {
    const [imgs, labs] = pair('dims', 2, 2, 2, [0, 1]);
    const flat = path.join(dir, 'flat-images');
    writeIdx(flat, { dtype: 'uint8', shape: [2, 4], data: new Uint8Array(8) });
    expect(dataError(() => loadIdxPair(flat, labs))).toBe(
      `${flat}: images must be 3-D (count × rows × columns), found 2-D shape 2×4`,
    );
    const labs2 = path.join(dir, 'labels-2d');
    writeIdx(labs2, { dtype: 'uint8', shape: [2, 1], data: [0, 1] });
    expect(dataError(() => loadIdxPair(imgs, labs2))).toBe(`${labs2}: labels must be 1-D, found 2-D shape 2×1`);
    const labsF = path.join(dir, 'labels-float');
    writeIdx(labsF, { dtype: 'float32', shape: [2], data: [0, 1] });
    expect(dataError(() => loadIdxPair(imgs, labsF))).toBe(
      `${labsF}: labels must be integers (ubyte, byte, short or int), found float32`,
    );
  });

  test('errors of the IDX reader come through unchanged', () => {
    const [imgs, labs] = pair('bad', 2, 2, 2, [0, 1]);
    fs.truncateSync(imgs, 10); // cuts the gzip stream
    expect(dataError(() => loadIdxPair(imgs, labs))).toMatch(new RegExp(`^${imgs.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
  });
});

describe('loadImageDataset on a folder given by path', () => {
  test('finds the four files and checks the image size against the registry', () => {
    const ds = path.join(dir, 'mnist-like');
    fs.mkdirSync(ds);
    const spec = getDataset('mnist');
    const write = (f: string, shape: number[], data: ArrayLike<number>) =>
      writeIdx(path.join(ds, f), { dtype: 'uint8', shape, data }, { gzip: f.endsWith('.gz') });
    write(spec.files.trainImages.file, [3, 28, 28], new Uint8Array(3 * 784).fill(51));
    write(spec.files.trainLabels.file, [3], [7, 8, 9]);
    write(spec.files.testImages.file.replace(/\.gz$/, ''), [2, 28, 28], new Uint8Array(2 * 784)); // gunzipped copy
    write(spec.files.testLabels.file, [2], [1, 2]);
    const train = loadImageDataset('mnist', { path: ds, split: 'train' });
    expect({ n: train.n, numClasses: train.numClasses, dir: train.dir }).toEqual({ n: 3, numClasses: 10, dir: ds });
    expect(train.images[0]).toBeCloseTo(0.2, 6);
    expect(Array.from(loadImageDataset('mnist', { path: ds, split: 'test' }).labels)).toEqual([1, 2]);

    write(spec.files.testImages.file.replace(/\.gz$/, ''), [2, 8, 8], new Uint8Array(2 * 64));
    const testImages = path.join(ds, spec.files.testImages.file.replace(/\.gz$/, ''));
    expect(dataError(() => loadImageDataset('mnist', { path: ds, split: 'test' }))).toBe(
      `${testImages}: images of mnist must be 28×28, found 8×8`,
    );
  });
});

// The real Fashion-MNIST files (Debian's dataset-fashion-mnist, copied into ../shared/data).
const FASHION = path.resolve(packageRoot(), '..', 'shared', 'data', 'fashion-mnist');
const haveFashion = scanDirectory(getDataset('fashion-mnist'), FASHION).files !== undefined;
if (!haveFashion) {
  console.warn(`NOTE: real Fashion-MNIST not found in ${FASHION}; its tests are skipped`);
}

(haveFashion ? describe : describe.skip)(`real Fashion-MNIST in ${FASHION}`, () => {
  test('training set: 60000 images 28×28, 10 classes, the known first labels, pixel mean 0.2860', () => {
    const d = loadImageDataset('fashion-mnist', { path: FASHION, split: 'train' });
    expect({ n: d.n, rows: d.rows, cols: d.cols, numClasses: d.numClasses }).toEqual({ n: 60000, rows: 28, cols: 28, numClasses: 10 });
    expect(Array.from(d.labels.subarray(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    let sum = 0;
    for (let i = 0; i < d.images.length; i++) sum += d.images[i];
    expect(Math.abs(sum / d.images.length - 0.286)).toBeLessThan(0.001);
    // balanced: 6000 of each class
    const counts = new Array<number>(10).fill(0);
    for (const l of d.labels) counts[l]++;
    expect(counts).toEqual(new Array<number>(10).fill(6000));
  });

  test('test set: 10000 images 28×28, the known first labels, 1000 per class', () => {
    const d = loadImageDataset('fashion-mnist', { path: FASHION, split: 'test' });
    expect({ n: d.n, rows: d.rows, cols: d.cols, numClasses: d.numClasses }).toEqual({ n: 10000, rows: 28, cols: 28, numClasses: 10 });
    expect(Array.from(d.labels.subarray(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    const counts = new Array<number>(10).fill(0);
    for (const l of d.labels) counts[l]++;
    expect(counts).toEqual(new Array<number>(10).fill(1000));
  });

  test('a subset with limit', () => {
    const d = loadImageDataset('fashion-mnist', { path: FASHION, split: 'test', limit: 500 });
    expect(d.n).toBe(500);
    expect(d.images.length).toBe(500 * 784);
  });
});
