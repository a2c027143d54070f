import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { DataError } from '../errors';
import { gunzipBytes } from './gzip';
import { readDataFile } from './read_file';

export { isGzip } from './gzip';

/**
 * The IDX format of MNIST (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"): a 4-byte magic number
 * `0x00 0x00 TT DD` — two zero bytes, a type byte TT and the number of dimensions DD — then DD
 * big-endian uint32 sizes, then the data in row-major (C) order, big-endian, with nothing after it.
 * Files are often gzipped; a gzip file is recognised by its own magic (1f 8b), never by its name.
 *
 * Byte offsets in error messages count from the start of the IDX bytes, i.e. of the decompressed
 * stream for a gzip file (the message says so).
 */

/** Element types, named by their typed arrays; the IDX type byte of each is in `IDX_TYPE_CODES`. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** An n-dimensional array read from (or to be written to) an IDX file. */
export interface IdxArray {
  dtype: IdxDtype;
  /** Sizes of the dimensions, outermost first (e.g. [60000, 28, 28] for MNIST training images). */
  shape: number[];
  /** The elements in row-major order; its length is the product of `shape`. */
  data: IdxData;
}

interface DtypeInfo {
  code: number;
  /** The name the IDX specification uses. */
  idxName: string;
  size: number;
}

const DTYPES: Record<IdxDtype, DtypeInfo> = {
  uint8: { code: 0x08, idxName: 'unsigned byte', size: 1 },
  int8: { code: 0x09, idxName: 'signed byte', size: 1 },
  int16: { code: 0x0b, idxName: 'short', size: 2 },
  int32: { code: 0x0c, idxName: 'int', size: 4 },
  float32: { code: 0x0d, idxName: 'float', size: 4 },
  float64: { code: 0x0e, idxName: 'double', size: 8 },
};

/** IDX type byte of each dtype (0x08 unsigned byte … 0x0E double). */
export const IDX_TYPE_CODES: Readonly<Record<IdxDtype, number>> = Object.fromEntries(
  Object.entries(DTYPES).map(([k, v]) => [k, v.code]),
) as Record<IdxDtype, number>;

const BY_CODE = new Map<number, IdxDtype>(Object.entries(DTYPES).map(([k, v]) => [v.code, k as IdxDtype]));

/**
 * Most dimensions a header may declare. Real IDX files have 1 to 4; the limit keeps a file that
 * merely starts with two zero bytes from being read as a header of 200 dimensions.
 */
export const MAX_IDX_DIMS = 16;

const EXPECTED_TYPES = '0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float or 0x0E double';

/** Size in bytes of one element of `dtype`. */
export function idxElementSize(dtype: IdxDtype): number {
  return DTYPES[dtype].size;
}


function hex(bytes: Uint8Array, from: number, to: number): string {
  return `0x${Buffer.from(bytes.subarray(from, Math.min(to, bytes.length))).toString('hex')}`;
}

function shapeText(shape: readonly number[], dtype: IdxDtype): string {
  return `${shape.length === 0 ? 'scalar' : shape.join('×')} ${dtype}`;
}

/** The header of an IDX file: what `parseIdx` checks before it touches the data. */
export interface IdxHeader {
  dtype: IdxDtype;
  shape: number[];
  /** Bytes before the data: 4 + 4 × number of dimensions. */
  headerBytes: number;
  /** Bytes of data the header promises: product of the shape × element size. */
  dataBytes: number;
}

/**
 * Parses and checks the header of IDX bytes (already decompressed). `label` names the file in errors;
 * `where` is appended to byte offsets (e.g. " of the decompressed data").
 */
export function parseIdxHeader(bytes: Uint8Array, label: string, where = ''): IdxHeader {
  if (bytes.length < 4) {
    throw new DataError(
      `${label}: too short for an IDX file: ${bytes.length} byte${bytes.length === 1 ? '' : 's'}${where}, the magic number alone needs 4`,
    );
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataError(
      `${label}: wrong magic number ${hex(bytes, 0, 4)} at byte 0${where}: expected an IDX magic 0x0000TTDD ` +
        `(TT = type byte, DD = number of dimensions), e.g. 0x00000803 for images or 0x00000801 for labels`,
    );
  }
  const dtype = BY_CODE.get(bytes[2]);
  if (dtype === undefined) {
    throw new DataError(
      `${label}: wrong magic number ${hex(bytes, 0, 4)}: unknown IDX type byte 0x${bytes[2].toString(16).padStart(2, '0')} ` +
        `at byte 2${where}: expected ${EXPECTED_TYPES}`,
    );
  }
  const ndims = bytes[3];
  if (ndims === 0 || ndims > MAX_IDX_DIMS) {
    throw new DataError(
      `${label}: ${ndims === 0 ? 'no' : 'too many'} dimensions: magic number ${hex(bytes, 0, 4)} declares ${ndims} at byte 3${where}: ` +
        `expected 1 to ${MAX_IDX_DIMS}`,
    );
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new DataError(
      `${label}: truncated header: ${ndims} dimensions need ${headerBytes} header bytes, the file has ${bytes.length}${where}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndims; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const dataBytes = shape.reduce((a, b) => a * b, 1) * DTYPES[dtype].size;
  return { dtype, shape, headerBytes, dataBytes };
}

/**
 * Parses IDX bytes, gzipped or raw. Checks the magic number, the number of dimensions and that the
 * data are exactly as long as the shape says; throws a one-line `DataError` naming `label` otherwise.
 */
export function parseIdx(input: Uint8Array, label: string): IdxArray {
  // A truncated gzip stream is recovered, so the message can say how much of the IDX data arrived.
  const { bytes, gzipped, truncated: gzipTruncated } = gunzipBytes(input, label, { recoverTruncated: true });
  const where = gzipped ? ' of the decompressed data' : '';
  const h = parseIdxHeader(bytes, label, where);
  const found = bytes.length - h.headerBytes;
  const what = `${shapeText(h.shape, h.dtype)}`;
  if (found < h.dataBytes) {
    throw new DataError(
      `${label}: truncated: expected ${h.dataBytes} bytes of data (${what}) after the ${h.headerBytes}-byte header, ` +
        `found ${found} (the file ends at byte ${bytes.length}${where})${gzipTruncated ? '; the gzip stream also ends early' : ''}`,
    );
  }
  if (gzipTruncated) {
    throw new DataError(`${label}: truncated gzip stream: the IDX data are complete but the gzip trailer is missing`);
  }
  if (found > h.dataBytes) {
    const extra = found - h.dataBytes;
    throw new DataError(
      `${label}: ${extra} trailing byte${extra === 1 ? '' : 's'} at byte ${h.headerBytes + h.dataBytes}${where}: ` +
        `expected the file to end after ${h.dataBytes} bytes of data (${what})`,
    );
  }
  return { dtype: h.dtype, shape: h.shape, data: decode(bytes, h) };
}

function decode(bytes: Uint8Array, h: IdxHeader): IdxData {
  const n = h.dataBytes / DTYPES[h.dtype].size;
  const off = h.headerBytes;
  switch (h.dtype) {
    case 'uint8':
    case 'int8': {
      // A copy into a plain array of its own (never a view of a possibly pooled Buffer).
      const copy = new Uint8Array(n);
      copy.set(bytes.subarray(off, off + n));
      return h.dtype === 'uint8' ? copy : new Int8Array(copy.buffer);
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + off, h.dataBytes);
  switch (h.dtype) {
    case 'int16': {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, false);
      return out;
    }
  }
}

/** Reads an IDX file, gzipped or raw (see `parseIdx`). A missing or unreadable file is a `DataError`. */
export function readIdx(file: string): IdxArray {
  return parseIdx(readDataFile(file), file);
}

const ARRAY_TYPES: Record<IdxDtype, new (n: number) => IdxData> = {
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

/** An array to encode: like `IdxArray`, but any array of numbers will do for `data`. */
export interface IdxInput {
  dtype: IdxDtype;
  shape: readonly number[];
  data: ArrayLike<number>;
}

/**
 * Encodes an array as IDX bytes (raw, or gzipped with `gzip: true`). Throws a `RangeError` when the
 * shape is not 1 to MAX_IDX_DIMS non-negative uint32 sizes or the data length is not their product.
 */
export function encodeIdx(arr: IdxInput, opts: { gzip?: boolean } = {}): Buffer {
  const { dtype, shape, data } = arr;
  const info = DTYPES[dtype];
  if (info === undefined) throw new RangeError(`unknown IDX dtype '${String(dtype)}'`);
  if (shape.length === 0 || shape.length > MAX_IDX_DIMS) {
    throw new RangeError(`IDX shape needs 1 to ${MAX_IDX_DIMS} dimensions, got ${shape.length}`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) throw new RangeError(`IDX dimension ${d} is not a uint32`);
  }
  const n = shape.reduce((a, b) => a * b, 1);
  if (data.length !== n) throw new RangeError(`IDX data have ${data.length} elements, shape ${shape.join('×')} needs ${n}`);
  const headerBytes = 4 + 4 * shape.length;
  const buf = Buffer.alloc(headerBytes + n * info.size);
  buf[2] = info.code;
  buf[3] = shape.length;
  shape.forEach((d, i) => buf.writeUInt32BE(d, 4 + 4 * i));
  // Converting through the typed array first gives the same wrapping and rounding as reading back.
  const typed = new ARRAY_TYPES[dtype](n);
  typed.set(data);
  const view = new DataView(buf.buffer, buf.byteOffset + headerBytes, n * info.size);
  for (let i = 0; i < n; i++) {
    const v = typed[i];
    switch (dtype) {
      case 'uint8':
        view.setUint8(i, v);
        break;
      case 'int8':
        view.setInt8(i, v);
        break;
      case 'int16':
        view.setInt16(2 * i, v, false);
        break;
      case 'int32':
        view.setInt32(4 * i, v, false);
        break;
      case 'float32':
        view.setFloat32(4 * i, v, false);
        break;
      case 'float64':
        view.setFloat64(8 * i, v, false);
        break;
    }
  }
  return opts.gzip ? zlib.gzipSync(buf) : buf;
}

/** Writes an IDX file (see `encodeIdx`); used by tests and to make fixtures. */
export function writeIdx(file: string, arr: IdxInput, opts: { gzip?: boolean } = {}): void {
  fs.writeFileSync(file, encodeIdx(arr, opts));
}
