import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DataError } from '../errors';
import { encodeIdx, isGzip, MAX_IDX_DIMS, parseIdx, readIdx, writeIdx, type IdxDtype } from './idx';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-idx-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The message of the DataError `fn` throws (fails the test if it throws anything else). */
function dataError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    const msg = (e as DataError).message;
    expect(msg).not.toContain('\n');
    expect((e as DataError).exitCode).toBe(2);
    return msg;
  }
  throw new Error('expected a DataError, nothing was thrown');
}

function file(name: string, bytes: Uint8Array): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

describe('encoding: the bytes are the MNIST format', () => {
  test('a 2×3 ubyte array: magic 0x00000802, big-endian dims, then the bytes', () => {
    const buf = encodeIdx({ dtype: 'uint8', shape: [2, 3], data: [1, 2, 3, 4, 5, 255] });
    expect([...buf]).toEqual([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255]);
  });

  test('int16 and float32 elements are big-endian', () => {
    const s = encodeIdx({ dtype: 'int16', shape: [1], data: [0x0102] });
    expect([...s]).toEqual([0, 0, 0x0b, 1, 0, 0, 0, 1, 0x01, 0x02]);
    const f = encodeIdx({ dtype: 'float32', shape: [1], data: [1] });
    expect([...f.subarray(8)]).toEqual([0x3f, 0x80, 0, 0]); // 1.0f = 0x3f800000
  });

  test('gzip output starts with 1f 8b', () => {
    expect(isGzip(encodeIdx({ dtype: 'uint8', shape: [1], data: [7] }, { gzip: true }))).toBe(true);
    expect(isGzip(encodeIdx({ dtype: 'uint8', shape: [1], data: [7] }))).toBe(false);
  });

  test('a data length other than the product of the shape is refused', () => {
    expect(() => encodeIdx({ dtype: 'uint8', shape: [2, 2], data: [1, 2, 3] })).toThrow('shape 2×2 needs 4');
  });
});

describe('reading back what was written', () => {
  const cases: { dtype: IdxDtype; data: number[] }[] = [
    { dtype: 'uint8', data: [0, 1, 127, 128, 254, 255] },
    { dtype: 'int8', data: [-128, -1, 0, 1, 64, 127] },
    { dtype: 'int16', data: [-32768, -2, 0, 3, 1000, 32767] },
    { dtype: 'int32', data: [-2147483648, -70000, 0, 1, 70000, 2147483647] },
    { dtype: 'float32', data: [-1.5, 0, 0.25, 1e-3, 3.5, 1e20] },
    { dtype: 'float64', data: [-Math.PI, 0, 1e-300, 0.1, 2, 1e300] },
  ];
  for (const gzip of [false, true]) {
    for (const { dtype, data } of cases) {
      test(`${dtype}, ${gzip ? 'gzip' : 'raw'}`, () => {
        const p = path.join(dir, `rt-${dtype}-${gzip}.idx`);
        writeIdx(p, { dtype, shape: [3, 2], data }, { gzip });
        const arr = readIdx(p);
        expect(arr.dtype).toBe(dtype);
        expect(arr.shape).toEqual([3, 2]);
        const want = dtype === 'float32' ? Array.from(Float32Array.from(data)) : data;
        expect(Array.from(arr.data)).toEqual(want);
        expect(arr.data.byteOffset).toBe(0);
        expect(arr.data.constructor.name).not.toBe('Buffer');
      });
    }
  }

  test('gzip is recognised by content, not by name: a .gz name on raw bytes and a plain name on gzip', () => {
    const raw = file('raw-named.gz', encodeIdx({ dtype: 'uint8', shape: [2], data: [4, 5] }));
    const gz = file('gz-named.idx', encodeIdx({ dtype: 'uint8', shape: [2], data: [6, 7] }, { gzip: true }));
    expect(Array.from(readIdx(raw).data)).toEqual([4, 5]);
    expect(Array.from(readIdx(gz).data)).toEqual([6, 7]);
  });

  test('a 3-D ubyte image file and a 1-D label file, as MNIST has them', () => {
    const pixels = Array.from({ length: 2 * 4 * 3 }, (_, i) => i * 10);
    const p = path.join(dir, 'imgs-idx3-ubyte.gz');
    writeIdx(p, { dtype: 'uint8', shape: [2, 4, 3], data: pixels }, { gzip: true });
    const arr = readIdx(p);
    expect(arr.shape).toEqual([2, 4, 3]);
    expect(arr.data[4 * 3 + 2]).toBe(140); // second image, first row, third column
  });

  test('a dimension of size 0 is an empty array, not an error', () => {
    const arr = parseIdx(encodeIdx({ dtype: 'float64', shape: [0, 5], data: [] }), 'empty');
    expect(arr.shape).toEqual([0, 5]);
    expect(arr.data.length).toBe(0);
  });
});

describe('one-line errors naming the file and what is wrong', () => {
  const good = () => encodeIdx({ dtype: 'uint8', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });

  test('wrong magic number: what was found and what was expected', () => {
    const bytes = good();
    bytes[0] = 0x50;
    bytes[1] = 0x4b; // a zip file, say
    const p = file('zip.idx', bytes);
    expect(dataError(() => readIdx(p))).toBe(
      `${p}: wrong magic number 0x504b0802 at byte 0: expected an IDX magic 0x0000TTDD ` +
        '(TT = type byte, DD = number of dimensions), e.g. 0x00000803 for images or 0x00000801 for labels',
    );
  });

  test('the magic number of a gzipped non-IDX file is reported at its offset in the decompressed data', () => {
    const p = file('text.gz', zlib.gzipSync(Buffer.from('hello, world')));
    expect(dataError(() => readIdx(p))).toMatch(
      new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: wrong magic number 0x68656c6c at byte 0 of the decompressed data: `),
    );
  });

  test('unknown type byte', () => {
    const bytes = good();
    bytes[2] = 0x07;
    expect(dataError(() => parseIdx(bytes, 'x.idx'))).toBe(
      'x.idx: wrong magic number 0x00000702: unknown IDX type byte 0x07 at byte 2: ' +
        'expected 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float or 0x0E double',
    );
  });

  test('too many dimensions, and none', () => {
    const bytes = Buffer.alloc(4 + 4 * 40);
    bytes[2] = 8;
    bytes[3] = 40;
    expect(dataError(() => parseIdx(bytes, 'x.idx'))).toBe(
      `x.idx: too many dimensions: magic number 0x00000828 declares 40 at byte 3: expected 1 to ${MAX_IDX_DIMS}`,
    );
    expect(dataError(() => parseIdx(Buffer.from([0, 0, 8, 0]), 'y.idx'))).toBe(
      `y.idx: no dimensions: magic number 0x00000800 declares 0 at byte 3: expected 1 to ${MAX_IDX_DIMS}`,
    );
  });

  test('a file shorter than the magic number, and a truncated header', () => {
    expect(dataError(() => parseIdx(Buffer.from([0, 0]), 'x.idx'))).toBe(
      'x.idx: too short for an IDX file: 2 bytes, the magic number alone needs 4',
    );
    expect(dataError(() => parseIdx(good().subarray(0, 10), 'x.idx'))).toBe(
      'x.idx: truncated header: 2 dimensions need 12 header bytes, the file has 10',
    );
  });

  test('truncated data: expected N bytes, found M', () => {
    const p = file('short.idx', good().subarray(0, 12 + 4));
    expect(dataError(() => readIdx(p))).toBe(
      `${p}: truncated: expected 6 bytes of data (2×3 uint8) after the 12-byte header, found 4 (the file ends at byte 16)`,
    );
  });

  test('truncated data in multi-byte elements counts bytes, not elements', () => {
    const bytes = encodeIdx({ dtype: 'float64', shape: [3], data: [1, 2, 3] }).subarray(0, 8 + 20);
    expect(dataError(() => parseIdx(bytes, 'd.idx'))).toBe(
      'd.idx: truncated: expected 24 bytes of data (3 float64) after the 8-byte header, found 20 (the file ends at byte 28)',
    );
  });

  test('a gzip stream cut short (an interrupted download) says how much of the data arrived', () => {
    const pixels = Array.from({ length: 100 * 28 * 28 }, (_, i) => (i * 7919) % 256);
    const gz = encodeIdx({ dtype: 'uint8', shape: [100, 28, 28], data: pixels }, { gzip: true });
    const p = file('cut.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const msg = dataError(() => readIdx(p));
    expect(msg).toMatch(/: truncated: expected 78400 bytes of data \(100×28×28 uint8\) after the 16-byte header, found \d+ /);
    expect(msg).toContain('of the decompressed data); the gzip stream also ends early');
  });

  test('a gzip stream missing only its trailer', () => {
    const gz = encodeIdx({ dtype: 'uint8', shape: [3], data: [1, 2, 3] }, { gzip: true });
    expect(dataError(() => parseIdx(gz.subarray(0, gz.length - 8), 'z.gz'))).toBe(
      'z.gz: truncated gzip stream: the IDX data are complete but the gzip trailer is missing',
    );
  });

  test('corrupt gzip data', () => {
    const gz = encodeIdx({ dtype: 'uint8', shape: [3], data: [1, 2, 3] }, { gzip: true });
    gz[12] ^= 0xff;
    gz[13] ^= 0xff;
    expect(dataError(() => parseIdx(gz, 'c.gz'))).toMatch(/^c\.gz: corrupt gzip data: /);
  });

  test('trailing bytes after the data', () => {
    const bytes = Buffer.concat([good(), Buffer.from([9, 9, 9])]);
    expect(dataError(() => parseIdx(bytes, 'x.idx'))).toBe(
      'x.idx: 3 trailing bytes at byte 18: expected the file to end after 6 bytes of data (2×3 uint8)',
    );
  });

  test('a missing file', () => {
    const p = path.join(dir, 'nope.idx');
    expect(dataError(() => readIdx(p))).toBe(`${p}: cannot read: no such file`);
  });
});
