import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataError, UsageError } from '../errors';
import { checkXYShapes, decodeNpy, encodeNpy, readNpy, readProblemNpy, writeNpy, writeProblemNpy } from './npy';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-npy-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const file = (name: string): string => path.join(dir, name);
const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** A .npy file with any header text, padded the way numpy pads (to a multiple of 64 bytes). */
function rawNpy(header: string, data: Uint8Array, major = 1): Buffer {
  const prefix = major === 1 ? 10 : 12;
  const pad = 64 - ((prefix + header.length + 1) % 64);
  const text = header + ' '.repeat(pad) + '\n';
  const len = Buffer.alloc(prefix - 8);
  if (major === 1) len.writeUInt16LE(text.length);
  else len.writeUInt32LE(text.length);
  return Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]), len, Buffer.from(text, 'latin1'), data]);
}

function f8(values: number[]): Uint8Array {
  return new Uint8Array(Float64Array.from(values).buffer);
}

/** The one-line DataError (exit code 2) a call throws. */
function dataError(f: () => unknown): DataError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).exitCode).toBe(2);
    expect((e as Error).message).not.toContain('\n');
    return e as DataError;
  }
  throw new Error('expected a DataError');
}

describe('npy: writing, byte for byte as numpy.save', () => {
  it.each([
    // [shape, dtype, the header dict numpy writes]; numpy also adds 21 − len(str(shape[0])) spaces.
    [[2, 3], '<f8', "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"],
    [[5], '<f4', "{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }"],
    [[], '<f8', "{'descr': '<f8', 'fortran_order': False, 'shape': (), }"],
    [[100000, 3], '<f8', "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 3), }"],
  ] as const)('shape %j %s', (shape, dtype, dict) => {
    const count = shape.reduce((a: number, b: number) => a * b, 1);
    const bytes = encodeNpy(new Float64Array(count), shape, { dtype });
    // Magic, version 1.0, header length 118 (0x76 = 'v') little-endian: 10 + 118 = 128 = 2·64.
    expect(latin1(bytes.subarray(0, 10))).toBe('\x93NUMPY\x01\x00v\x00');
    expect(latin1(bytes.subarray(10, 128))).toBe(dict.padEnd(117, ' ') + '\n');
    expect(bytes.length).toBe(128 + count * (dtype === '<f8' ? 8 : 4));
  });

  it('writes a 2.0 header when asked: uint32 length, still 64-aligned', () => {
    const bytes = encodeNpy([0, 1, 2, 3, 4, 5], [2, 3], { version: 2 });
    expect(latin1(bytes.subarray(0, 12))).toBe('\x93NUMPY\x02\x00t\x00\x00\x00'); // 116 = 't'
    expect(latin1(bytes.subarray(12, 128)).startsWith("{'descr': '<f8'")).toBe(true);
    expect(Array.from(decodeNpy(bytes).data)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('npy: round trips', () => {
  const values = [0, -1.5, Math.PI, 1e-300, -2.5e10, 1 / 3];

  it('float64 is exact', () => {
    writeNpy(file('a.npy'), values, [2, 3]);
    const a = readNpy(file('a.npy'));
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe('<f8');
    expect(Array.from(a.data)).toEqual(values);
  });

  it('float32 rounds each value to the nearest float32', () => {
    writeNpy(file('b.npy'), values, [6], { dtype: '<f4' });
    const b = readNpy(file('b.npy'));
    expect(b.shape).toEqual([6]);
    expect(b.dtype).toBe('<f4');
    expect(Array.from(b.data)).toEqual(values.map(Math.fround));
  });

  it('a lasso problem: X (N, d) and Y (N, m), or a 1-D y', () => {
    const X = { rows: 3, cols: 2, data: Float64Array.from([1, 2, 3, 4, 5, 6]) };
    const Y = { rows: 3, cols: 1, data: Float64Array.from([7, 8, 9]) };
    writeProblemNpy(file('X.npy'), file('Y.npy'), X, Y, { dtype: '<f4' });
    const p = readProblemNpy(file('X.npy'), file('Y.npy'));
    expect(p.X).toEqual(X);
    expect(p.Y).toEqual(Y);
    expect(p.dtypes).toEqual({ X: '<f4', Y: '<f4' });
    writeNpy(file('y1.npy'), [7, 8, 9], [3]);
    expect(readProblemNpy(file('X.npy'), file('y1.npy')).Y).toEqual(Y);
  });

  it('reads headers numpy never writes but Python accepts: other key order, double quotes, Python 2 longs, version 3.0', () => {
    const h = `{"shape": (1L, 2L), "fortran_order": False, "descr": "<f8"}`;
    expect(Array.from(decodeNpy(rawNpy(h, f8([1, 2]))).data)).toEqual([1, 2]);
    const v3 = rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", f8([3, 4]), 3);
    expect(Array.from(decodeNpy(v3).data)).toEqual([3, 4]);
  });

  it('reads values at an unaligned offset', () => {
    const bytes = encodeNpy([1.25, -2], [2]);
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    expect(Array.from(decodeNpy(shifted).data)).toEqual([1.25, -2]);
  });
});

describe('npy: one-line errors (DataError, exit code 2)', () => {
  const header = (descr: string, fortran = 'False', shape = '(2,)'): string =>
    `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

  it('wrong magic', () => {
    fs.writeFileSync(file('bad.npy'), 'x,y\n1,2\n');
    expect(dataError(() => readNpy(file('bad.npy'))).message).toBe(
      `${file('bad.npy')}: not a .npy file (it does not start with the magic string \\x93NUMPY)`,
    );
  });

  it.each([
    ['<i8', "'<i8'"],
    ['>f8', "'>f8'"],
    ['<f2', "'<f2'"],
    ['|u1', "'|u1'"],
  ])('unsupported dtype %s', (descr, named) => {
    fs.writeFileSync(file('dtype.npy'), rawNpy(header(descr), new Uint8Array(16)));
    const e = dataError(() => readNpy(file('dtype.npy')));
    expect(e.message).toContain(`${file('dtype.npy')}: unsupported dtype ${named};`);
    expect(e.message).toContain("'<f4'");
  });

  it('a structured dtype', () => {
    const e = dataError(() => decodeNpy(rawNpy("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,), }", f8([1, 2])), 'st.npy'));
    expect(e.message).toBe(
      `st.npy: unsupported dtype [["a","<f8"]]; spred reads little-endian float32 ('<f4') or float64 ('<f8') — convert with X.astype('<f8')`,
    );
  });

  it('fortran_order True', () => {
    const e = dataError(() => decodeNpy(rawNpy(header('<f8', 'True', '(1, 2)'), f8([1, 2])), 'f.npy'));
    expect(e.message).toBe('f.npy: fortran_order is True; save a C-ordered array (np.ascontiguousarray(X)) instead');
  });

  it('truncated data, and data longer than the shape', () => {
    const full = encodeNpy([1, 2, 3, 4, 5, 6], [2, 3]);
    fs.writeFileSync(file('t.npy'), full.subarray(0, full.length - 4));
    expect(dataError(() => readNpy(file('t.npy'))).message).toBe(
      `${file('t.npy')}: data truncated: shape (2, 3) of '<f8' needs 48 bytes, the file holds 44`,
    );
    const long = Buffer.concat([full, Buffer.alloc(8)]);
    expect(dataError(() => decodeNpy(long, 'l.npy')).message).toBe(
      "l.npy: data longer than its header says: shape (2, 3) of '<f8' needs 48 bytes, the file holds 56",
    );
    expect(dataError(() => decodeNpy(full.subarray(0, 40), 'h.npy')).message).toContain('h.npy: truncated .npy header');
  });

  it('a malformed header, a missing key, an unknown version', () => {
    expect(dataError(() => decodeNpy(rawNpy("{'descr': '<f8', 'shape': (2,", f8([])), 'm.npy')).message).toMatch(
      /^m\.npy: malformed \.npy header \(/,
    );
    expect(dataError(() => decodeNpy(rawNpy("{'descr': '<f8', 'shape': (2,)}", f8([1, 2])), 'k.npy')).message).toMatch(
      /^k\.npy: malformed \.npy header \(no 'fortran_order'\)/,
    );
    const v9 = encodeNpy([1], [1]);
    v9[6] = 9;
    expect(dataError(() => decodeNpy(v9, 'v.npy')).message).toBe('v.npy: unsupported .npy format version 9.0 (spred reads 1.0, 2.0 and 3.0)');
  });

  it('X and Y shapes that disagree name both files', () => {
    writeNpy(file('X.npy'), new Float64Array(6), [3, 2]);
    writeNpy(file('Y4.npy'), new Float64Array(4), [4]);
    expect(dataError(() => readProblemNpy(file('X.npy'), file('Y4.npy'))).message).toBe(
      `X and Y disagree on the number of samples N: ${file('X.npy')} has shape (3, 2), ${file('Y4.npy')} has shape (4,)`,
    );
    expect(dataError(() => checkXYShapes({ path: 'x.npy', shape: [6] }, { path: 'y.npy', shape: [6] })).message).toBe(
      'x.npy: X must be 2-D (N, d), got shape (6,)',
    );
    expect(dataError(() => checkXYShapes({ path: 'x.npy', shape: [6, 2] }, { path: 'y.npy', shape: [6, 1, 1] })).message).toBe(
      'y.npy: Y must be 1-D (N,) or 2-D (N, m), got shape (6, 1, 1)',
    );
  });

  it('a missing file is a UsageError naming it', () => {
    expect(() => readNpy(file('nope.npy'))).toThrow(UsageError);
    expect(() => readNpy(file('nope.npy'))).toThrow(`${file('nope.npy')}: cannot read (ENOENT)`);
  });
});
