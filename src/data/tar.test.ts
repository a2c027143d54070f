import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DataError } from '../errors';
import { TAR_BLOCK, encodeTar, parseTar } from './tar';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-tar-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function dataError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected a DataError, nothing was thrown');
}

const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) % 251);

describe('encodeTar / parseTar', () => {
  const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/file-with-a-long-name.bin`; // 143 bytes: ustar prefix + name
  const members = [
    { name: 'top', type: 'directory' as const },
    { name: 'top/empty.txt', data: new Uint8Array(0) },
    { name: 'top/one.bin', data: bytes(1, 1) },
    { name: 'top/block.bin', data: bytes(TAR_BLOCK, 2) },
    { name: 'top/block-plus-one.bin', data: bytes(TAR_BLOCK + 1, 3) },
    { name: long, data: bytes(3073 * 2, 4) },
  ];

  test.each([false, true])('members, sizes and bytes survive a round trip (gzip %s)', (gzip) => {
    const tar = encodeTar(members, { gzip });
    if (!gzip) expect(tar.length % TAR_BLOCK).toBe(0);
    const got = parseTar(tar, 'x.tar');
    expect(got.map((e) => [e.name, e.type, e.size])).toEqual([
      ['top', 'directory', 0],
      ['top/empty.txt', 'file', 0],
      ['top/one.bin', 'file', 1],
      ['top/block.bin', 'file', 512],
      ['top/block-plus-one.bin', 'file', 513],
      [long, 'file', 6146],
    ]);
    for (let i = 1; i < members.length; i++) expect(Buffer.from(got[i].data)).toEqual(Buffer.from(members[i].data!));
    // headers at 0, 512, 1024 (empty), 1536 + 512 (1 byte), 2560 + 1024, 4096 + 1536
    expect(got.map((e) => e.offset)).toEqual([0, 512, 1024, 2048, 3072, 4608]);
  });

  test('an archive without the end-of-archive blocks is read to its end', () => {
    const tar = encodeTar([{ name: 'a', data: bytes(10, 0) }]);
    expect(parseTar(tar.subarray(0, 1024), 'x.tar').map((e) => e.name)).toEqual(['a']);
  });
});

// Archives written by the system's tar (GNU tar or bsdtar) in its formats, when one is installed.
let systemTar = false;
try {
  execFileSync('tar', ['--version'], { stdio: 'ignore' });
  systemTar = true;
} catch {
  systemTar = false;
}
(systemTar ? describe : describe.skip)('archives written by the system tar', () => {
  const deep = `${'sub-'.repeat(30)}dir`; // a 123-character folder name: a GNU long name or a pax path
  test.each(['gnu', 'pax', 'ustar'])('--format=%s, gzipped: every file with its bytes', (format) => {
    const src = path.join(dir, `src-${format}`);
    fs.mkdirSync(path.join(src, 'folder', deep), { recursive: true });
    const files: Record<string, Uint8Array> = {
      'folder/a.bin': bytes(3073 * 3, 5),
      'folder/meta.txt': Buffer.from('airplane\nautomobile\n\n'),
      [`folder/${deep}/b.bin`]: bytes(700, 6),
    };
    for (const [f, b] of Object.entries(files)) fs.writeFileSync(path.join(src, f), b);
    const out = path.join(dir, `${format}.tar.gz`);
    try {
      execFileSync('tar', [`--format=${format}`, '-czf', out, '-C', src, 'folder'], { stdio: 'ignore' });
    } catch {
      if (format === 'ustar') return; // ustar cannot hold the 140-character path: nothing to compare
      throw new Error(`tar --format=${format} failed`);
    }
    const got = parseTar(fs.readFileSync(out), out).filter((e) => e.type === 'file');
    expect(Object.fromEntries(got.map((e) => [e.name, Buffer.from(e.data)]))).toEqual(
      Object.fromEntries(Object.entries(files).map(([f, b]) => [f, Buffer.from(b)])),
    );
  });
});

describe('errors: one line naming the file and the byte', () => {
  test('a header whose checksum is wrong (e.g. not a tar file)', () => {
    const tar = encodeTar([{ name: 'a', data: bytes(10, 0) }]);
    tar[3] ^= 1;
    expect(dataError(() => parseTar(tar, 'bad.tar'))).toMatch(
      /^bad\.tar: not a tar header at byte 0: checksum field says \d+, the header sums to \d+ \(is this a tar archive\?\)$/,
    );
    // 504 bytes of 'x' (120) and the checksum field read as 8 spaces (32): 60736
    expect(dataError(() => parseTar(Buffer.alloc(1024, 'x'), 'text.tar'))).toBe(
      "text.tar: not a tar header at byte 0: checksum field says nothing octal, the header sums to 60736 (is this a tar archive?)",
    );
  });

  test('a member running past the end; a partial header; an empty file', () => {
    const tar = encodeTar([{ name: 'a', data: bytes(1000, 0) }]);
    expect(dataError(() => parseTar(tar.subarray(0, 900), 'cut.tar'))).toBe(
      'cut.tar: truncated: the member whose header is at byte 0 needs 1000 bytes of data, the archive has 388 after its header',
    );
    expect(dataError(() => parseTar(tar.subarray(0, 1536 + 100), 'half.tar'))).toBe(
      'half.tar: truncated: a partial 100-byte header at byte 1536: expected a 512-byte header or the end-of-archive blocks',
    );
    expect(dataError(() => parseTar(new Uint8Array(0), 'empty.tar'))).toBe(
      'empty.tar: truncated: no tar header at byte 0: expected a 512-byte header or the end-of-archive blocks',
    );
  });

  test('a truncated or corrupt gzip stream; offsets of the decompressed data', () => {
    const gz = encodeTar([{ name: 'a', data: bytes(5000, 0) }], { gzip: true });
    expect(dataError(() => parseTar(gz.subarray(0, gz.length - 30), 'x.tar.gz'))).toBe(
      'x.tar.gz: truncated gzip stream (the archive ends early)',
    );
    const bad = Buffer.from(gz);
    bad[12] ^= 0xff;
    expect(dataError(() => parseTar(bad, 'y.tar.gz'))).toMatch(/^y\.tar\.gz: (corrupt gzip data: .+|truncated gzip stream.*)$/);
    const tar = encodeTar([{ name: 'a', data: bytes(1000, 0) }]);
    expect(dataError(() => parseTar(zlib.gzipSync(tar.subarray(0, 900)), 'z.tar.gz'))).toBe(
      'z.tar.gz: truncated: the member whose header is at byte 0 of the decompressed data needs 1000 bytes of data, the archive has 388 after its header',
    );
  });
});
