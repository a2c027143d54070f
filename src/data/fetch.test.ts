import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { dataFetchCommand } from '../commands/data';
import { DataError, RunError, UsageError } from '../errors';
import type { DatasetSpec } from './datasets';
import { encodeIdx, readIdx } from './idx';
import { fetchDataset } from './fetch';

// A local HTTP server on 127.0.0.1 (ephemeral port) serves fixture files the tests make. Nothing
// here ever reaches beyond the loopback address.

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const routes = new Map<string, Handler>();
const requests: { url: string; acceptEncoding?: string }[] = [];
let server: http.Server;
let base: string;
let dir: string;

function serve(urlPath: string, body: Buffer): void {
  routes.set(urlPath, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  });
}

const TINY_FILES = {
  trainImages: { file: 'train-images-idx3-ubyte.gz', shape: [5, 4, 4] },
  trainLabels: { file: 'train-labels-idx1-ubyte.gz', shape: [5] },
  testImages: { file: 't10k-images-idx3-ubyte.gz', shape: [3, 4, 4] },
  testLabels: { file: 't10k-labels-idx1-ubyte.gz', shape: [3] },
} as const;

/** The fixture bytes of each file, and a spec for them whose checksums are theirs. */
const bodies = new Map<string, Buffer>();
function tinySpec(mirrors: string[], sums: { md5?: boolean; sha256?: boolean } = { md5: true, sha256: true }): DatasetSpec {
  const files = Object.fromEntries(
    Object.entries(TINY_FILES).map(([role, f]) => {
      const body = bodies.get(f.file)!;
      return [
        role,
        {
          file: f.file,
          dtype: 'uint8',
          shape: f.shape,
          md5: sums.md5 ? createHash('md5').update(body).digest('hex') : undefined,
          sha256: sums.sha256 ? createHash('sha256').update(body).digest('hex') : undefined,
        },
      ];
    }),
  ) as unknown as DatasetSpec['files'];
  return {
    name: 'tiny',
    description: 'test fixture',
    homepage: 'http://127.0.0.1/',
    license: 'none',
    mirrors,
    numClasses: 10,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    files,
  };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-fetch-'));
  for (const f of Object.values(TINY_FILES)) {
    const n = f.shape.reduce((a, b) => a * b, 1);
    const data = Array.from({ length: n }, (_, i) => (i * 37) % (f.shape.length === 1 ? 10 : 256));
    bodies.set(f.file, encodeIdx({ dtype: 'uint8', shape: f.shape, data }, { gzip: true }));
  }
  for (const [file, body] of bodies) serve(`/good/${file}`, body);
  server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', acceptEncoding: req.headers['accept-encoding'] as string | undefined });
    const h = routes.get(req.url ?? '');
    if (h) return h(req, res);
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

let n = 0;
function dest(): string {
  return path.join(dir, `dest-${++n}`);
}

/** The error `p` rejects with; checks it is one line. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    expect((e as Error).message).not.toContain('\n');
    return e as Error;
  }
  throw new Error('expected a rejection');
}

function leftovers(d: string): string[] {
  return fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.startsWith('.spred-tmp-')) : [];
}

test('downloads all four files, verifies them, and they read back as IDX', async () => {
  const d = dest();
  const lines: string[] = [];
  const r = await fetchDataset(tinySpec([`${base}/good/`]), { destDir: d, log: (l) => lines.push(l) });
  expect(r.dir).toBe(d);
  expect(r.files.map((f) => [f.role, f.status, path.basename(f.path)])).toEqual([
    ['trainImages', 'downloaded', 'train-images-idx3-ubyte.gz'],
    ['trainLabels', 'downloaded', 'train-labels-idx1-ubyte.gz'],
    ['testImages', 'downloaded', 't10k-images-idx3-ubyte.gz'],
    ['testLabels', 'downloaded', 't10k-labels-idx1-ubyte.gz'],
  ]);
  expect(r.files[0].url).toBe(`${base}/good/train-images-idx3-ubyte.gz`);
  expect(fs.readFileSync(path.join(d, 'train-labels-idx1-ubyte.gz'))).toEqual(bodies.get('train-labels-idx1-ubyte.gz'));
  expect(readIdx(path.join(d, 't10k-images-idx3-ubyte.gz')).shape).toEqual([3, 4, 4]);
  expect(leftovers(d)).toEqual([]);
  expect(lines[0]).toBe(`tiny: downloading ${base}/good/train-images-idx3-ubyte.gz`);
  // the file is asked for as it is published, never re-encoded on the way
  expect(requests.find((q) => q.url === '/good/train-images-idx3-ubyte.gz')?.acceptEncoding).toBe('identity');
});

test('files already present and valid are kept; force downloads them again; an invalid one is replaced', async () => {
  const d = dest();
  const spec = tinySpec([`${base}/good/`]);
  await fetchDataset(spec, { destDir: d });
  const before = requests.length;
  const again = await fetchDataset(spec, { destDir: d });
  expect(again.files.map((f) => f.status)).toEqual(['present', 'present', 'present', 'present']);
  expect(requests.length).toBe(before);

  fs.writeFileSync(path.join(d, 't10k-labels-idx1-ubyte.gz'), 'garbage');
  const lines: string[] = [];
  const fixed = await fetchDataset(spec, { destDir: d, log: (l) => lines.push(l) });
  expect(fixed.files.map((f) => f.status)).toEqual(['present', 'present', 'present', 'downloaded']);
  expect(lines).toContain(
    `tiny: t10k-labels-idx1-ubyte.gz present but not valid (${path.join(d, 't10k-labels-idx1-ubyte.gz')}: ` +
      'wrong magic number 0x67617262 at byte 0: expected an IDX magic 0x0000TTDD (TT = type byte, DD = number of dimensions), ' +
      'e.g. 0x00000803 for images or 0x00000801 for labels); downloading again',
  );

  const forced = await fetchDataset(spec, { destDir: d, force: true });
  expect(forced.files.map((f) => f.status)).toEqual(['downloaded', 'downloaded', 'downloaded', 'downloaded']);
});

test('HTTP 404: one line with the URL and the status; nothing left behind', async () => {
  const d = dest();
  const e = await rejection(fetchDataset(tinySpec([`${base}/missing/`]), { destDir: d }));
  expect(e).toBeInstanceOf(RunError);
  expect(e.message).toBe(
    `could not download train-images-idx3-ubyte.gz of data set 'tiny': ${base}/missing/train-images-idx3-ubyte.gz: HTTP 404 Not Found`,
  );
  expect(fs.existsSync(d)).toBe(false); // the folder this fetch made is gone again
});

test('a corrupt (truncated) file: a DataError from the IDX check, naming the URL; no file kept', async () => {
  const good = bodies.get('train-images-idx3-ubyte.gz')!;
  serve('/corrupt/train-images-idx3-ubyte.gz', good.subarray(0, good.length - 20));
  const d = dest();
  const e = await rejection(fetchDataset(tinySpec([`${base}/corrupt/`]), { destDir: d }));
  expect(e).toBeInstanceOf(DataError);
  expect(e.message).toMatch(
    new RegExp(
      `^could not download train-images-idx3-ubyte\\.gz of data set 'tiny': train-images-idx3-ubyte\\.gz from ` +
        `${base.replace(/\./g, '\\.')}/corrupt/train-images-idx3-ubyte\\.gz: truncated`,
    ),
  );
  expect(fs.existsSync(d)).toBe(false); // the folder this fetch made is gone again
});

test('a failed fetch removes the empty folders it created, and only those', async () => {
  const top = path.join(dir, 'fresh-parent');
  const d = path.join(top, 'downloads', 'tiny');
  await rejection(fetchDataset(tinySpec([`${base}/missing/`]), { destDir: d }));
  expect(fs.existsSync(top)).toBe(false);
  // a folder that existed before stays, even when empty
  const existing = dest();
  fs.mkdirSync(existing);
  await rejection(fetchDataset(tinySpec([`${base}/missing/`]), { destDir: existing }));
  expect(fs.readdirSync(existing)).toEqual([]);
  // a folder holding a file downloaded before the failure stays, with that file
  serve('/partial/train-images-idx3-ubyte.gz', bodies.get('train-images-idx3-ubyte.gz')!);
  const partial = dest();
  await rejection(fetchDataset(tinySpec([`${base}/partial/`]), { destDir: partial }));
  expect(fs.readdirSync(partial)).toEqual(['train-images-idx3-ubyte.gz']);
});

test('a valid IDX file with other content fails the checksum; with the wrong shape, the shape check', async () => {
  const other = encodeIdx({ dtype: 'uint8', shape: [5, 4, 4], data: new Uint8Array(80).fill(1) }, { gzip: true });
  serve('/other/train-images-idx3-ubyte.gz', other);
  const url = `${base}/other/train-images-idx3-ubyte.gz`;
  const spec = tinySpec([`${base}/other/`], { sha256: true });
  const want = spec.files.trainImages.sha256!;
  const got = createHash('sha256').update(other).digest('hex');
  const e = await rejection(fetchDataset(spec, { destDir: dest() }));
  expect(e).toBeInstanceOf(DataError);
  expect(e.message).toBe(
    `could not download train-images-idx3-ubyte.gz of data set 'tiny': train-images-idx3-ubyte.gz from ${url}: ` +
      `sha256 ${got} does not match the published ${want}`,
  );
  const md5 = await rejection(fetchDataset(tinySpec([`${base}/other/`], { md5: true }), { destDir: dest() }));
  expect(md5.message).toMatch(/: md5 [0-9a-f]{32} does not match the published [0-9a-f]{32}$/);

  serve('/shape/train-images-idx3-ubyte.gz', encodeIdx({ dtype: 'uint8', shape: [5, 2, 8], data: new Uint8Array(80) }));
  const s = await rejection(fetchDataset(tinySpec([`${base}/shape/`], {}), { destDir: dest() }));
  expect(s.message).toBe(
    `could not download train-images-idx3-ubyte.gz of data set 'tiny': train-images-idx3-ubyte.gz from ` +
      `${base}/shape/train-images-idx3-ubyte.gz: holds 5×2×8 uint8, expected 5×4×4 uint8`,
  );
});

test('the registry entries are checked too: a small file served for mnist is refused by its shape', async () => {
  serve('/mnist/train-images-idx3-ubyte.gz', encodeIdx({ dtype: 'uint8', shape: [2, 28, 28], data: new Uint8Array(2 * 784) }, { gzip: true }));
  const e = await rejection(fetchDataset('mnist', { destDir: dest(), baseUrl: `${base}/mnist/` }));
  expect(e).toBeInstanceOf(DataError);
  expect(e.message).toMatch(/: holds 2×28×28 uint8, expected 60000×28×28 uint8$/);
});

test('mirrors are tried in order; a failure is logged and the next one used', async () => {
  const lines: string[] = [];
  const r = await fetchDataset(tinySpec([`${base}/missing/`, `${base}/good/`]), { destDir: dest(), log: (l) => lines.push(l) });
  expect(r.files.every((f) => f.url?.startsWith(`${base}/good/`))).toBe(true);
  expect(lines).toContain(`tiny: ${base}/missing/train-images-idx3-ubyte.gz failed: HTTP 404 Not Found`);
});

test('when every mirror fails, each is named with its reason', async () => {
  const e = await rejection(fetchDataset(tinySpec([`${base}/missing/`, `${base}/corrupt/`]), { destDir: dest() }));
  expect(e).toBeInstanceOf(RunError); // not all failures were invalid files
  expect(e.message).toMatch(
    new RegExp(`: ${base.replace(/\./g, '\\.')}/missing/train-images-idx3-ubyte\\.gz: HTTP 404 Not Found; train-images-idx3-ubyte\\.gz from .*/corrupt/.*: truncated`),
  );
});

test('network failure: connection refused on a closed loopback port', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const e = await rejection(fetchDataset(tinySpec([`http://127.0.0.1:${port}/`]), { destDir: dest() }));
  expect(e).toBeInstanceOf(RunError);
  expect(e.message).toBe(
    `could not download train-images-idx3-ubyte.gz of data set 'tiny': http://127.0.0.1:${port}/train-images-idx3-ubyte.gz: ` +
      `network error: connect ECONNREFUSED 127.0.0.1:${port}`,
  );
});

test('a connection dropped in the middle of the body', async () => {
  routes.set('/drop/train-images-idx3-ubyte.gz', (_req, res) => {
    res.writeHead(200, { 'content-length': 1000 });
    // Long enough for the client to have consumed the 10 bytes before the close, also on a loaded
    // machine (at 20 ms, with a load average of 11, the close overtook them and 0 bytes were counted).
    res.write(Buffer.alloc(10), () => setTimeout(() => res.socket?.destroy(), 500));
  });
  const d = dest();
  const e = await rejection(fetchDataset(tinySpec([`${base}/drop/`]), { destDir: d }));
  expect(e).toBeInstanceOf(RunError);
  expect(e.message).toBe(
    `could not download train-images-idx3-ubyte.gz of data set 'tiny': ${base}/drop/train-images-idx3-ubyte.gz: ` +
      'connection lost after 10 bytes: other side closed',
  );
  expect(fs.existsSync(d)).toBe(false); // the folder this fetch made is gone again
});

test('a stalled transfer gives up after the idle timeout', async () => {
  routes.set('/stall/train-images-idx3-ubyte.gz', (_req, res) => {
    res.writeHead(200, { 'content-length': 1000 });
    res.write(Buffer.alloc(10)); // and nothing more, until the server closes at the end of the tests
  });
  const d = dest();
  const t0 = Date.now();
  const e = await rejection(fetchDataset(tinySpec([`${base}/stall/`]), { destDir: d, idleTimeoutMs: 300 }));
  expect(Date.now() - t0).toBeLessThan(5000);
  expect(e).toBeInstanceOf(RunError);
  expect(e.message).toMatch(/stall\/train-images-idx3-ubyte\.gz: no data for 0\.3 s after 10 bytes$/);
  expect(fs.existsSync(d)).toBe(false); // the folder this fetch made is gone again
});

test('usage errors: an unknown data set, a base URL that is not http(s)', async () => {
  const u = await rejection(fetchDataset('mnits', { destDir: dest() }));
  expect(u).toBeInstanceOf(UsageError);
  expect(u.message).toBe("unknown data set 'mnits' (did you mean 'mnist'?); available: mnist, fashion-mnist, cifar10, cifar100");
  const f = await rejection(fetchDataset('mnist', { destDir: dest(), baseUrl: 'ftp://127.0.0.1/mnist/' }));
  expect(f).toBeInstanceOf(UsageError);
  expect(f.message).toBe("base URL 'ftp://127.0.0.1/mnist/' uses ftp:, expected http: or https:");
});

test('fetchImpl is used when given', async () => {
  const seen: string[] = [];
  const impl: typeof fetch = async (input, init) => {
    seen.push(String(input));
    return fetch(input, init);
  };
  await fetchDataset(tinySpec(['http://127.0.0.1:1/unused/']), { destDir: dest(), baseUrl: `${base}/good`, fetchImpl: impl });
  expect(seen).toEqual(Object.values(TINY_FILES).map((f) => `${base}/good/${f.file}`));
});

test('spred data fetch prints each step as it goes, and the error is thrown for main to report', async () => {
  let out = '';
  const d = dest();
  const e = await rejection(dataFetchCommand('fashion-mnist', { dir: d, baseUrl: `${base}/missing/`, write: (t) => (out += t) }));
  expect(e).toBeInstanceOf(RunError);
  expect(out).toContain(`fashion-mnist: downloading ${base}/missing/train-images-idx3-ubyte.gz\n`);
});
