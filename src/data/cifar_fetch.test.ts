import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { dataFetchCommand } from '../commands/data';
import { DataError, RunError } from '../errors';
import { CIFAR_PIXEL_BYTES, encodeCifarBatch, loadCifarFolder } from './cifar';
import { getArchiveDataset, type ArchiveDatasetSpec } from './datasets';
import { fetchDataset } from './fetch';
import { encodeTar, type TarInput } from './tar';

// `spred data fetch cifar10|cifar100` against a local HTTP server on 127.0.0.1 (ephemeral port) that
// serves small fake archives in the official layout. Nothing here reaches beyond the loopback address.

const routes = new Map<string, Buffer>();
const requests: string[] = [];
let server: http.Server;
let base: string;
let dir: string;

const pixels = (r: number): Uint8Array => Uint8Array.from({ length: CIFAR_PIXEL_BYTES }, (_, i) => (r * 17 + i) % 256);
const c10 = (first: number, n: number): Buffer =>
  encodeCifarBatch('cifar10', Array.from({ length: n }, (_, i) => ({ label: (first + i) % 10, pixels: pixels(first + i) })));
const c100 = (first: number, n: number): Buffer =>
  encodeCifarBatch('cifar100', Array.from({ length: n }, (_, i) => ({ coarse: (first + i) % 20, fine: (first + i) % 100, pixels: pixels(first + i) })));

const NAMES = 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n';

/** A fake cifar-10-binary.tar.gz: the official folder, 3 records per train batch, 4 in the test batch. */
function cifar10Archive(drop: string[] = [], replace: Record<string, Buffer> = {}): Buffer {
  const members: TarInput[] = [{ name: 'cifar-10-batches-bin', type: 'directory' }];
  const files: Record<string, Uint8Array> = { 'batches.meta.txt': Buffer.from(NAMES), 'readme.html': Buffer.from('<html></html>') };
  for (let i = 1; i <= 5; i++) files[`data_batch_${i}.bin`] = c10(3 * (i - 1), 3);
  files['test_batch.bin'] = c10(100, 4);
  for (const [f, b] of Object.entries({ ...files, ...replace })) {
    if (!drop.includes(f)) members.push({ name: `cifar-10-batches-bin/${f}`, data: b });
  }
  return encodeTar(members, { gzip: true });
}

/** The registry's cifar10 entry with the fake archive's size and MD5 and its small record counts. */
function fakeSpec(archive: Buffer, over: Partial<ArchiveDatasetSpec> = {}): ArchiveDatasetSpec {
  const real = getArchiveDataset('cifar10');
  return {
    ...real,
    name: 'cifar10-fake',
    mirrors: [`${base}/c10/`],
    archive: { file: real.archive.file, bytes: archive.length, md5: createHash('md5').update(archive).digest('hex') },
    members: real.members.map((m) => (m.split === undefined ? m : { ...m, records: m.split === 'train' ? 3 : 4 })),
    ...over,
  };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-cifar-fetch-'));
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = routes.get(req.url ?? '');
    if (body) {
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length });
      res.end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

let count = 0;
const dest = (): string => path.join(dir, `dest-${++count}`);

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    expect((e as Error).message).not.toContain('\n');
    return e as Error;
  }
  throw new Error('expected a rejection');
}

const leftovers = (d: string): string[] => (fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.startsWith('.spred-tmp-')) : []);

test('downloads the archive, verifies size and MD5, unpacks the members flat; they read back exactly', async () => {
  const archive = cifar10Archive();
  routes.set('/c10/cifar-10-binary.tar.gz', archive);
  const d = dest();
  const lines: string[] = [];
  const r = await fetchDataset(fakeSpec(archive), { destDir: d, log: (l) => lines.push(l) });
  expect(r.files.map((f) => [path.basename(f.path), f.status, f.role])).toEqual([
    ...[1, 2, 3, 4, 5].map((i) => [`data_batch_${i}.bin`, 'downloaded', 'member']),
    ['test_batch.bin', 'downloaded', 'member'],
    ['batches.meta.txt', 'downloaded', 'member'],
  ]);
  expect(r.files[0].url).toBe(`${base}/c10/cifar-10-binary.tar.gz`);
  expect(fs.readdirSync(d).sort()).toEqual(['batches.meta.txt', 'data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin']);
  expect(fs.readFileSync(path.join(d, 'data_batch_2.bin'))).toEqual(c10(3, 3));
  expect(lines).toEqual([
    `cifar10-fake: downloading ${base}/c10/cifar-10-binary.tar.gz`,
    `cifar10-fake: cifar-10-binary.tar.gz ${archive.length} bytes, md5 verified; unpacking`,
    `cifar10-fake: unpacked data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin, test_batch.bin, batches.meta.txt into ${d}`,
  ]);
  const train = loadCifarFolder(d, fakeSpec(archive), { split: 'train' }); // the fake spec's counts: 3 per batch
  expect([train.n, train.labelNames[9], Array.from(train.labels.subarray(0, 12)).join()]).toEqual([15, 'truck', '0,1,2,3,4,5,6,7,8,9,0,1']);
  expect(train.images[((3 * 32 + 0) * 32 + 1) * 3 + 2]).toBe(Math.fround(((3 * 17 + 2 * 1024 + 1) % 256) / 255)); // record 3, blue, x = 1
  expect(leftovers(d)).toEqual([]);

  // again: everything present and valid, nothing downloaded
  const before = requests.length;
  const again = await fetchDataset(fakeSpec(archive), { destDir: d });
  expect(again.files.map((f) => f.status)).toEqual(Array(7).fill('present'));
  expect(requests.length).toBe(before);
  // a damaged member: the archive is downloaded and unpacked again
  fs.writeFileSync(path.join(d, 'test_batch.bin'), c10(0, 2));
  const fixed = await fetchDataset(fakeSpec(archive), { destDir: d });
  expect(fixed.files.every((f) => f.status === 'downloaded')).toBe(true);
  expect(fs.readFileSync(path.join(d, 'test_batch.bin'))).toEqual(c10(100, 4));
});

test('spred data fetch cifar10 asks for the official archive name and refuses one of the wrong size; nothing left behind', async () => {
  const archive = cifar10Archive();
  routes.set('/mirror/cifar-10-binary.tar.gz', archive);
  const d = dest();
  let out = '';
  const e = await rejection(dataFetchCommand('cifar10', { dir: d, baseUrl: `${base}/mirror/`, write: (t) => (out += t) }));
  expect(e).toBeInstanceOf(DataError);
  expect(e.message).toBe(
    `could not download cifar-10-binary.tar.gz of data set 'cifar10': cifar-10-binary.tar.gz from ${base}/mirror/cifar-10-binary.tar.gz: ` +
      `${archive.length} bytes, the published archive has 170052171`,
  );
  expect(out).toContain(`cifar10: downloading ${base}/mirror/cifar-10-binary.tar.gz\n`);
  expect(fs.existsSync(d)).toBe(false);
  // cifar100 asks for its own archive
  const e100 = await rejection(dataFetchCommand('cifar100', { dir: dest(), baseUrl: `${base}/mirror/`, write: () => undefined }));
  expect(e100).toBeInstanceOf(RunError);
  expect(e100.message).toBe(
    `could not download cifar-100-binary.tar.gz of data set 'cifar100': ${base}/mirror/cifar-100-binary.tar.gz: HTTP 404 Not Found`,
  );
});

test('a checksum mismatch, a missing member, a member with the wrong record count: DataErrors, no files kept', async () => {
  const archive = cifar10Archive();
  routes.set('/c10/cifar-10-binary.tar.gz', archive);
  const url = `${base}/c10/cifar-10-binary.tar.gz`;
  const other = fakeSpec(archive, {});
  other.archive = { file: other.archive.file, md5: '0'.repeat(32) };
  const d1 = dest();
  const md5 = await rejection(fetchDataset(other, { destDir: d1 }));
  expect(md5).toBeInstanceOf(DataError);
  expect(md5.message).toBe(
    `could not download cifar-10-binary.tar.gz of data set 'cifar10-fake': cifar-10-binary.tar.gz from ${url}: ` +
      `md5 ${createHash('md5').update(archive).digest('hex')} does not match the published ${'0'.repeat(32)}`,
  );
  expect(fs.existsSync(d1)).toBe(false);

  const lacking = cifar10Archive(['data_batch_4.bin']);
  routes.set('/lacking/cifar-10-binary.tar.gz', lacking);
  const miss = await rejection(fetchDataset(fakeSpec(lacking, { mirrors: [`${base}/lacking/`] }), { destDir: dest() }));
  expect(miss.message).toBe(
    `could not download cifar-10-binary.tar.gz of data set 'cifar10-fake': cifar-10-binary.tar.gz from ${base}/lacking/cifar-10-binary.tar.gz: ` +
      'the archive lacks cifar-10-batches-bin/data_batch_4.bin; it holds cifar-10-batches-bin/batches.meta.txt, cifar-10-batches-bin/readme.html, ' +
      'cifar-10-batches-bin/data_batch_1.bin, cifar-10-batches-bin/data_batch_2.bin, cifar-10-batches-bin/data_batch_3.bin, ' +
      'cifar-10-batches-bin/data_batch_5.bin, cifar-10-batches-bin/test_batch.bin',
  );

  const short = cifar10Archive([], { 'test_batch.bin': c10(0, 2) });
  routes.set('/short/cifar-10-binary.tar.gz', short);
  const d3 = dest();
  const cnt = await rejection(fetchDataset(fakeSpec(short, { mirrors: [`${base}/short/`] }), { destDir: d3 }));
  expect(cnt).toBeInstanceOf(DataError);
  expect(cnt.message).toMatch(
    /: cifar-10-batches-bin\/test_batch\.bin: holds 2 records \(6146 bytes\), an official test_batch\.bin holds 4 \(12292 bytes of 3073-byte records\)$/,
  );
  expect(fs.existsSync(d3)).toBe(false); // no member of a bad archive is written

  routes.set('/garbage/cifar-10-binary.tar.gz', Buffer.from('<html>moved</html>'));
  const g = await rejection(fetchDataset(fakeSpec(Buffer.from('<html>moved</html>'), { mirrors: [`${base}/garbage/`] }), { destDir: dest() }));
  expect(g.message).toMatch(/cifar-10-binary\.tar\.gz from .*: truncated: a partial 18-byte header at byte 0/);
});

test('cifar100: train.bin and test.bin with coarse and fine labels, from the cifar-100-binary folder', async () => {
  const fine = Array.from({ length: 100 }, (_, i) => `f${i}`).join('\n');
  const archive = encodeTar(
    [
      { name: 'cifar-100-binary/train.bin', data: c100(0, 5) },
      { name: 'cifar-100-binary/test.bin', data: c100(40, 2) },
      { name: 'cifar-100-binary/fine_label_names.txt', data: Buffer.from(fine) },
    ],
    { gzip: true },
  );
  routes.set('/c100/cifar-100-binary.tar.gz', archive);
  const real = getArchiveDataset('cifar100');
  const spec: ArchiveDatasetSpec = {
    ...real,
    mirrors: [`${base}/c100/`],
    archive: { file: real.archive.file, sha256: createHash('sha256').update(archive).digest('hex') },
    members: real.members.map((m) => (m.split === undefined ? m : { ...m, records: m.split === 'train' ? 5 : 2 })),
  };
  const d = dest();
  const r = await fetchDataset(spec, { destDir: d });
  expect(r.files.map((f) => path.basename(f.path))).toEqual(['train.bin', 'test.bin', 'fine_label_names.txt']);
  const coarse = loadCifarFolder(d, spec, { split: 'test', labels: 'coarse' });
  expect([coarse.n, coarse.numClasses, Array.from(coarse.labels).join(), coarse.labelNames[0]]).toEqual([2, 20, '0,1', 'aquatic_mammals']);
  const f = loadCifarFolder(d, spec, { split: 'train' });
  expect([f.n, f.numClasses, Array.from(f.labels).join(), f.labelNames[4]]).toEqual([5, 100, '0,1,2,3,4', 'f4']);
});
