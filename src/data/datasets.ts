import * as fs from 'node:fs';
import * as path from 'node:path';
import { didYouMean } from '../config/suggest';
import { UsageError } from '../errors';
import { packageRoot } from '../paths';
import type { IdxDtype } from './idx';

/**
 * The registry of named data sets that `spred data fetch` can download and the loaders can find.
 * Adding a data set means adding one entry to `DATASETS`.
 */

/** The four files of an image-classification data set in the MNIST layout. */
export type DatasetFileRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export const FILE_ROLES: readonly DatasetFileRole[] = ['trainImages', 'trainLabels', 'testImages', 'testLabels'];

/** One IDX file as it is published. */
export interface IdxFileSpec {
  /** File name as published, e.g. `train-images-idx3-ubyte.gz`; also found without `.gz` (gunzipped). */
  file: string;
  /** Element type the file must hold. */
  dtype: IdxDtype;
  /** Shape the file must hold. */
  shape: readonly number[];
  /** MD5 (hex) of the published file, as its publisher states it; checked on download. */
  md5?: string;
  /** SHA-256 (hex) of the published file; checked on download. */
  sha256?: string;
}

export interface DatasetSpec {
  name: string;
  description: string;
  homepage: string;
  license: string;
  /** Base URLs (ending in '/') tried in order by `spred data fetch`; each file is `base + file`. */
  mirrors: readonly string[];
  numClasses: number;
  classNames: readonly string[];
  files: Readonly<Record<DatasetFileRole, IdxFileSpec>>;
  /** Debian package that installs the files into `/usr/share/datasets/<name>/`, if there is one. */
  debianPackage?: string;
}

function mnistLayout(md5: Record<DatasetFileRole, string>): Record<DatasetFileRole, IdxFileSpec> {
  return {
    trainImages: { file: 'train-images-idx3-ubyte.gz', dtype: 'uint8', shape: [60000, 28, 28], md5: md5.trainImages },
    trainLabels: { file: 'train-labels-idx1-ubyte.gz', dtype: 'uint8', shape: [60000], md5: md5.trainLabels },
    testImages: { file: 't10k-images-idx3-ubyte.gz', dtype: 'uint8', shape: [10000, 28, 28], md5: md5.testImages },
    testLabels: { file: 't10k-labels-idx1-ubyte.gz', dtype: 'uint8', shape: [10000], md5: md5.testLabels },
  };
}

/**
 * MD5s are the ones the publishers state (and torchvision checks). They identify the published .gz
 * files only: Debian's `dataset-fashion-mnist` recompressed them (same IDX content, other gzip
 * bytes), so a located copy is checked by its IDX header and shape, never by these sums.
 */
export const DATASETS: readonly DatasetSpec[] = [
  {
    name: 'mnist',
    description: 'MNIST handwritten digits, 60000 + 10000 gray images 28×28, 10 classes',
    homepage: 'http://yann.lecun.com/exdb/mnist/',
    license: 'CC BY-SA 3.0 (Yann LeCun and Corinna Cortes)',
    mirrors: ['https://storage.googleapis.com/cvdf-datasets/mnist/', 'https://ossci-datasets.s3.amazonaws.com/mnist/'],
    numClasses: 10,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    files: mnistLayout({
      trainImages: 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
      trainLabels: 'd53e105ee54ea40749a09fcbcd1e9432',
      testImages: '9fb629c4189551a2d022fa330f9573f3',
      testLabels: 'ec29112dd5afa0611ce80d1b7f02629c',
    }),
  },
  {
    name: 'fashion-mnist',
    description: 'Fashion-MNIST (Zalando) clothing images, 60000 + 10000 gray images 28×28, 10 classes',
    homepage: 'https://github.com/zalandoresearch/fashion-mnist',
    license: 'MIT (Zalando SE)',
    mirrors: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
    numClasses: 10,
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    files: mnistLayout({
      trainImages: '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
      trainLabels: '25c81989df183df01b3e8a0aad5dffbe',
      testImages: 'bef4ecab320f06d8554ea6380940ec79',
      testLabels: 'bb300cfdad3c16e7a12a480ee83cd310',
    }),
    debianPackage: 'dataset-fashion-mnist',
  },
];

export function datasetNames(): string[] {
  return DATASETS.map((d) => d.name);
}

/** The registry entry of `name`; a `UsageError` with a suggestion and the known names otherwise. */
export function getDataset(name: string): DatasetSpec {
  const spec = DATASETS.find((d) => d.name === name);
  if (spec) return spec;
  const names = datasetNames();
  throw new UsageError(`unknown data set '${name}'${didYouMean(name, names)}; available: ${names.join(', ')}`);
}

/** Where the downloader puts a data set by default: `data/downloads/<name>/` of the project. */
export function defaultDownloadDir(name: string): string {
  return path.join(packageRoot(), 'data', 'downloads', name);
}

/**
 * The folders searched, in order, after an explicit path: the project's `data/downloads/<name>/`,
 * `../shared/data/<name>/` beside the project, and Debian's `/usr/share/datasets/<name>/` for a data
 * set that Debian packages.
 */
export function defaultSearchDirs(spec: DatasetSpec): string[] {
  const root = packageRoot();
  const dirs = [defaultDownloadDir(spec.name), path.resolve(root, '..', 'shared', 'data', spec.name)];
  if (spec.debianPackage) dirs.push(path.join('/usr/share/datasets', spec.name));
  return dirs;
}

/**
 * Names a file may have on disk: as published (`x-idx3-ubyte.gz`), gunzipped (`x-idx3-ubyte`), and
 * with the dot some unpackers write (`x.idx3-ubyte`). The reader tells gzip from raw by content.
 */
export function fileCandidates(published: string): string[] {
  const raw = published.replace(/\.gz$/, '');
  const dotted = raw.replace(/-(idx\d-ubyte)$/, '.$1');
  const out = [published, raw, dotted, `${dotted}.gz`];
  return [...new Set(out)];
}

export interface DirectoryScan {
  /** Absolute paths of the files found, when all four are there. */
  files?: Record<DatasetFileRole, string>;
  /** Published names of the files not found. */
  missing: string[];
  /** False when the folder itself does not exist. */
  exists: boolean;
}

/** Looks for the four files of `spec` in `dir`, each under any of its `fileCandidates`. */
export function scanDirectory(spec: DatasetSpec, dir: string): DirectoryScan {
  let exists = false;
  try {
    exists = fs.statSync(dir).isDirectory();
  } catch {
    exists = false;
  }
  if (!exists) return { missing: FILE_ROLES.map((r) => spec.files[r].file), exists };
  const found: Partial<Record<DatasetFileRole, string>> = {};
  const missing: string[] = [];
  for (const role of FILE_ROLES) {
    const hit = fileCandidates(spec.files[role].file)
      .map((f) => path.join(dir, f))
      .find((p) => {
        try {
          return fs.statSync(p).isFile();
        } catch {
          return false;
        }
      });
    if (hit) found[role] = hit;
    else missing.push(spec.files[role].file);
  }
  return missing.length === 0 ? { files: found as Record<DatasetFileRole, string>, missing, exists } : { missing, exists };
}

export interface LocatedDataset {
  spec: DatasetSpec;
  /** Absolute folder the files were found in. */
  dir: string;
  /** How it was found: the explicit path, or the position in the search list. */
  source: 'path' | 'search';
  files: Record<DatasetFileRole, string>;
}

export interface LocateOptions {
  /**
   * A folder given by the user (a config field, a flag). When given it is the only place looked
   * in, and a folder without all four files is an error rather than a reason to look elsewhere.
   * Relative paths resolve against the working directory; resolve config-relative paths first.
   */
  path?: string;
  /** Folders to search instead of `defaultSearchDirs` (tests use this). */
  searchDirs?: readonly string[];
}

function describeScan(dir: string, scan: DirectoryScan): string {
  if (!scan.exists) return `${dir} (no such folder)`;
  return `${dir} (missing ${scan.missing.join(', ')})`;
}

function howToGet(spec: DatasetSpec): string {
  const ways = [`'spred data fetch ${spec.name}'`];
  if (spec.debianPackage) ways.push(`'apt-get install ${spec.debianPackage}'`);
  return `get it with ${ways.join(' or ')}, or give the path of a folder holding ${FILE_ROLES.map((r) => spec.files[r].file).join(', ')}`;
}

/**
 * Finds the files of the data set `name`: in `opts.path` if given, else in the first of the search
 * folders that holds all four files. Throws a one-line `UsageError` listing where it looked and how
 * to get the data when none has them.
 */
export function locateDataset(name: string, opts: LocateOptions = {}): LocatedDataset {
  const spec = getDataset(name);
  if (opts.path !== undefined) {
    const dir = path.resolve(opts.path);
    const scan = scanDirectory(spec, dir);
    if (scan.files) return { spec, dir, source: 'path', files: scan.files };
    throw new UsageError(`data set '${name}' not found at the given path ${describeScan(dir, scan)}; ${howToGet(spec)}`);
  }
  const dirs = (opts.searchDirs ?? defaultSearchDirs(spec)).map((d) => path.resolve(d));
  const looked: string[] = [];
  for (const dir of dirs) {
    const scan = scanDirectory(spec, dir);
    if (scan.files) return { spec, dir, source: 'search', files: scan.files };
    looked.push(describeScan(dir, scan));
  }
  throw new UsageError(`data set '${name}' not found; looked in ${looked.join(', ')}; ${howToGet(spec)}`);
}
