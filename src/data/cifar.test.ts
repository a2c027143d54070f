import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dataListCommand } from '../commands/data';
import { DataError, UsageError } from '../errors';
import {
  CIFAR_PIXEL_BYTES,
  cifarRecordBytes,
  cifarToNhwc,
  encodeCifarBatch,
  loadCifar,
  loadCifarFolder,
  parseCifarBatch,
  type CifarRecordInput,
} from './cifar';
import { DATASETS, getArchiveDataset, getDataset, locateAnyDataset, locateArchiveDataset, scanArchiveDirectory } from './datasets';

// No CIFAR data here: the tests write small files in the true binary format, with pixels known in
// closed form, and check the decoding exactly.

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-cifar-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function thrown(fn: () => unknown, cls: typeof DataError | typeof UsageError = DataError): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error(`expected a ${cls.name}, nothing was thrown`);
}

/** The byte of record `r` (numbered across a split), channel `c` (0 R, 1 G, 2 B), pixel `p` = y·32 + x. */
const pixel = (r: number, c: number, p: number): number => (r * 31 + c * 101 + p * 7 + (p >> 5) * 3) % 256;

/** Channel-planar pixel bytes of record `r`: the R plane, then G, then B. */
function planar(r: number): Uint8Array {
  const out = new Uint8Array(CIFAR_PIXEL_BYTES);
  for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) out[c * 1024 + p] = pixel(r, c, p);
  return out;
}

/** Records `first` … `first + n - 1` of CIFAR-10 with labels r mod 10. */
function c10(first: number, n: number): CifarRecordInput[] {
  return Array.from({ length: n }, (_, i) => ({ label: (first + i) % 10, pixels: planar(first + i) }));
}

/** Records of CIFAR-100: fine (r·13) mod 100, coarse (r·3) mod 20. */
function c100(first: number, n: number): CifarRecordInput[] {
  return Array.from({ length: n }, (_, i) => ({ coarse: ((first + i) * 3) % 20, fine: ((first + i) * 13) % 100, pixels: planar(first + i) }));
}

/** Checks every element of NHWC `images` against `pixel`, records numbered from `first`. */
function expectNhwc(images: Float32Array, n: number, first = 0): void {
  expect(images.length).toBe(n * 32 * 32 * 3);
  let bad = 0;
  for (let r = 0; r < n; r++) {
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 3; c++) {
          const want = Math.fround(pixel(first + r, c, y * 32 + x) / 255);
          if (images[((r * 32 + y) * 32 + x) * 3 + c] !== want) bad++;
        }
      }
    }
  }
  expect(bad).toBe(0);
}

function folder(name: string, files: Record<string, Uint8Array | string>): string {
  const d = path.join(dir, name);
  fs.mkdirSync(d, { recursive: true });
  for (const [f, b] of Object.entries(files)) fs.writeFileSync(path.join(d, f), b);
  return d;
}

const C10_NAMES = 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n'; // the official file ends in a blank line

/** CIFAR-10 batches of 7, 3, 2, 1, 4 records and a test batch of 5. */
function cifar10Folder(name: string, extra: Record<string, Uint8Array | string> = {}): string {
  const sizes = [7, 3, 2, 1, 4];
  const files: Record<string, Uint8Array | string> = {};
  let first = 0;
  sizes.forEach((k, i) => {
    files[`data_batch_${i + 1}.bin`] = encodeCifarBatch('cifar10', c10(first, k));
    first += k;
  });
  files['test_batch.bin'] = encodeCifarBatch('cifar10', c10(1000, 5));
  return folder(name, { ...files, ...extra });
}

describe('the binary record format', () => {
  test('record sizes: 1 + 3072 and 2 + 3072 bytes', () => {
    expect(cifarRecordBytes('cifar10')).toBe(3073);
    expect(cifarRecordBytes('cifar100')).toBe(3074);
    expect(encodeCifarBatch('cifar10', c10(0, 7)).length).toBe(7 * 3073);
  });

  test('7 CIFAR-10 records: labels, and channel-planar bytes to NHWC floats exactly', () => {
    const bytes = encodeCifarBatch('cifar10', c10(0, 7));
    // the format itself: label byte, then R plane, G plane, B plane, row-major
    expect(bytes[3073]).toBe(1);
    expect(bytes[3073 + 1 + 1024 + 33]).toBe(pixel(1, 1, 33)); // record 1, green, y = 1, x = 1
    const b = parseCifarBatch(bytes, 'b.bin', { format: 'cifar10' });
    expect(b.n).toBe(7);
    expect(Array.from(b.labels)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const out = new Float32Array(7 * 3072);
    cifarToNhwc(b, 0, 7, out, 0);
    expectNhwc(out, 7);
    // one pixel by hand: record 2, y = 3, x = 4 is R, G, B at 3 consecutive floats
    const at = ((2 * 32 + 3) * 32 + 4) * 3;
    expect(Array.from(out.subarray(at, at + 3))).toEqual([0, 1, 2].map((c) => Math.fround(pixel(2, c, 100) / 255)));
  });

  test('pure colour planes: R = 255, G = 0, B = 128 everywhere gives (1, 0, 128/255) at every pixel', () => {
    const px = new Uint8Array(3072);
    px.fill(255, 0, 1024);
    px.fill(128, 2048);
    const b = parseCifarBatch(encodeCifarBatch('cifar10', [{ label: 9, pixels: px }]), 'c.bin', { format: 'cifar10' });
    const out = new Float32Array(3072);
    cifarToNhwc(b, 0, 1, out, 0);
    for (let i = 0; i < 1024; i++) expect([out[3 * i], out[3 * i + 1], out[3 * i + 2]]).toEqual([1, 0, Math.fround(128 / 255)]);
  });

  test('CIFAR-100 records: fine labels by default, coarse on request; every label byte is checked', () => {
    const bytes = encodeCifarBatch('cifar100', c100(0, 7));
    expect([bytes[3074], bytes[3075]]).toEqual([3, 13]); // coarse first, then fine
    const fine = parseCifarBatch(bytes, 'train.bin', { format: 'cifar100' });
    expect(Array.from(fine.labels)).toEqual([0, 13, 26, 39, 52, 65, 78]);
    const coarse = parseCifarBatch(bytes, 'train.bin', { format: 'cifar100', labels: 'coarse' });
    expect(Array.from(coarse.labels)).toEqual([0, 3, 6, 9, 12, 15, 18]);
    const out = new Float32Array(7 * 3072);
    cifarToNhwc(fine, 0, 7, out, 0);
    expectNhwc(out, 7);
  });
});

describe('errors in a file: one line naming it', () => {
  test('a size that is not a multiple of the record size: the record size and the remainder', () => {
    const bytes = encodeCifarBatch('cifar10', c10(0, 3));
    expect(thrown(() => parseCifarBatch(bytes.subarray(0, bytes.length - 5), 'data_batch_1.bin', { format: 'cifar10' }))).toBe(
      'data_batch_1.bin: size 9214 bytes is not a multiple of the 3073-byte CIFAR-10 record (1 label byte + 3072 pixel bytes): ' +
        '2 whole records and 3068 bytes left over',
    );
    const c = encodeCifarBatch('cifar100', c100(0, 2));
    expect(thrown(() => parseCifarBatch(Buffer.concat([c, Buffer.alloc(1)]), 'test.bin', { format: 'cifar100' }))).toBe(
      'test.bin: size 6149 bytes is not a multiple of the 3074-byte CIFAR-100 record (2 label bytes + 3072 pixel bytes): ' +
        '2 whole records and 1 byte left over',
    );
    // a CIFAR-100 file read as CIFAR-10 is caught the same way
    expect(thrown(() => parseCifarBatch(c, 'train.bin', { format: 'cifar10' }))).toMatch(/not a multiple of the 3073-byte CIFAR-10 record/);
    expect(thrown(() => parseCifarBatch(new Uint8Array(0), 'e.bin', { format: 'cifar10' }))).toBe(
      'e.bin: empty: no 3073-byte CIFAR-10 records',
    );
  });

  test('a label byte out of range: which record, which byte, the range', () => {
    const recs = c10(0, 4);
    recs[2] = { label: 10, pixels: planar(2) };
    expect(thrown(() => parseCifarBatch(encodeCifarBatch('cifar10', recs), 'test_batch.bin', { format: 'cifar10' }))).toBe(
      "test_batch.bin: record 2 (byte 6146): label 10 is out of range: expected 0..9 for CIFAR-10's 10 classes",
    );
    const fine = c100(0, 3);
    fine[1] = { coarse: 1, fine: 100, pixels: planar(1) };
    expect(thrown(() => parseCifarBatch(encodeCifarBatch('cifar100', fine), 'train.bin', { format: 'cifar100', labels: 'coarse' }))).toBe(
      "train.bin: record 1 (byte 3075): fine label 100 is out of range: expected 0..99 for CIFAR-100's 100 fine classes",
    );
    const coarse = c100(0, 3);
    coarse[0] = { coarse: 20, fine: 5, pixels: planar(0) };
    expect(thrown(() => parseCifarBatch(encodeCifarBatch('cifar100', coarse), 'train.bin', { format: 'cifar100' }))).toBe(
      "train.bin: record 0 (byte 0): coarse label 20 is out of range: expected 0..19 for CIFAR-100's 20 coarse classes",
    );
  });

  test('the wrong record count for an official file', () => {
    expect(thrown(() => parseCifarBatch(encodeCifarBatch('cifar10', c10(0, 7)), '/d/data_batch_3.bin', { format: 'cifar10', expectedRecords: 10000 }))).toBe(
      '/d/data_batch_3.bin: holds 7 records (21511 bytes), an official data_batch_3.bin holds 10000 (30730000 bytes of 3073-byte records)',
    );
  });

  test('gzip: accepted by its magic as the IDX reader does; offsets then count in the decompressed data', () => {
    const gz = encodeCifarBatch('cifar10', c10(0, 7), { gzip: true });
    expect(Array.from(parseCifarBatch(gz, 'b.bin.gz', { format: 'cifar10' }).labels)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const recs = c10(0, 2);
    recs[1] = { label: 200, pixels: planar(1) };
    expect(thrown(() => parseCifarBatch(encodeCifarBatch('cifar10', recs, { gzip: true }), 'b.bin', { format: 'cifar10' }))).toBe(
      "b.bin: record 1 (byte 3073 of the decompressed data): label 200 is out of range: expected 0..9 for CIFAR-10's 10 classes",
    );
    expect(thrown(() => parseCifarBatch(gz.subarray(0, gz.length - 10), 'b.bin', { format: 'cifar10' }))).toBe('b.bin: truncated gzip stream');
  });

  test("usage errors: coarse labels for CIFAR-10, an unknown label mode", () => {
    const bytes = encodeCifarBatch('cifar10', c10(0, 1));
    expect(thrown(() => parseCifarBatch(bytes, 'b.bin', { format: 'cifar10', labels: 'coarse' }), UsageError)).toBe(
      "CIFAR-10 has one label per image: labels 'coarse' is for CIFAR-100",
    );
    expect(thrown(() => parseCifarBatch(bytes, 'b.bin', { format: 'cifar10', labels: 'super' as 'fine' }), UsageError)).toBe(
      "CIFAR labels must be 'fine' or 'coarse', got 'super'",
    );
  });
});

describe('loadCifarFolder', () => {
  test('CIFAR-10 train: the five batches in order, NHWC [n, 32, 32, 3], label names from batches.meta.txt', () => {
    const d = cifar10Folder('c10', { 'batches.meta.txt': C10_NAMES });
    const data = loadCifarFolder(d, 'cifar10', { split: 'train', officialCounts: false });
    expect(data.n).toBe(17);
    expect(data.shape).toEqual([17, 32, 32, 3]);
    expect([data.rows, data.cols, data.channels, data.numClasses, data.labelMode]).toEqual([32, 32, 3, 10, 'fine']);
    expect(Array.from(data.labels)).toEqual(Array.from({ length: 17 }, (_, r) => r % 10));
    expectNhwc(data.images, 17);
    expect(data.labelNames).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    expect(data.labelNamesFrom).toBe(path.join(d, 'batches.meta.txt'));
    expect(data.files.map((f) => path.basename(f))).toEqual([1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`));

    const test = loadCifarFolder(d, 'cifar10', { split: 'test', officialCounts: false });
    expect(test.n).toBe(5);
    expectNhwc(test.images, 5, 1000);
    expect(Array.from(test.labels)).toEqual([0, 1, 2, 3, 4]);
  });

  test('limit: the first images in file order, across a file boundary; every file is still checked', () => {
    const d = cifar10Folder('c10-limit');
    const data = loadCifarFolder(d, 'cifar10', { split: 'train', limit: 9, officialCounts: false });
    expect(data.n).toBe(9); // 7 from data_batch_1, 2 from data_batch_2
    expect(data.shape).toEqual([9, 32, 32, 3]);
    expectNhwc(data.images, 9);
    expect(Array.from(data.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(loadCifarFolder(d, 'cifar10', { split: 'train', limit: 1000, officialCounts: false }).n).toBe(17);
    // a bad label in the last batch fails even when the limit stops before it
    const recs = c10(13, 4);
    recs[3] = { label: 11, pixels: planar(16) };
    fs.writeFileSync(path.join(d, 'data_batch_5.bin'), encodeCifarBatch('cifar10', recs));
    expect(thrown(() => loadCifarFolder(d, 'cifar10', { split: 'train', limit: 2, officialCounts: false }))).toBe(
      `${path.join(d, 'data_batch_5.bin')}: record 3 (byte 9219): label 11 is out of range: expected 0..9 for CIFAR-10's 10 classes`,
    );
    expect(thrown(() => loadCifarFolder(d, 'cifar10', { split: 'train', limit: 0 }), UsageError)).toBe('limit must be a positive integer, got 0');
  });

  test('without a label-name file the registry names are used', () => {
    const data = loadCifarFolder(cifar10Folder('c10-nonames'), 'cifar10', { split: 'test', officialCounts: false });
    expect(data.labelNames).toEqual([...getArchiveDataset('cifar10').classNames]);
    expect(data.labelNamesFrom).toBe('registry');
  });

  test('official record counts are checked by default', () => {
    const d = cifar10Folder('c10-official');
    expect(thrown(() => loadCifarFolder(d, 'cifar10', { split: 'test' }))).toBe(
      `${path.join(d, 'test_batch.bin')}: holds 5 records (15365 bytes), an official test_batch.bin holds 10000 (30730000 bytes of 3073-byte records)`,
    );
  });

  test('a missing batch file: which one, and the files present', () => {
    const d = cifar10Folder('c10-missing', { 'batches.meta.txt': C10_NAMES });
    fs.rmSync(path.join(d, 'data_batch_3.bin'));
    fs.rmSync(path.join(d, 'data_batch_5.bin'));
    expect(thrown(() => loadCifarFolder(d, 'cifar10', { split: 'train', officialCounts: false }))).toBe(
      `${d}: missing data_batch_3.bin, data_batch_5.bin of CIFAR-10 (the train split needs data_batch_1.bin, data_batch_2.bin, ` +
        'data_batch_3.bin, data_batch_4.bin, data_batch_5.bin); present: batches.meta.txt, data_batch_1.bin, data_batch_2.bin, data_batch_4.bin, test_batch.bin',
    );
    // the test split does not need them
    expect(loadCifarFolder(d, 'cifar10', { split: 'test', officialCounts: false }).n).toBe(5);
    const empty = folder('c10-empty', {});
    expect(thrown(() => loadCifarFolder(empty, 'cifar10', { split: 'test' }))).toBe(
      `${empty}: missing test_batch.bin of CIFAR-10 (the test split needs test_batch.bin); present: none`,
    );
  });

  test('CIFAR-100: fine (100 classes) or coarse (20) labels and their names; a gzipped train.bin', () => {
    const fineNames = Array.from({ length: 100 }, (_, i) => `fine${i}`).join('\n');
    const coarseNames = Array.from({ length: 20 }, (_, i) => `coarse${i}`).join('\r\n');
    const d = folder('c100', {
      'train.bin.gz': encodeCifarBatch('cifar100', c100(0, 7), { gzip: true }),
      'test.bin': encodeCifarBatch('cifar100', c100(50, 3)),
      'fine_label_names.txt': `${fineNames}\n`,
      'coarse_label_names.txt': coarseNames,
    });
    const fine = loadCifarFolder(d, 'cifar100', { split: 'train', officialCounts: false });
    expect([fine.n, fine.numClasses, fine.labelMode]).toEqual([7, 100, 'fine']);
    expect(Array.from(fine.labels)).toEqual([0, 13, 26, 39, 52, 65, 78]);
    expect(fine.labelNames[99]).toBe('fine99');
    expectNhwc(fine.images, 7);
    const coarse = loadCifarFolder(d, 'cifar100', { split: 'test', labels: 'coarse', officialCounts: false });
    expect([coarse.n, coarse.numClasses, coarse.labelMode]).toEqual([3, 20, 'coarse']);
    expect(Array.from(coarse.labels)).toEqual([150 % 20, 153 % 20, 156 % 20]);
    expect(coarse.labelNames).toHaveLength(20);
    expect(coarse.labelNames[19]).toBe('coarse19');
    expectNhwc(coarse.images, 3, 50);
    // without the files: the registry's names
    fs.rmSync(path.join(d, 'coarse_label_names.txt'));
    expect(loadCifarFolder(d, 'cifar100', { split: 'test', labels: 'coarse', officialCounts: false }).labelNames.slice(0, 2)).toEqual([
      'aquatic_mammals',
      'fish',
    ]);
    // a label-name file with the wrong number of names
    fs.writeFileSync(path.join(d, 'fine_label_names.txt'), 'apple\nbanana\n');
    expect(thrown(() => loadCifarFolder(d, 'cifar100', { split: 'test', officialCounts: false }))).toBe(
      `${path.join(d, 'fine_label_names.txt')}: 2 label names, expected 100 (one per line)`,
    );
    expect(thrown(() => loadCifarFolder(d, 'cifar100', { split: 'train' }))).toMatch(
      /train\.bin\.gz: holds 7 records \(21518 bytes of the decompressed data\), an official train\.bin holds 50000 \(153700000 bytes/,
    );
  });
});

describe('the registry, the locator and spred data list', () => {
  test('cifar10 and cifar100: the official archives, their folders, members and record counts', () => {
    const c10spec = getArchiveDataset('cifar10');
    const c100spec = getArchiveDataset('cifar100');
    expect(new URL(c10spec.archive.file, c10spec.mirrors[0]).toString()).toBe('https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz');
    expect(new URL(c100spec.archive.file, c100spec.mirrors[0]).toString()).toBe('https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz');
    expect(c10spec.archive.md5).toBe('c32a1d4ab5d03f1284b67883e8d87530');
    expect(c100spec.archive.md5).toBe('03b5dce01913d631647c71ecec9e9cb8');
    expect(c10spec.members.filter((m) => m.split === 'train').reduce((a, m) => a + m.records!, 0)).toBe(50000);
    expect(c100spec.members.map((m) => [m.file, m.records])).toEqual([
      ['train.bin', 50000],
      ['test.bin', 10000],
      ['fine_label_names.txt', undefined],
      ['coarse_label_names.txt', undefined],
    ]);
    expect([c10spec.classNames.length, c100spec.classNames.length, c100spec.coarseClassNames!.length]).toEqual([10, 100, 20]);
    expect(new Set(c100spec.classNames).size).toBe(100);
    expect(DATASETS.filter((d) => d.kind === 'archive').map((d) => d.name)).toEqual(['cifar10', 'cifar100']);
    expect(thrown(() => getDataset('cifar10'), UsageError)).toBe(
      "data set 'cifar10' is not in the IDX (MNIST) layout: it is read by the cifar10 reader (loadCifar)",
    );
  });

  test('found in a folder or in the cifar-10-batches-bin folder tar leaves; gzipped files count', () => {
    const flat = cifar10Folder('loc-flat');
    const outer = path.join(dir, 'loc-nested');
    const nested = cifar10Folder(path.join('loc-nested', 'cifar-10-batches-bin'));
    expect(locateArchiveDataset('cifar10', { searchDirs: [path.join(dir, 'nowhere'), outer, flat] }).dir).toBe(nested);
    const found = locateArchiveDataset('cifar10', { path: flat });
    expect(found.files['data_batch_1.bin']).toBe(path.join(flat, 'data_batch_1.bin'));
    expect(found.files['batches.meta.txt']).toBeUndefined(); // optional, absent
    const gz = folder('loc-gz', { 'train.bin.gz': '', 'test.bin': '' });
    expect(scanArchiveDirectory(getArchiveDataset('cifar100'), gz).files).toEqual({
      'train.bin': path.join(gz, 'train.bin.gz'),
      'test.bin': path.join(gz, 'test.bin'),
    });
    const data = loadCifar('cifar10', { searchDirs: [outer], split: 'test', officialCounts: false });
    expect([data.dir, data.n]).toEqual([nested, 5]);
  });

  test('not found: one line with each place looked in and how to get it', () => {
    const half = folder('loc-half', { 'train.bin': '' });
    const gone = path.join(dir, 'gone');
    expect(thrown(() => locateArchiveDataset('cifar100', { searchDirs: [gone, half] }), UsageError)).toBe(
      `data set 'cifar100' not found; looked in ${gone} (no such folder), ${half} (missing test.bin); ` +
        "get it with 'spred data fetch cifar100' (or unpack cifar-100-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html), " +
        'or give the path of a folder holding train.bin, test.bin',
    );
    const any = locateAnyDataset('cifar10', { path: cifar10Folder('any') });
    expect([any.spec.name, any.source]).toEqual(['cifar10', 'path']);
  });

  test('spred data list shows cifar10 and cifar100, found or how to get them', async () => {
    const d = cifar10Folder('list');
    let out = '';
    await dataListCommand({ searchDirs: [d], write: (t) => (out += t) });
    expect(out).toContain(`cifar10        ${d}\n`);
    expect(out).toMatch(/\n {15}CIFAR-10 \(binary version\) colour images, 50000 \+ 10000 RGB images 32×32, 10 classes; /);
    expect(out).toContain('cifar100       not found (spred data fetch cifar100)\n');
  });
});
