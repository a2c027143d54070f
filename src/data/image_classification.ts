import { DataError, UsageError } from '../errors';
import { locateDataset, type LocateOptions } from './datasets';
import { readIdx, idxElementSize, type IdxArray } from './idx';

/** Gray images with integer class labels, as the MLP and conv tasks consume them. */
export interface ImageClassificationData {
  /** n × rows × cols pixels in [0, 1], row-major (a ubyte file is divided by 255). */
  images: Float32Array;
  /** n class indices in [0, numClasses). */
  labels: Int32Array;
  n: number;
  rows: number;
  cols: number;
  /** `opts.numClasses` when given, else the largest label + 1. */
  numClasses: number;
}

export interface LoadIdxPairOptions {
  /** Keep only the first `limit` examples (all when absent). The files are still checked whole. */
  limit?: number;
  /** Labels must lie in [0, numClasses); when absent, the largest label + 1. */
  numClasses?: number;
}

const INTEGER_DTYPES = new Set(['uint8', 'int8', 'int16', 'int32']);

/**
 * Reads an images file (3-D: n × rows × cols, ubyte or float) and a labels file (1-D integers) in
 * the IDX format and checks they belong together. Throws a one-line `DataError` when the images are
 * not 3-D, the counts differ, or a label is out of range.
 */
export function loadIdxPair(imagesPath: string, labelsPath: string, opts: LoadIdxPairOptions = {}): ImageClassificationData {
  const { limit, numClasses } = opts;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new UsageError(`limit must be a positive integer, got ${limit}`);
  }
  if (numClasses !== undefined && (!Number.isInteger(numClasses) || numClasses < 1)) {
    throw new UsageError(`numClasses must be a positive integer, got ${numClasses}`);
  }
  const img = readIdx(imagesPath);
  if (img.shape.length !== 3) {
    throw new DataError(
      `${imagesPath}: images must be 3-D (count × rows × columns), found ${img.shape.length}-D shape ${img.shape.join('×')}`,
    );
  }
  if (img.dtype !== 'uint8' && img.dtype !== 'float32' && img.dtype !== 'float64') {
    throw new DataError(`${imagesPath}: images must be ubyte (0..255) or float (0..1) pixels, found ${img.dtype}`);
  }
  const lab = readIdx(labelsPath);
  if (lab.shape.length !== 1) {
    throw new DataError(`${labelsPath}: labels must be 1-D, found ${lab.shape.length}-D shape ${lab.shape.join('×')}`);
  }
  if (!INTEGER_DTYPES.has(lab.dtype)) {
    throw new DataError(`${labelsPath}: labels must be integers (ubyte, byte, short or int), found ${lab.dtype}`);
  }
  const [count, rows, cols] = img.shape;
  if (lab.shape[0] !== count) {
    throw new DataError(
      `images and labels differ in count: ${imagesPath} holds ${count} images, ${labelsPath} holds ${lab.shape[0]} labels`,
    );
  }
  const n = limit === undefined ? count : Math.min(limit, count);
  const labels = checkLabels(lab, labelsPath, numClasses);
  const pixels = n * rows * cols;
  const images = new Float32Array(pixels);
  if (img.dtype === 'uint8') {
    const src = img.data;
    for (let i = 0; i < pixels; i++) images[i] = src[i] / 255;
  } else {
    images.set(img.data.subarray(0, pixels));
  }
  return {
    images,
    labels: labels.values.slice(0, n),
    n,
    rows,
    cols,
    numClasses: numClasses ?? labels.max + 1,
  };
}

/** Checks every label (not only the kept ones: a bad file is bad whatever the limit). */
function checkLabels(lab: IdxArray, file: string, numClasses: number | undefined): { values: Int32Array; max: number } {
  const values = Int32Array.from(lab.data);
  const hi = numClasses === undefined ? Infinity : numClasses - 1;
  let max = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < 0 || v > hi) {
      const header = 4 + 4 * lab.shape.length;
      throw new DataError(
        `${file}: label ${v} of example ${i} (byte ${header + i * idxElementSize(lab.dtype)}) is out of range: ` +
          (numClasses === undefined ? 'expected a class index >= 0' : `expected 0..${hi} for ${numClasses} classes`),
      );
    }
    if (v > max) max = v;
  }
  return { values, max: Math.max(max, 0) };
}

export interface LoadDatasetOptions extends LocateOptions, Pick<LoadIdxPairOptions, 'limit'> {
  split: 'train' | 'test';
}

/**
 * Locates a registered data set (see `locateDataset`) and loads one split, checking each file's
 * shape against the registry and labels against its number of classes.
 */
export function loadImageDataset(name: string, opts: LoadDatasetOptions): ImageClassificationData & { dir: string } {
  const found = locateDataset(name, opts);
  const imagesPath = opts.split === 'train' ? found.files.trainImages : found.files.testImages;
  const labelsPath = opts.split === 'train' ? found.files.trainLabels : found.files.testLabels;
  const data = loadIdxPair(imagesPath, labelsPath, { limit: opts.limit, numClasses: found.spec.numClasses });
  const want = (opts.split === 'train' ? found.spec.files.trainImages : found.spec.files.testImages).shape;
  if (data.rows !== want[1] || data.cols !== want[2]) {
    throw new DataError(`${imagesPath}: images of ${name} must be ${want[1]}×${want[2]}, found ${data.rows}×${data.cols}`);
  }
  return { ...data, dir: found.dir };
}
