import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { dataFetchCommand } from '../commands/data';
import { DataError, RunError, UsageError } from '../errors';
import { SilentProgress } from '../results/progress';
import { fetchGeoDataset, gdsUrl, parseGdsId, verifySoftGzip } from './geo_fetch';

// A local HTTP server on 127.0.0.1 serves the real GDS507 SOFT file (data/geo/GDS507.soft.gz, 1.1 MB
// gzip) under GEO's path layout; nothing here reaches beyond the loopback address.

const FIXTURE = path.join(__dirname, '..', '..', 'data', 'geo', 'GDS507.soft.gz');
const body = fs.readFileSync(FIXTURE);
const GDS507_PATH = '/geo/datasets/GDSnnn/GDS507/soft/GDS507_full.soft.gz';

interface Seen {
  url: string;
  range?: string;
  sentBytes: number;
}
const seen: Seen[] = [];
/** How the server answers: honour Range requests or not, serve a truncated copy, drop the connection. */
let mode: 'ranges' | 'no-ranges' | 'truncated' | 'drop' = 'ranges';
let server: http.Server;
let base: string;
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-geo-fetch-'));
  server = http.createServer((req, res) => {
    const q: Seen = { url: req.url ?? '', range: req.headers.range, sentBytes: 0 };
    seen.push(q);
    const id = /\/(GDS\d+)\/soft\/\1_full\.soft\.gz$/.exec(q.url)?.[1];
    if (!id || !['GDS507', 'GDS1815'].includes(id)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not here');
      return;
    }
    if (mode === 'truncated') {
      const cut = body.subarray(0, body.length - 5000);
      q.sentBytes = cut.length;
      res.writeHead(200, { 'content-length': cut.length });
      res.end(cut);
      return;
    }
    if (mode === 'drop') {
      // Half of the file, then the connection goes away (the announced length is the whole file).
      res.writeHead(200, { 'content-length': body.length });
      q.sentBytes = body.length >> 1;
      res.write(body.subarray(0, q.sentBytes), () => setTimeout(() => res.destroy(), 500));
      return;
    }
    const m = /^bytes=(\d+)-$/.exec(q.range ?? '');
    if (mode === 'ranges' && m) {
      const from = Number(m[1]);
      if (from >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` });
        res.end();
        return;
      }
      q.sentBytes = body.length - from;
      res.writeHead(206, { 'content-length': body.length - from, 'content-range': `bytes ${from}-${body.length - 1}/${body.length}` });
      res.end(body.subarray(from));
      return;
    }
    q.sentBytes = body.length;
    res.writeHead(200, { 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/geo/datasets/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  mode = 'ranges';
  seen.length = 0;
});

/** The file holds exactly the served bytes (Buffer.equals: jest's toEqual on 1 MB takes seconds). */
function expectWhole(file: string): void {
  expect(fs.readFileSync(file).equals(body)).toBe(true);
}

let n = 0;
const dest = (): string => path.join(tmp, `dest-${++n}`);
const partialOf = (d: string, id = 'GDS507'): string => path.join(d, `.spred-tmp-${id}_full.soft.gz`);

async function fetch507(d: string, lines: string[] = [], force = false) {
  return fetchGeoDataset('GDS507', { destDir: d, baseUrl: base, force, log: (l) => lines.push(l), progress: new SilentProgress() });
}

test("GEO's path layout: GDS1815 under GDS1nnn/, GDS507 under GDSnnn/; ids are GDS + digits, any case", () => {
  expect(gdsUrl('GDS1815')).toBe('https://ftp.ncbi.nlm.nih.gov/geo/datasets/GDS1nnn/GDS1815/soft/GDS1815_full.soft.gz');
  expect(gdsUrl('GDS507')).toBe('https://ftp.ncbi.nlm.nih.gov/geo/datasets/GDSnnn/GDS507/soft/GDS507_full.soft.gz');
  expect(gdsUrl('GDS12345')).toBe('https://ftp.ncbi.nlm.nih.gov/geo/datasets/GDS12nnn/GDS12345/soft/GDS12345_full.soft.gz');
  expect(parseGdsId('gds1815')).toBe('GDS1815');
  for (const bad of ['GDS', 'GDS18a5', 'GDS-1815', 'GSE1815', 'GDS0']) {
    expect(() => parseGdsId(bad)).toThrow(UsageError);
  }
});

test('downloads the file into the folder, verified, with no partial file left', async () => {
  const d = dest();
  const lines: string[] = [];
  const r = await fetch507(d, lines);
  expect(r).toMatchObject({ id: 'GDS507', status: 'downloaded', bytes: body.length, path: path.join(d, 'GDS507_full.soft.gz') });
  expectWhole(r.path);
  expect(fs.readdirSync(d)).toEqual(['GDS507_full.soft.gz']);
  expect(seen.map((q) => q.url)).toEqual([GDS507_PATH]);
  expect(lines.at(-1)).toMatch(/^GDS507: 1135299 bytes \(\d+ decompressed\), complete, saved to /);
});

test('a complete file is not downloaded again (no request at all); --force replaces it', async () => {
  const d = dest();
  await fetch507(d);
  seen.length = 0;
  const lines: string[] = [];
  const again = await fetch507(d, lines);
  expect(again.status).toBe('present');
  expect(seen).toEqual([]);
  expect(lines[0]).toContain('is complete (decompresses to the end), kept');
  const forced = await fetch507(d, [], true);
  expect(forced.status).toBe('downloaded');
  expect(seen.length).toBe(1);
  expect(seen[0].range).toBeUndefined();
});

test('a partial download is continued with a Range request: only the missing bytes travel', async () => {
  const d = dest();
  fs.mkdirSync(d);
  fs.writeFileSync(partialOf(d), body.subarray(0, 400_000));
  const lines: string[] = [];
  const r = await fetch507(d, lines);
  expect(r.status).toBe('downloaded');
  expectWhole(r.path);
  expect(seen).toEqual([{ url: GDS507_PATH, range: 'bytes=400000-', sentBytes: body.length - 400_000 }]);
  expect(lines[0]).toContain('continuing');
  expect(fs.existsSync(partialOf(d))).toBe(false);
});

test('a truncated copy under the final name is verified as incomplete and continued', async () => {
  const d = dest();
  fs.mkdirSync(d);
  fs.writeFileSync(path.join(d, 'GDS507_full.soft.gz'), body.subarray(0, 700_000));
  const lines: string[] = [];
  const r = await fetch507(d, lines);
  expect(lines[0]).toMatch(/is not complete \(.*truncated gzip stream.*\); continuing it as a partial download/);
  expect(seen.map((q) => q.range)).toEqual(['bytes=700000-']);
  expectWhole(r.path);
});

test('a server without Range support restarts the partial file from byte 0', async () => {
  mode = 'no-ranges';
  const d = dest();
  fs.mkdirSync(d);
  fs.writeFileSync(partialOf(d), body.subarray(0, 400_000));
  const lines: string[] = [];
  const r = await fetch507(d, lines);
  expectWhole(r.path);
  expect(seen).toEqual([{ url: GDS507_PATH, range: 'bytes=400000-', sentBytes: body.length }]);
  expect(lines.some((l) => l.includes('did not continue the partial file'))).toBe(true);
});

test('a partial file that cannot be continued (416) or does not verify after continuing is downloaded again', async () => {
  const d = dest();
  fs.mkdirSync(d);
  // Longer than the file: the server answers 416, the download restarts.
  fs.writeFileSync(partialOf(d), Buffer.concat([body, Buffer.from('junk')]));
  let r = await fetch507(d);
  expectWhole(r.path);
  expect(seen.map((q) => q.range)).toEqual([`bytes=${body.length + 4}-`, undefined]);
  // A damaged prefix: continuing gives a file whose gzip check fails, so it is fetched once more whole.
  const d2 = dest();
  fs.mkdirSync(d2);
  const damaged = Buffer.from(body.subarray(0, 400_000));
  damaged[200_000] ^= 0xff;
  fs.writeFileSync(partialOf(d2), damaged);
  seen.length = 0;
  const lines: string[] = [];
  r = await fetch507(d2, lines);
  expectWhole(r.path);
  expect(seen.map((q) => q.range)).toEqual(['bytes=400000-', undefined]);
  expect(lines.some((l) => l.includes('does not verify'))).toBe(true);
});

test('a truncated gzip from the server is detected: one-line DataError, nothing saved', async () => {
  mode = 'truncated';
  const d = dest();
  const e = await fetch507(d).catch((x: Error) => x);
  expect(e).toBeInstanceOf(DataError);
  expect((e as Error).message).toMatch(/^GDS507: the file from .* is not complete: .*truncated gzip stream/);
  expect((e as Error).message).not.toContain('\n');
  expect(fs.existsSync(path.join(d, 'GDS507_full.soft.gz'))).toBe(false);
  expect(fs.existsSync(partialOf(d))).toBe(false);
  await expect(verifySoftGzip(FIXTURE)).resolves.toBeGreaterThan(body.length);
});

test('a dropped connection keeps the partial file, and the next fetch continues it', async () => {
  mode = 'drop';
  const d = dest();
  const e = await fetch507(d).catch((x: Error) => x);
  expect(e).toBeInstanceOf(RunError);
  expect((e as Error).message).toMatch(/^GDS507: http:.*connection .* the partial file .* is kept and the next fetch continues it$/);
  const kept = fs.statSync(partialOf(d)).size;
  expect(kept).toBeGreaterThan(0);
  mode = 'ranges';
  seen.length = 0;
  const r = await fetch507(d);
  expect(seen.map((q) => q.range)).toEqual([`bytes=${kept}-`]);
  expectWhole(r.path);
});

test('spred data fetch: several ids in one command; a bad id fails before anything is downloaded', async () => {
  const d = dest();
  const out: string[] = [];
  await dataFetchCommand(['GDS507', 'gds1815'], { dir: d, baseUrl: base, write: (t) => out.push(t), progress: new SilentProgress() });
  expect(fs.readdirSync(d).sort()).toEqual(['GDS1815_full.soft.gz', 'GDS507_full.soft.gz']);
  expect(out.filter((l) => /: downloaded, /.test(l)).length).toBe(2);
  seen.length = 0;
  const e = await dataFetchCommand(['GDS507', 'GDS18x'], { dir: dest(), baseUrl: base, write: () => undefined }).catch((x: Error) => x);
  expect(e).toBeInstanceOf(UsageError);
  expect((e as UsageError).exitCode).toBe(2);
  expect((e as Error).message).toBe("'GDS18x' is not a GEO DataSet id: expected GDS followed by digits, e.g. GDS1815");
  expect(seen).toEqual([]);
  const unknown = await dataFetchCommand(['mnst'], { write: () => undefined }).catch((x: Error) => x);
  expect((unknown as Error).message).toMatch(/unknown data set 'mnst'.*; or a GEO DataSet id such as GDS1815$/);
});
