import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DataError, UsageError } from '../errors';
import { archiveMemberCandidates, firstFileIn, getArchiveDataset, locateArchiveDataset, type ArchiveDatasetSpec, type LocateOptions } from './datasets';
import { gunzipBytes } from './gzip';
import { readDataFile } from './read_file';

/**
 * Readers of the binary versions of CIFAR-10 and CIFAR-100 (https://www.cs.toronto.edu/~kriz/cifar.html,
 * "Binary version"). A file is a sequence of records with nothing before or after them:
 *
 * - CIFAR-10 (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`, 10000 records each):
 *   1 label byte (0–9), then 3072 pixel bytes;
 * - CIFAR-100 (`train.bin` 50000 records, `test.bin` 10000): 2 label bytes, coarse (0–19) then
 *   fine (0–99), then 3072 pixel bytes.
 *
 * The 3072 pixel bytes are channel-planar: 1024 red, then 1024 green, then 1024 blue, each a 32×32
 * image in row-major order. The readers return NHWC float32 images in [0, 1] (byte / 255), the layout
 * tfjs conv layers take. Label names come from `batches.meta.txt` (CIFAR-10) or
 * `fine_label_names.txt` / `coarse_label_names.txt` (CIFAR-100), one per line, when present, else
 * from the registry.
 *
 * As with IDX files, a gzipped file is accepted and recognised by the gzip magic (1f 8b), never by its
 * name (a raw file cannot start with 1f: no CIFAR first label byte reaches 31). Byte offsets in errors
 * count in the decompressed data then (the message says so).
 */

export type CifarFormat = 'cifar10' | 'cifar100';

/** CIFAR-100 has two labels per image: the fine class (100) and its superclass (coarse, 20). */
export type CifarLabelMode = 'fine' | 'coarse';

export const CIFAR_SIZE = 32;
export const CIFAR_CHANNELS = 3;
/** Pixel bytes per record: 3 planes of 32×32. */
export const CIFAR_PIXEL_BYTES = CIFAR_SIZE * CIFAR_SIZE * CIFAR_CHANNELS;
const PLANE = CIFAR_SIZE * CIFAR_SIZE;

/** Label bytes per record: 1 for CIFAR-10, 2 (coarse, fine) for CIFAR-100. */
export function cifarLabelBytes(format: CifarFormat): number {
  return format === 'cifar10' ? 1 : 2;
}

/** Bytes per record: 3073 for CIFAR-10, 3074 for CIFAR-100. */
export function cifarRecordBytes(format: CifarFormat): number {
  return cifarLabelBytes(format) + CIFAR_PIXEL_BYTES;
}

const TITLE: Record<CifarFormat, string> = { cifar10: 'CIFAR-10', cifar100: 'CIFAR-100' };

/** Classes of each label: CIFAR-10 has one label of 10 classes; CIFAR-100 20 coarse and 100 fine. */
export function cifarNumClasses(format: CifarFormat, mode: CifarLabelMode = 'fine'): number {
  if (format === 'cifar10') return 10;
  return mode === 'coarse' ? 20 : 100;
}

/** One file's records, checked: the labels of the chosen mode and the raw (decompressed) bytes. */
export interface CifarBatch {
  format: CifarFormat;
  /** Number of records. */
  n: number;
  /** Label of each record (CIFAR-100: of the chosen mode). */
  labels: Int32Array;
  /** The file's bytes, decompressed: n records of `cifarRecordBytes(format)` bytes. */
  raw: Uint8Array;
}

export interface ParseCifarOptions {
  format: CifarFormat;
  /** CIFAR-100 only: which label to return. Default 'fine'. */
  labels?: CifarLabelMode;
  /** Records the file must hold (an official file: 10000, 50000); any positive number when absent. */
  expectedRecords?: number;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function checkLabelMode(format: CifarFormat, mode: CifarLabelMode | undefined): CifarLabelMode {
  if (mode === undefined) return 'fine';
  if (mode !== 'fine' && mode !== 'coarse') throw new UsageError(`CIFAR labels must be 'fine' or 'coarse', got '${String(mode)}'`);
  if (format === 'cifar10' && mode === 'coarse') throw new UsageError("CIFAR-10 has one label per image: labels 'coarse' is for CIFAR-100");
  return mode;
}

/**
 * Parses the bytes of one CIFAR binary file (gzipped or raw) and checks them: whole records, at least
 * one, `expectedRecords` of them when given, and every label byte (both of CIFAR-100's) in range.
 * Throws a one-line `DataError` naming `label` otherwise.
 */
export function parseCifarBatch(input: Uint8Array, label: string, opts: ParseCifarOptions): CifarBatch {
  const { format, expectedRecords } = opts;
  const mode = checkLabelMode(format, opts.labels);
  const { bytes: raw, gzipped } = gunzipBytes(input, label);
  const where = gzipped ? ' of the decompressed data' : '';
  const rec = cifarRecordBytes(format);
  const lb = cifarLabelBytes(format);
  const layout = `${lb} label byte${lb === 1 ? '' : 's'} + ${CIFAR_PIXEL_BYTES} pixel bytes`;
  const n = Math.floor(raw.length / rec);
  const rem = raw.length % rec;
  if (rem !== 0) {
    throw new DataError(
      `${label}: size ${raw.length} bytes${where} is not a multiple of the ${rec}-byte ${TITLE[format]} record (${layout}): ` +
        `${n} whole records and ${plural(rem, 'byte')} left over`,
    );
  }
  if (expectedRecords !== undefined && n !== expectedRecords) {
    throw new DataError(
      `${label}: holds ${plural(n, 'record')} (${raw.length} bytes${where}), an official ${path.basename(label.replace(/\.gz$/, ''))} ` +
        `holds ${expectedRecords} (${expectedRecords * rec} bytes of ${rec}-byte records)`,
    );
  }
  if (n === 0) throw new DataError(`${label}: empty: no ${rec}-byte ${TITLE[format]} records`);
  const labels = new Int32Array(n);
  // CIFAR-100: byte 0 coarse (< 20), byte 1 fine (< 100); every label byte is checked, whatever the mode.
  const checks: { at: number; name: string; classes: number }[] =
    format === 'cifar10'
      ? [{ at: 0, name: 'label', classes: 10 }]
      : [
          { at: 0, name: 'coarse label', classes: 20 },
          { at: 1, name: 'fine label', classes: 100 },
        ];
  const keep = format === 'cifar10' || mode === 'coarse' ? 0 : 1;
  for (let i = 0; i < n; i++) {
    const off = i * rec;
    for (const c of checks) {
      const v = raw[off + c.at];
      if (v >= c.classes) {
        throw new DataError(
          `${label}: record ${i} (byte ${off + c.at}${where}): ${c.name} ${v} is out of range: expected 0..${c.classes - 1} ` +
            `for ${TITLE[format]}'s ${c.classes} ${c.name === 'label' ? 'classes' : `${c.name.split(' ')[0]} classes`}`,
        );
      }
    }
    labels[i] = raw[off + keep];
  }
  return { format, n, labels, raw };
}

/** byte → byte / 255 in float32, as the IDX reader converts ubyte pixels. */
const UNIT = Float32Array.from({ length: 256 }, (_, i) => i / 255);

/**
 * Writes records [from, from + count) of `batch` into `out` at image `at`, converting each from
 * channel-planar bytes to NHWC [32, 32, 3] floats in [0, 1].
 */
export function cifarToNhwc(batch: CifarBatch, from: number, count: number, out: Float32Array, at: number): void {
  const rec = cifarRecordBytes(batch.format);
  const lb = cifarLabelBytes(batch.format);
  const { raw } = batch;
  for (let r = 0; r < count; r++) {
    const src = (from + r) * rec + lb;
    const dst = (at + r) * CIFAR_PIXEL_BYTES;
    for (let p = 0; p < PLANE; p++) {
      const o = dst + p * CIFAR_CHANNELS;
      out[o] = UNIT[raw[src + p]];
      out[o + 1] = UNIT[raw[src + PLANE + p]];
      out[o + 2] = UNIT[raw[src + 2 * PLANE + p]];
    }
  }
}


/** Reads one CIFAR binary file, gzipped or raw (see `parseCifarBatch`). */
export function readCifarBatch(file: string, opts: ParseCifarOptions): CifarBatch {
  return parseCifarBatch(readDataFile(file), file, opts);
}

/**
 * Parses a label-names file: one name per line, blank lines (the official files end with some) and
 * surrounding white space dropped; there must be `numClasses` names.
 */
export function parseLabelNames(text: string, label: string, numClasses: number): string[] {
  const names = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (names.length !== numClasses) {
    throw new DataError(`${label}: ${plural(names.length, 'label name')}, expected ${numClasses} (one per line)`);
  }
  return names;
}

/** Colour images with integer class labels, as the conv tasks consume them. */
export interface CifarData {
  /** n × 32 × 32 × 3 pixels (NHWC, RGB) in [0, 1]. */
  images: Float32Array;
  /** n class indices in [0, numClasses). */
  labels: Int32Array;
  n: number;
  rows: number;
  cols: number;
  channels: number;
  /** [n, 32, 32, 3], for `tf.tensor4d(images, shape)`. */
  shape: [number, number, number, number];
  numClasses: number;
  /** Name of each class: from the folder's label-name file when present, else the registry's. */
  labelNames: string[];
  /** Where `labelNames` came from: the file's path, or 'registry'. */
  labelNamesFrom: string;
  labelMode: CifarLabelMode;
  /** The batch files read, in order. */
  files: string[];
}

export interface LoadCifarFolderOptions {
  split: 'train' | 'test';
  /** CIFAR-100 only: 'fine' (100 classes, default) or 'coarse' (20 superclasses). */
  labels?: CifarLabelMode;
  /** Keep only the first `limit` images (in file order). Every file of the split is still checked whole. */
  limit?: number;
  /**
   * Check each file's record count against the official one (default true). False accepts files with
   * the official names but other counts (subsets, test fixtures).
   */
  officialCounts?: boolean;
}

function findMember(dir: string, file: string): string | undefined {
  return firstFileIn(dir, archiveMemberCandidates(file));
}

function presentFiles(dir: string, spec: ArchiveDatasetSpec): string {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new DataError(`${dir}: cannot read the ${TITLE[spec.format]} folder: ${err.code === 'ENOENT' ? 'no such folder' : err.message}`);
  }
  const known = new Set(spec.members.flatMap((m) => archiveMemberCandidates(m.file)));
  const present = names.filter((f) => known.has(f) || /\.bin(\.gz)?$/.test(f)).sort();
  return present.length === 0 ? 'none' : present.join(', ');
}

/**
 * Reads one split of CIFAR-10 or CIFAR-100 (`dataset`: a registry name or entry) from the folder `dir`
 * holding the binary files (as unpacked, or gzipped). Throws a one-line `DataError` for a missing
 * batch file (listing the files present), a file that is not whole records, a label out of range, an
 * official file with the wrong record count or a label-name file with the wrong number of names.
 */
export function loadCifarFolder(dir: string, dataset: CifarFormat | ArchiveDatasetSpec, opts: LoadCifarFolderOptions): CifarData {
  const spec = typeof dataset === 'string' ? getArchiveDataset(dataset) : dataset;
  const { format } = spec;
  const mode = checkLabelMode(format, opts.labels);
  const { limit, split } = opts;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new UsageError(`limit must be a positive integer, got ${limit}`);
  }
  if (split !== 'train' && split !== 'test') throw new UsageError(`split must be 'train' or 'test', got '${String(split)}'`);
  const members = spec.members.filter((m) => m.split === split);
  const files: string[] = [];
  const missing: string[] = [];
  for (const m of members) {
    const hit = findMember(dir, m.file);
    if (hit) files.push(hit);
    else missing.push(m.file);
  }
  if (missing.length > 0) {
    throw new DataError(
      `${dir}: missing ${missing.join(', ')} of ${TITLE[format]} (the ${split} split needs ${members.map((m) => m.file).join(', ')}); ` +
        `present: ${presentFiles(dir, spec)}`,
    );
  }
  const batches = members.map((m, i) =>
    readCifarBatch(files[i], { format, labels: mode, expectedRecords: opts.officialCounts === false ? undefined : m.records }),
  );
  const total = batches.reduce((a, b) => a + b.n, 0);
  const n = limit === undefined ? total : Math.min(limit, total);
  const images = new Float32Array(n * CIFAR_PIXEL_BYTES);
  const labels = new Int32Array(n);
  let at = 0;
  for (const b of batches) {
    const take = Math.min(b.n, n - at);
    if (take <= 0) break;
    cifarToNhwc(b, 0, take, images, at);
    labels.set(b.labels.subarray(0, take), at);
    at += take;
  }
  const numClasses = cifarNumClasses(format, mode);
  const namesFile = format === 'cifar10' ? 'batches.meta.txt' : mode === 'coarse' ? 'coarse_label_names.txt' : 'fine_label_names.txt';
  const namesPath = findMember(dir, namesFile);
  let labelNames: string[];
  let labelNamesFrom = 'registry';
  if (namesPath !== undefined) {
    const text = Buffer.from(gunzipBytes(readDataFile(namesPath), namesPath).bytes).toString('utf8');
    labelNames = parseLabelNames(text, namesPath, numClasses);
    labelNamesFrom = namesPath;
  } else {
    labelNames = [...(mode === 'coarse' ? (spec.coarseClassNames ?? []) : spec.classNames)];
    if (labelNames.length !== numClasses) labelNames = Array.from({ length: numClasses }, (_, i) => String(i));
  }
  return {
    images,
    labels,
    n,
    rows: CIFAR_SIZE,
    cols: CIFAR_SIZE,
    channels: CIFAR_CHANNELS,
    shape: [n, CIFAR_SIZE, CIFAR_SIZE, CIFAR_CHANNELS],
    numClasses,
    labelNames,
    labelNamesFrom,
    labelMode: mode,
    files,
  };
}

export interface LoadCifarOptions extends LocateOptions, LoadCifarFolderOptions {}

/**
 * Locates the registered data set `name` ('cifar10' or 'cifar100'; see `locateArchiveDataset`: an
 * explicit `path`, else the search folders) and loads one split with `loadCifarFolder`.
 */
export function loadCifar(name: string, opts: LoadCifarOptions): CifarData & { dir: string } {
  const found = locateArchiveDataset(name, opts);
  return { ...loadCifarFolder(found.dir, found.spec, opts), dir: found.dir };
}

/** One record to encode: its label(s) and 3072 channel-planar pixel bytes (R plane, G plane, B plane). */
export type CifarRecordInput = { pixels: ArrayLike<number> } & ({ label: number } | { coarse: number; fine: number });

/**
 * Encodes records in the binary format of `format` (for tests and fixtures). Throws a `RangeError`
 * for a record of the other format or pixels that are not 3072 bytes; labels are written as given
 * (modulo 256), so tests can write out-of-range ones.
 */
export function encodeCifarBatch(format: CifarFormat, records: readonly CifarRecordInput[], opts: { gzip?: boolean } = {}): Buffer {
  const rec = cifarRecordBytes(format);
  const buf = Buffer.alloc(records.length * rec);
  records.forEach((r, i) => {
    const off = i * rec;
    if (r.pixels.length !== CIFAR_PIXEL_BYTES) throw new RangeError(`record ${i}: ${r.pixels.length} pixel bytes, expected ${CIFAR_PIXEL_BYTES}`);
    if (format === 'cifar10') {
      if (!('label' in r)) throw new RangeError(`record ${i}: a CIFAR-10 record has one label`);
      buf[off] = r.label & 0xff;
    } else {
      if (!('coarse' in r)) throw new RangeError(`record ${i}: a CIFAR-100 record has coarse and fine labels`);
      buf[off] = r.coarse & 0xff;
      buf[off + 1] = r.fine & 0xff;
    }
    const lb = cifarLabelBytes(format);
    for (let k = 0; k < CIFAR_PIXEL_BYTES; k++) buf[off + lb + k] = r.pixels[k] & 0xff;
  });
  return opts.gzip ? zlib.gzipSync(buf) : buf;
}
