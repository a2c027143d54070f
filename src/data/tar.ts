import * as zlib from 'node:zlib';
import { DataError } from '../errors';
import { gunzipBytes } from './gzip';

/**
 * A minimal reader (and, for tests and fixtures, writer) of tar archives: POSIX ustar (1988) with
 * the GNU long-name (`L`) and pax (`x`, `path`/`size`) extensions, which is what `tar czf` of GNU tar
 * and bsdtar write. An archive is a sequence of 512-byte header blocks, each followed by the
 * member's data padded to a multiple of 512, ended by two zero blocks. Header fields (offsets in
 * bytes): name 0–99, mode 100, uid 108, gid 116, size 124–135 (octal, or base-256 when its first
 * byte has the high bit set), mtime 136, checksum 148–155 (octal sum of the header's bytes with this
 * field read as spaces), typeflag 156, linkname 157, magic 257 ("ustar"), prefix 345–499 (prepended
 * to the name with a '/').
 *
 * A gzipped archive (.tar.gz) is recognised by the gzip magic, never by its name. Errors are one-line
 * `DataError`s naming `label` and the byte offset (of the decompressed data for a .tar.gz).
 */

export const TAR_BLOCK = 512;

export interface TarEntry {
  /** Path inside the archive, e.g. `cifar-10-batches-bin/data_batch_1.bin` (a directory ends without '/'). */
  name: string;
  type: 'file' | 'directory' | 'other';
  /** The typeflag character as found ('0' or '\0' for files, '5' for directories, …). */
  typeflag: string;
  size: number;
  /** Byte offset of the member's header in the (decompressed) archive. */
  offset: number;
  /** The member's bytes (a view into the archive; copy it to keep it beyond the archive's lifetime). */
  data: Uint8Array;
}

function cString(bytes: Uint8Array, from: number, len: number): string {
  let end = from;
  while (end < from + len && bytes[end] !== 0) end++;
  return Buffer.from(bytes.buffer, bytes.byteOffset + from, end - from).toString('utf8');
}

/** An octal field (NUL- or space-terminated) or a GNU base-256 number; NaN when it is neither. */
function numberField(bytes: Uint8Array, from: number, len: number): number {
  if (bytes[from] & 0x80) {
    // base-256, big-endian, the top bit of the first byte marks it (a negative size is refused later)
    let v = bytes[from] & 0x7f;
    for (let i = from + 1; i < from + len; i++) v = v * 256 + bytes[i];
    return v;
  }
  const text = cString(bytes, from, len).trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : NaN;
}

function isZeroBlock(bytes: Uint8Array, at: number): boolean {
  for (let i = at; i < at + TAR_BLOCK; i++) if (bytes[i] !== 0) return false;
  return true;
}

function headerChecksum(bytes: Uint8Array, at: number): number {
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : bytes[at + i];
  return sum;
}

/** The records of a pax extended header (`<len> <key>=<value>\n` …). */
function paxRecords(data: Uint8Array, label: string, at: number): Map<string, string> {
  const out = new Map<string, string>();
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let pos = 0;
  while (pos < text.length) {
    const space = text.indexOf(0x20, pos);
    const len = space < 0 ? NaN : Number(text.subarray(pos, space).toString('ascii'));
    if (!Number.isInteger(len) || len <= 0 || pos + len > text.length) {
      throw new DataError(`${label}: malformed pax header record at byte ${at + TAR_BLOCK + pos}`);
    }
    const rec = text.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    pos += len;
  }
  return out;
}

/**
 * Parses a tar archive, gzipped or raw, into its members in archive order. Throws a one-line
 * `DataError` naming `label` for a header whose checksum or size field is wrong, or a member whose
 * data run past the end of the archive.
 */
export function parseTar(input: Uint8Array, label: string): TarEntry[] {
  const { bytes, gzipped } = gunzipBytes(input, label, { truncatedNote: 'the archive ends early' });
  const where = gzipped ? ' of the decompressed data' : '';
  const entries: TarEntry[] = [];
  let longName: string | undefined;
  let pax: Map<string, string> | undefined;
  let at = 0;
  for (;;) {
    if (at + TAR_BLOCK > bytes.length) {
      if (at === bytes.length && entries.length > 0) break; // no end-of-archive blocks: tolerated, as GNU tar does
      throw new DataError(
        `${label}: truncated: ${at === bytes.length ? 'no tar header' : `a partial ${bytes.length - at}-byte header`} at byte ${at}${where}: ` +
          'expected a 512-byte header or the end-of-archive blocks',
      );
    }
    if (isZeroBlock(bytes, at)) break; // end of archive (one zero block is enough to stop, as GNU tar does)
    const stored = numberField(bytes, at + 148, 8);
    const computed = headerChecksum(bytes, at);
    if (stored !== computed) {
      throw new DataError(
        `${label}: not a tar header at byte ${at}${where}: checksum field says ${Number.isNaN(stored) ? 'nothing octal' : stored}, ` +
          `the header sums to ${computed}${entries.length === 0 ? ' (is this a tar archive?)' : ''}`,
      );
    }
    const size = numberField(bytes, at + 124, 12);
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new DataError(`${label}: bad size field '${cString(bytes, at + 124, 12)}' in the tar header at byte ${at}${where}`);
    }
    const typeflag = String.fromCharCode(bytes[at + 156]);
    const dataStart = at + TAR_BLOCK;
    if (dataStart + size > bytes.length) {
      throw new DataError(
        `${label}: truncated: the member whose header is at byte ${at}${where} needs ${size} bytes of data, ` +
          `the archive has ${bytes.length - dataStart} after its header`,
      );
    }
    const data = bytes.subarray(dataStart, dataStart + size);
    const next = dataStart + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
    if (typeflag === 'L') {
      longName = cString(data, 0, data.length);
    } else if (typeflag === 'x') {
      pax = paxRecords(data, label, at);
    } else if (typeflag === 'g') {
      // global pax header: nothing here that changes how members are read
    } else {
      const magic = cString(bytes, at + 257, 6);
      const prefix = magic.startsWith('ustar') ? cString(bytes, at + 345, 155) : '';
      let name = cString(bytes, at, 100);
      if (prefix !== '') name = `${prefix}/${name}`;
      if (longName !== undefined) name = longName;
      if (pax?.has('path')) name = pax.get('path')!;
      let realSize = size;
      if (pax?.has('size')) realSize = Number(pax.get('size'));
      const type = typeflag === '0' || typeflag === '\0' || typeflag === '7' ? 'file' : typeflag === '5' ? 'directory' : 'other';
      entries.push({
        name: name.replace(/\/+$/, ''),
        type,
        typeflag,
        size: realSize,
        offset: at,
        data: realSize === size ? data : bytes.subarray(dataStart, dataStart + realSize),
      });
      longName = undefined;
      pax = undefined;
    }
    at = next;
  }
  return entries;
}

function octal(buf: Buffer, value: number, from: number, len: number): void {
  buf.write(value.toString(8).padStart(len - 1, '0'), from, len - 1, 'ascii');
  buf[from + len - 1] = 0;
}

/** A member to write: a file with its bytes, or a directory. */
export interface TarInput {
  name: string;
  data?: Uint8Array;
  type?: 'file' | 'directory';
}

/**
 * Encodes members as a ustar archive (names up to 100 bytes, or 255 split at a '/' into prefix and
 * name), ended by two zero blocks; gzipped with `gzip: true`. For tests and fixtures.
 */
export function encodeTar(members: readonly TarInput[], opts: { gzip?: boolean } = {}): Buffer {
  const blocks: Buffer[] = [];
  for (const m of members) {
    const dir = m.type === 'directory';
    const data = dir ? new Uint8Array(0) : (m.data ?? new Uint8Array(0));
    let name = dir && !m.name.endsWith('/') ? `${m.name}/` : m.name;
    let prefix = '';
    if (Buffer.byteLength(name) > 100) {
      const cut = name.lastIndexOf('/', name.length - 2);
      prefix = name.slice(0, cut);
      name = name.slice(cut + 1);
      if (cut < 0 || Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) {
        throw new RangeError(`tar member name too long for ustar: ${m.name}`);
      }
    }
    const h = Buffer.alloc(TAR_BLOCK);
    h.write(name, 0, 100, 'utf8');
    octal(h, dir ? 0o755 : 0o644, 100, 8);
    octal(h, 0, 108, 8);
    octal(h, 0, 116, 8);
    octal(h, data.length, 124, 12);
    octal(h, 0, 136, 12);
    h[156] = (dir ? '5' : '0').charCodeAt(0);
    h.write('ustar\u000000', 257, 8, 'binary');
    h.write(prefix, 345, 155, 'utf8');
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'binary');
    blocks.push(h, Buffer.from(data), Buffer.alloc((TAR_BLOCK - (data.length % TAR_BLOCK)) % TAR_BLOCK));
  }
  blocks.push(Buffer.alloc(2 * TAR_BLOCK));
  const tar = Buffer.concat(blocks);
  return opts.gzip ? zlib.gzipSync(tar) : tar;
}
