import * as fs from 'node:fs';
import * as path from 'node:path';
import { didYouMean } from '../config/suggest';
import { UsageError } from '../errors';
import { packageRoot } from '../paths';
import type { IdxDtype } from './idx';

/**
 * The registry of named data sets that `spred data fetch` can download and the loaders can find.
 * Adding a data set means adding one entry to `DATASETS`. Two kinds: IDX files in the MNIST layout
 * (`DatasetSpec`, downloaded file by file) and data sets published as one .tar.gz archive
 * (`ArchiveDatasetSpec`: CIFAR-10/100, downloaded, verified, then unpacked).
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

/** What every registered data set states, whatever its file layout. */
interface DatasetCommon {
  name: string;
  description: string;
  homepage: string;
  license: string;
  /** Base URLs (ending in '/') tried in order by `spred data fetch`. */
  mirrors: readonly string[];
  /** Classes of the default labels. */
  numClasses: number;
  /** Names of the default labels. */
  classNames: readonly string[];
  /** Debian package that installs the files into `/usr/share/datasets/<name>/`, if there is one. */
  debianPackage?: string;
}

export interface DatasetSpec extends DatasetCommon {
  /** Absent or 'idx': four IDX files in the MNIST layout (each downloaded as `mirror + file`). */
  kind?: 'idx';
  files: Readonly<Record<DatasetFileRole, IdxFileSpec>>;
}

/** One file inside a data set's archive. */
export interface ArchiveMemberSpec {
  /** File name inside the archive's folder, e.g. `data_batch_1.bin`. */
  file: string;
  /** The split the file belongs to; absent for metadata (label names). */
  split?: 'train' | 'test';
  /** Records an official copy holds; checked when read and when unpacked. */
  records?: number;
  /** Metadata that is read when present and never required. */
  optional?: boolean;
}

/** A data set published as one .tar.gz archive (CIFAR-10/100 binary versions). */
export interface ArchiveDatasetSpec extends DatasetCommon {
  /** Downloaded as `mirror + archive.file`; `numClasses`/`classNames` are the default labels (CIFAR-100: the fine ones). */
  kind: 'archive';
  /** The reader for its files (src/data/cifar.ts). */
  format: 'cifar10' | 'cifar100';
  /** CIFAR-100's 20 superclasses (its `coarse` labels). */
  coarseClassNames?: readonly string[];
  archive: {
    /** File name as published, e.g. `cifar-10-binary.tar.gz`. */
    file: string;
    /** Size in bytes of the published archive. */
    bytes?: number;
    /** MD5 (hex) the publisher states; checked on download. */
    md5?: string;
    /** SHA-256 (hex); checked on download. */
    sha256?: string;
  };
  /** Folder inside the archive holding the members; unpacking strips it, the locator also looks in it. */
  folder: string;
  members: readonly ArchiveMemberSpec[];
}

/** Any registered data set. */
export type AnyDatasetSpec = DatasetSpec | ArchiveDatasetSpec;

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
export const DATASETS: readonly AnyDatasetSpec[] = [
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
  // The archives' MD5s are the ones the publisher's page states (https://www.cs.toronto.edu/~kriz/cifar.html);
  // the sizes are those of Mila's verified copies (git-annex keys MD5E-s170052171--c32a1d4… and
  // MD5E-s168513733--03b5dce…, datasets-mila/datasets--cifar100).
  {
    kind: 'archive',
    format: 'cifar10',
    name: 'cifar10',
    description: 'CIFAR-10 (binary version) colour images, 50000 + 10000 RGB images 32×32, 10 classes',
    homepage: 'https://www.cs.toronto.edu/~kriz/cifar.html',
    license: 'no licence stated; cite Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny Images"',
    mirrors: ['https://www.cs.toronto.edu/~kriz/'],
    numClasses: 10,
    classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
    archive: { file: 'cifar-10-binary.tar.gz', bytes: 170052171, md5: 'c32a1d4ab5d03f1284b67883e8d87530' },
    folder: 'cifar-10-batches-bin',
    members: [
      ...[1, 2, 3, 4, 5].map((i) => ({ file: `data_batch_${i}.bin`, split: 'train' as const, records: 10000 })),
      { file: 'test_batch.bin', split: 'test', records: 10000 },
      { file: 'batches.meta.txt', optional: true },
    ],
  },
  {
    kind: 'archive',
    format: 'cifar100',
    name: 'cifar100',
    description: 'CIFAR-100 (binary version) colour images, 50000 + 10000 RGB images 32×32, 100 fine / 20 coarse classes',
    homepage: 'https://www.cs.toronto.edu/~kriz/cifar.html',
    license: 'no licence stated; cite Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny Images"',
    mirrors: ['https://www.cs.toronto.edu/~kriz/'],
    numClasses: 100,
    classNames: [
      'apple', 'aquarium_fish', 'baby', 'bear', 'beaver', 'bed', 'bee', 'beetle', 'bicycle', 'bottle',
      'bowl', 'boy', 'bridge', 'bus', 'butterfly', 'camel', 'can', 'castle', 'caterpillar', 'cattle',
      'chair', 'chimpanzee', 'clock', 'cloud', 'cockroach', 'couch', 'crab', 'crocodile', 'cup', 'dinosaur',
      'dolphin', 'elephant', 'flatfish', 'forest', 'fox', 'girl', 'hamster', 'house', 'kangaroo', 'keyboard',
      'lamp', 'lawn_mower', 'leopard', 'lion', 'lizard', 'lobster', 'man', 'maple_tree', 'motorcycle', 'mountain',
      'mouse', 'mushroom', 'oak_tree', 'orange', 'orchid', 'otter', 'palm_tree', 'pear', 'pickup_truck', 'pine_tree',
      'plain', 'plate', 'poppy', 'porcupine', 'possum', 'rabbit', 'raccoon', 'ray', 'road', 'rocket',
      'rose', 'sea', 'seal', 'shark', 'shrew', 'skunk', 'skyscraper', 'snail', 'snake', 'spider',
      'squirrel', 'streetcar', 'sunflower', 'sweet_pepper', 'table', 'tank', 'telephone', 'television', 'tiger', 'tractor',
      'train', 'trout', 'tulip', 'turtle', 'wardrobe', 'whale', 'willow_tree', 'wolf', 'woman', 'worm',
    ],
    coarseClassNames: [
      'aquatic_mammals', 'fish', 'flowers', 'food_containers', 'fruit_and_vegetables',
      'household_electrical_devices', 'household_furniture', 'insects', 'large_carnivores',
      'large_man-made_outdoor_things', 'large_natural_outdoor_scenes', 'large_omnivores_and_herbivores',
      'medium_mammals', 'non-insect_invertebrates', 'people', 'reptiles', 'small_mammals', 'trees',
      'vehicles_1', 'vehicles_2',
    ],
    archive: { file: 'cifar-100-binary.tar.gz', bytes: 168513733, md5: '03b5dce01913d631647c71ecec9e9cb8' },
    folder: 'cifar-100-binary',
    members: [
      { file: 'train.bin', split: 'train', records: 50000 },
      { file: 'test.bin', split: 'test', records: 10000 },
      { file: 'fine_label_names.txt', optional: true },
      { file: 'coarse_label_names.txt', optional: true },
    ],
  },
];

export function datasetNames(): string[] {
  return DATASETS.map((d) => d.name);
}

/** The registry entry of `name`, of any kind; a `UsageError` with a suggestion and the known names otherwise. */
export function findDataset(name: string): AnyDatasetSpec {
  const spec = DATASETS.find((d) => d.name === name);
  if (spec) return spec;
  const names = datasetNames();
  throw new UsageError(`unknown data set '${name}'${didYouMean(name, names)}; available: ${names.join(', ')}`);
}

/** The registry entry of the IDX data set `name` (see `findDataset`); an archive data set is a `UsageError`. */
export function getDataset(name: string): DatasetSpec {
  const spec = findDataset(name);
  if (spec.kind !== 'archive') return spec;
  throw new UsageError(`data set '${name}' is not in the IDX (MNIST) layout: it is read by the ${spec.format} reader (loadCifar)`);
}

/** The registry entry of the archive data set `name` (CIFAR); an IDX data set is a `UsageError`. */
export function getArchiveDataset(name: string): ArchiveDatasetSpec {
  const spec = findDataset(name);
  if (spec.kind === 'archive') return spec;
  throw new UsageError(`data set '${name}' is in the IDX (MNIST) layout, not a CIFAR archive: read it with loadImageDataset`);
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
export function defaultSearchDirs(spec: AnyDatasetSpec): string[] {
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

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The first of `names` that is a file in `dir`, as a path; undefined when none is. */
export function firstFileIn(dir: string, names: readonly string[]): string | undefined {
  return names.map((f) => path.join(dir, f)).find(isFile);
}

/** Looks for the four files of `spec` in `dir`, each under any of its `fileCandidates`. */
export function scanDirectory(spec: DatasetSpec, dir: string): DirectoryScan {
  const exists = isDirectory(dir);
  if (!exists) return { missing: FILE_ROLES.map((r) => spec.files[r].file), exists };
  const found: Partial<Record<DatasetFileRole, string>> = {};
  const missing: string[] = [];
  for (const role of FILE_ROLES) {
    const hit = firstFileIn(dir, fileCandidates(spec.files[role].file));
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

/** Names an archive member may have on disk: as unpacked, and gzipped (the reader tells gzip by content). */
export function archiveMemberCandidates(file: string): string[] {
  return [file, `${file}.gz`];
}

export interface ArchiveDirectoryScan {
  /** The folder holding the files, when all required members are there: the folder scanned or its `spec.folder`. */
  dir?: string;
  /** Member file name → absolute path, for every member found (required and optional), when all required are there. */
  files?: Record<string, string>;
  /** Required members not found (in the folder scanned, or its `spec.folder` when that holds more of them). */
  missing: string[];
  /** False when the folder itself does not exist. */
  exists: boolean;
}

/**
 * Looks for the members of the archive data set `spec` in `dir`, or in its subfolder `spec.folder`
 * (where `tar xzf` of the published archive puts them), each as unpacked or gzipped.
 */
export function scanArchiveDirectory(spec: ArchiveDatasetSpec, dir: string): ArchiveDirectoryScan {
  const exists = isDirectory(dir);
  const required = spec.members.filter((m) => !m.optional).map((m) => m.file);
  if (!exists) return { missing: required, exists };
  let best: string[] | undefined;
  for (const d of [dir, path.join(dir, spec.folder)]) {
    const files: Record<string, string> = {};
    for (const m of spec.members) {
      const hit = firstFileIn(d, archiveMemberCandidates(m.file));
      if (hit) files[m.file] = hit;
    }
    const missing = required.filter((f) => files[f] === undefined);
    if (missing.length === 0) return { dir: d, files, missing, exists };
    if (best === undefined || missing.length < best.length) best = missing;
  }
  return { missing: best ?? required, exists };
}

export interface LocatedArchiveDataset {
  spec: ArchiveDatasetSpec;
  /** Absolute folder the files were found in. */
  dir: string;
  source: 'path' | 'search';
  /** Member file name → absolute path (required members always; optional ones when present). */
  files: Record<string, string>;
}

function howToGetArchive(spec: ArchiveDatasetSpec): string {
  const required = spec.members.filter((m) => !m.optional).map((m) => m.file);
  return (
    `get it with 'spred data fetch ${spec.name}' (or unpack ${spec.archive.file} from ${spec.homepage}), ` +
    `or give the path of a folder holding ${required.join(', ')}`
  );
}

function describeArchiveScan(dir: string, scan: ArchiveDirectoryScan): string {
  if (!scan.exists) return `${dir} (no such folder)`;
  return `${dir} (missing ${scan.missing.join(', ')})`;
}

/**
 * Finds the files of the archive data set `name` (CIFAR), as `locateDataset` does for IDX data sets:
 * in `opts.path` only when given, else in the first search folder holding every required member.
 */
export function locateArchiveDataset(name: string, opts: LocateOptions = {}): LocatedArchiveDataset {
  const spec = getArchiveDataset(name);
  if (opts.path !== undefined) {
    const dir = path.resolve(opts.path);
    const scan = scanArchiveDirectory(spec, dir);
    if (scan.dir && scan.files) return { spec, dir: scan.dir, source: 'path', files: scan.files };
    throw new UsageError(`data set '${name}' not found at the given path ${describeArchiveScan(dir, scan)}; ${howToGetArchive(spec)}`);
  }
  const dirs = (opts.searchDirs ?? defaultSearchDirs(spec)).map((d) => path.resolve(d));
  const looked: string[] = [];
  for (const dir of dirs) {
    const scan = scanArchiveDirectory(spec, dir);
    if (scan.dir && scan.files) return { spec, dir: scan.dir, source: 'search', files: scan.files };
    looked.push(describeArchiveScan(dir, scan));
  }
  throw new UsageError(`data set '${name}' not found; looked in ${looked.join(', ')}; ${howToGetArchive(spec)}`);
}

/** The folder a data set of either kind was found in (`spred data list`); errors as `locateDataset`. */
export function locateAnyDataset(name: string, opts: LocateOptions = {}): { spec: AnyDatasetSpec; dir: string; source: 'path' | 'search' } {
  const spec = findDataset(name);
  return spec.kind === 'archive' ? locateArchiveDataset(name, opts) : locateDataset(name, opts);
}
