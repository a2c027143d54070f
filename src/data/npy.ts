/**
 * NumPy `.npy` files (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html), so that
 * lasso problems can be exchanged with scikit-learn, glmnet (via numpy) and other tools bit for bit.
 *
 * Layout: the magic `\x93NUMPY`, a major and a minor version byte, the header length (uint16 little-
 * endian in version 1.0, uint32 in 2.0 and 3.0), then the header: a Python dict literal such as
 *   {'descr': '<f8', 'fortran_order': False, 'shape': (1000, 20), }
 * padded with spaces and ended by '\n' so that magic + length + header is a multiple of 64 bytes; then
 * the values. We read versions 1.0–3.0 and write what `numpy.save` writes, byte for byte: version 1.0
 * (2.0 when the header outgrows 65535 bytes), keys sorted, room for growing the first axis
 * (`GROWTH_AXIS_MAX_DIGITS` = 21 characters), the padding rule of `_wrap_header`.
 *
 * Supported: little-endian float32 (`<f4`) and float64 (`<f8`), C order, any shape; values are read
 * into a Float64Array. Everything else is a one-line `DataError` naming the file.
 */
import * as fs from 'fs';
import { DataError, UsageError } from '../errors';
import type { Matrix } from '../numeric/matrix';

export type NpyDtype = '<f4' | '<f8';

/** A decoded array: values in C order, widened to float64. */
export interface NpyArray {
  data: Float64Array;
  shape: number[];
  /** The dtype stored in the file. */
  dtype: NpyDtype;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ARRAY_ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;
const ITEM_SIZE: Record<NpyDtype, number> = { '<f4': 4, '<f8': 8 };

/** `(3, 4)`, `(5,)` or `()`: a shape as Python's repr of a tuple. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

// ---------------------------------------------------------------------------------------------------
// The header: a small parser for the Python literals numpy writes (dicts, tuples, lists, strings,
// integers, True/False/None), in place of Python's ast.literal_eval.

type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

class HeaderParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): PyValue {
    const v = this.value();
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail('unexpected text after the dict');
    return v;
  }

  private fail(why: string): never {
    throw new Error(`${why} at character ${this.pos}`);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private value(): PyValue {
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === '{') return this.dict();
    if (ch === '(') return this.sequence(')');
    if (ch === '[') return this.sequence(']');
    if (ch === "'" || ch === '"') return this.string();
    const word = /^[A-Za-z_]\w*/.exec(this.text.slice(this.pos));
    if (word) {
      this.pos += word[0].length;
      if (word[0] === 'True') return true;
      if (word[0] === 'False') return false;
      if (word[0] === 'None') return null;
      this.fail(`unknown name '${word[0]}'`);
    }
    const num = /^[-+]?\d+L?/.exec(this.text.slice(this.pos)); // 'L': Python 2 longs in old files
    if (num) {
      this.pos += num[0].length;
      return Number.parseInt(num[0], 10);
    }
    return this.fail(ch === undefined ? 'unexpected end' : `unexpected '${ch}'`);
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== ch) this.fail(`expected '${ch}'`);
    this.pos++;
  }

  private string(): string {
    const quote = this.text[this.pos++];
    let out = '';
    while (this.pos < this.text.length && this.text[this.pos] !== quote) {
      if (this.text[this.pos] === '\\') this.pos++;
      out += this.text[this.pos++];
    }
    if (this.pos >= this.text.length) this.fail('unterminated string');
    this.pos++;
    return out;
  }

  /** `(a, b)`, `(a,)`, `()` and lists alike. */
  private sequence(close: string): PyValue[] {
    this.pos++;
    const items: PyValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) break;
      items.push(this.value());
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== close) this.fail(`expected ',' or '${close}'`);
    }
    this.pos++;
    return items;
  }

  private dict(): { [key: string]: PyValue } {
    this.pos++;
    const out: { [key: string]: PyValue } = {};
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') break;
      const key = this.value();
      if (typeof key !== 'string') this.fail('dict keys must be strings');
      this.expect(':');
      out[key] = this.value();
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== '}') this.fail("expected ',' or '}'");
    }
    this.pos++;
    return out;
  }
}

function describeDescr(descr: PyValue): string {
  return typeof descr === 'string' ? `'${descr}'` : JSON.stringify(descr);
}

/** What the header promises, checked. */
interface NpyHeader {
  dtype: NpyDtype;
  shape: number[];
  dataOffset: number;
}

function readHeader(bytes: Uint8Array, source: string): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new DataError(`${source}: not a .npy file (it does not start with the magic string \\x93NUMPY)`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if ((major === 2 || major === 3) && bytes.length >= 12) {
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    throw new DataError(`${source}: unsupported .npy format version ${major}.${minor} (spred reads 1.0, 2.0 and 3.0)`);
  }
  if (start + headerLen > bytes.length) {
    throw new DataError(`${source}: truncated .npy header (${headerLen} bytes announced, ${bytes.length - start} present)`);
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, headerLen).toString(major === 3 ? 'utf8' : 'latin1');
  let dict: PyValue;
  try {
    dict = new HeaderParser(text).parse();
  } catch (e) {
    throw new DataError(`${source}: malformed .npy header (${(e as Error).message}): ${JSON.stringify(text.trim())}`);
  }
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) {
    throw new DataError(`${source}: malformed .npy header (not a dict): ${JSON.stringify(text.trim())}`);
  }
  for (const key of ['descr', 'fortran_order', 'shape']) {
    if (!(key in dict)) throw new DataError(`${source}: malformed .npy header (no '${key}'): ${JSON.stringify(text.trim())}`);
  }
  const { descr, fortran_order: fortran, shape } = dict;
  if (descr !== '<f4' && descr !== '<f8') {
    throw new DataError(
      `${source}: unsupported dtype ${describeDescr(descr)}; spred reads little-endian float32 ('<f4') or float64 ('<f8') — convert with X.astype('<f8')`,
    );
  }
  if (fortran !== false) {
    throw new DataError(`${source}: fortran_order is ${String(fortran === true ? 'True' : fortran)}; save a C-ordered array (np.ascontiguousarray(X)) instead`);
  }
  if (!Array.isArray(shape) || shape.some((s) => typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0)) {
    throw new DataError(`${source}: malformed .npy header (shape ${JSON.stringify(shape)} is not a tuple of non-negative integers)`);
  }
  return { dtype: descr, shape: shape as number[], dataOffset: start + headerLen };
}

/** Decodes the bytes of a `.npy` file; `source` names it in errors. */
export function decodeNpy(bytes: Uint8Array, source = '<buffer>'): NpyArray {
  const { dtype, shape, dataOffset } = readHeader(bytes, source);
  const count = shape.reduce((a, b) => a * b, 1);
  const size = ITEM_SIZE[dtype];
  const need = count * size;
  const have = bytes.length - dataOffset;
  if (have !== need) {
    const what = have < need ? 'truncated' : 'longer than its header says';
    throw new DataError(`${source}: data ${what}: shape ${formatShape(shape)} of '${dtype}' needs ${need} bytes, the file holds ${have}`);
  }
  const data = new Float64Array(count);
  const offset = bytes.byteOffset + dataOffset;
  if (offset % size === 0 && isLittleEndian()) {
    data.set(dtype === '<f8' ? new Float64Array(bytes.buffer, offset, count) : new Float32Array(bytes.buffer, offset, count));
  } else {
    const view = new DataView(bytes.buffer, offset, need);
    if (dtype === '<f8') for (let i = 0; i < count; i++) data[i] = view.getFloat64(8 * i, true);
    else for (let i = 0; i < count; i++) data[i] = view.getFloat32(4 * i, true);
  }
  return { data, shape, dtype };
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

/** Options of `encodeNpy`. */
export interface EncodeNpyOptions {
  /** Stored dtype; float32 rounds each value to nearest. Default `<f8`. */
  dtype?: NpyDtype;
  /** Format version; default 1.0, or 2.0 when the header does not fit (numpy's choice). */
  version?: 1 | 2;
}

/** The header bytes `numpy.save` writes for a C-ordered array of this dtype and shape. */
export function npyHeader(shape: readonly number[], dtype: NpyDtype, version?: 1 | 2): Uint8Array {
  let text = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${formatShape(shape)}, }`;
  if (shape.length > 0) text += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  const wrap = (v: 1 | 2): Uint8Array | undefined => {
    const lenBytes = v === 1 ? 2 : 4;
    const hlen = text.length + 1; // + '\n'
    const pad = ARRAY_ALIGN - ((MAGIC.length + 2 + lenBytes + hlen) % ARRAY_ALIGN);
    const total = hlen + pad;
    if (v === 1 && total > 0xffff) return undefined;
    const out = new Uint8Array(MAGIC.length + 2 + lenBytes + total);
    out.set(MAGIC, 0);
    out[6] = v;
    out[7] = 0;
    const view = new DataView(out.buffer);
    if (v === 1) view.setUint16(8, total, true);
    else view.setUint32(8, total, true);
    const body = Buffer.from(text + ' '.repeat(pad) + '\n', 'latin1');
    out.set(body, MAGIC.length + 2 + lenBytes);
    return out;
  };
  if (version !== undefined) {
    const h = wrap(version);
    if (h === undefined) throw new UsageError(`npy: header of ${text.length} bytes is too long for format version 1.0`);
    return h;
  }
  return wrap(1) ?? (wrap(2) as Uint8Array);
}

/** Encodes values in C order as a `.npy` file. */
export function encodeNpy(data: ArrayLike<number>, shape: readonly number[], options: EncodeNpyOptions = {}): Uint8Array {
  const dtype = options.dtype ?? '<f8';
  const count = shape.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw new UsageError(`npy: ${data.length} values do not fill shape ${formatShape(shape)}`);
  const header = npyHeader(shape, dtype, options.version);
  const size = ITEM_SIZE[dtype];
  const out = new Uint8Array(header.length + count * size);
  out.set(header, 0);
  const view = new DataView(out.buffer, header.length);
  if (dtype === '<f8') for (let i = 0; i < count; i++) view.setFloat64(8 * i, data[i], true);
  else for (let i = 0; i < count; i++) view.setFloat32(4 * i, data[i], true);
  return out;
}

/** Reads a `.npy` file. */
export function readNpy(path: string): NpyArray {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (e) {
    throw new UsageError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return decodeNpy(bytes, path);
}

/** Writes a `.npy` file. */
export function writeNpy(path: string, data: ArrayLike<number>, shape: readonly number[], options: EncodeNpyOptions = {}): void {
  fs.writeFileSync(path, encodeNpy(data, shape, options));
}

/** A shape with the file it came from, for error messages. */
export interface ShapeSource {
  path: string;
  shape: readonly number[];
}

/** Checks that X is 2-D (N, d) and Y is (N,) or (N, m) with the same N; the error names both files. */
export function checkXYShapes(x: ShapeSource, y: ShapeSource): void {
  if (x.shape.length !== 2) {
    throw new DataError(`${x.path}: X must be 2-D (N, d), got shape ${formatShape(x.shape)}`);
  }
  if (y.shape.length !== 1 && y.shape.length !== 2) {
    throw new DataError(`${y.path}: Y must be 1-D (N,) or 2-D (N, m), got shape ${formatShape(y.shape)}`);
  }
  if (x.shape[0] !== y.shape[0]) {
    throw new DataError(
      `X and Y disagree on the number of samples N: ${x.path} has shape ${formatShape(x.shape)}, ${y.path} has shape ${formatShape(y.shape)}`,
    );
  }
}

/** A lasso problem's data read from two `.npy` files. */
export interface NpyProblem {
  /** N×d. */
  X: Matrix;
  /** N×m (a 1-D file gives m = 1). */
  Y: Matrix;
  dtypes: { X: NpyDtype; Y: NpyDtype };
}

/** Reads X (N, d) and Y (N,) or (N, m) from `.npy` files and checks that they fit together. */
export function readProblemNpy(xPath: string, yPath: string): NpyProblem {
  const x = readNpy(xPath);
  const y = readNpy(yPath);
  checkXYShapes({ path: xPath, shape: x.shape }, { path: yPath, shape: y.shape });
  return {
    X: { rows: x.shape[0], cols: x.shape[1], data: x.data },
    Y: { rows: y.shape[0], cols: y.shape.length === 2 ? y.shape[1] : 1, data: y.data },
    dtypes: { X: x.dtype, Y: y.dtype },
  };
}

/** Writes X as (N, d) and Y as (N, m) `.npy` files. */
export function writeProblemNpy(xPath: string, yPath: string, X: Matrix, Y: Matrix, options: EncodeNpyOptions = {}): void {
  writeNpy(xPath, X.data, [X.rows, X.cols], options);
  writeNpy(yPath, Y.data, [Y.rows, Y.cols], options);
}
