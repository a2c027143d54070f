import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError, RunError, SpredError, UsageError } from '../errors';
import { removeEmptyDirs } from '../io/remove_empty_dirs';
import { tempPathBeside } from '../results/atomic';
import { parseCifarBatch } from './cifar';
import { downloadFile } from './download';
import {
  FILE_ROLES,
  defaultDownloadDir,
  findDataset,
  type AnyDatasetSpec,
  type ArchiveDatasetSpec,
  type DatasetFileRole,
  type DatasetSpec,
  type IdxFileSpec,
} from './datasets';
import { parseIdx } from './idx';
import { parseTar, type TarEntry } from './tar';

/**
 * `spred data fetch <name>`: downloads the files of a registered data set over HTTP(S) with Node's
 * built-in `fetch`. Each file is streamed to a temporary name beside its target, checked (IDX header,
 * length and shape; MD5/SHA-256 when the registry states one) and only then renamed into place, so an
 * interrupted download never leaves a file that looks complete. Files already present and valid are
 * kept. An archive data set (CIFAR) is one .tar.gz: it is downloaded to a temporary name, its size and
 * checksums checked, then its members are read from it, checked by the CIFAR reader (whole records,
 * labels in range, the official record counts) and written flat into the folder, each through a
 * temporary name; the archive itself is not kept.
 */


export interface FetchDatasetOptions {
  /** Folder the files go into. Default: `data/downloads/<name>/` of the project. */
  destDir?: string;
  /** Base URL to download from instead of the registry's mirrors; each file is `baseUrl + file`. */
  baseUrl?: string;
  /** The `fetch` to use. Default: Node's global `fetch`. */
  fetchImpl?: typeof fetch;
  /** Download even files that are present and valid. Default false. */
  force?: boolean;
  /** Give up on a download that receives nothing for this long. Default 60000 ms. */
  idleTimeoutMs?: number;
  /** Receives one line per step (what is downloaded from where, what is kept). Default: silent. */
  log?: (line: string) => void;
}

export interface FetchedFile {
  /** The file's role in an IDX data set, or 'member' for a file unpacked from an archive. */
  role: DatasetFileRole | 'member';
  /** Absolute path of the file in `destDir`. */
  path: string;
  /** `present`: a valid file was already there and was kept. */
  status: 'downloaded' | 'present';
  bytes: number;
  /** The URL it was downloaded from (absent when `present`). */
  url?: string;
}

export interface FetchResult {
  name: string;
  dir: string;
  files: FetchedFile[];
}

interface Checked {
  bytes: number;
}

/** Parses the file as IDX, checks its shape and dtype against the registry and any checksum. */
function checkFile(bytes: Buffer, spec: IdxFileSpec, label: string): Checked {
  const arr = parseIdx(bytes, label);
  const want = `${spec.shape.join('×')} ${spec.dtype}`;
  const got = `${arr.shape.join('×')} ${arr.dtype}`;
  if (want !== got) throw new DataError(`${label}: holds ${got}, expected ${want}`);
  for (const algo of ['md5', 'sha256'] as const) {
    const expected = spec[algo];
    if (expected === undefined) continue;
    const actual = createHash(algo).update(bytes).digest('hex');
    if (actual !== expected.toLowerCase()) {
      throw new DataError(`${label}: ${algo} ${actual} does not match the published ${expected.toLowerCase()}`);
    }
  }
  return { bytes: bytes.length };
}

function joinUrl(base: string, file: string): string {
  return new URL(file, base.endsWith('/') ? base : `${base}/`).toString();
}

function checkBaseUrl(base: string): void {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    throw new UsageError(`base URL '${base}' is not a URL: expected http://… or https://…`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new UsageError(`base URL '${base}' uses ${u.protocol}, expected http: or https:`);
  }
}

/**
 * Downloads every file of the data set `name` (a registry name, or a spec for tests) into
 * `destDir`, trying the registry's mirrors in order (or only `baseUrl`). Each failure is one line;
 * when every source fails for a file, the error lists each source with its reason: a `DataError`
 * when all of them served invalid files, else a `RunError`.
 */
export async function fetchDataset(name: string | AnyDatasetSpec, opts: FetchDatasetOptions = {}): Promise<FetchResult> {
  const spec = typeof name === 'string' ? findDataset(name) : name;
  const dir = path.resolve(opts.destDir ?? defaultDownloadDir(spec.name));
  const fetchImpl = opts.fetchImpl ?? globalThis.fetch;
  const idleTimeoutMs = opts.idleTimeoutMs ?? 60000;
  const log = opts.log ?? ((): void => undefined);
  if (opts.baseUrl !== undefined) checkBaseUrl(opts.baseUrl);
  const bases = opts.baseUrl !== undefined ? [opts.baseUrl] : spec.mirrors;
  if (bases.length === 0) throw new UsageError(`data set '${spec.name}' has no download location; give a base URL`);
  let firstCreated: string | undefined;
  try {
    firstCreated = fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new RunError(`cannot create ${dir}: ${(e as Error).message}`);
  }
  try {
    const all = { ...opts, fetchImpl, idleTimeoutMs, log };
    return spec.kind === 'archive' ? await fetchArchiveInto(spec, dir, bases, all) : await fetchInto(spec, dir, bases, all);
  } catch (e) {
    // No empty data/downloads/<name>/ left behind; a folder that existed before is never touched.
    if (firstCreated !== undefined) removeEmptyDirs(dir, firstCreated);
    throw e;
  }
}

type ResolvedFetchOptions = FetchDatasetOptions & Required<Pick<FetchDatasetOptions, 'fetchImpl' | 'idleTimeoutMs' | 'log'>>;

async function fetchInto(spec: DatasetSpec, dir: string, bases: readonly string[], opts: ResolvedFetchOptions): Promise<FetchResult> {
  const { fetchImpl, idleTimeoutMs, log } = opts;
  const files: FetchedFile[] = [];
  for (const role of FILE_ROLES) {
    const fileSpec = spec.files[role];
    const target = path.join(dir, fileSpec.file);
    if (!opts.force && fs.existsSync(target)) {
      try {
        const { bytes } = checkFile(fs.readFileSync(target), fileSpec, target);
        log(`${spec.name}: ${fileSpec.file} present and valid in ${dir}, kept`);
        files.push({ role, path: target, status: 'present', bytes });
        continue;
      } catch (e) {
        if (!(e instanceof SpredError)) throw e;
        log(`${spec.name}: ${fileSpec.file} present but not valid (${e.message}); downloading again`);
      }
    }
    const failures: { url: string; error: SpredError }[] = [];
    let saved: FetchedFile | undefined;
    for (const base of bases) {
      const url = joinUrl(base, fileSpec.file);
      const tmp = tempPathBeside(path.join(dir, fileSpec.file));
      log(`${spec.name}: downloading ${url}`);
      try {
        await downloadFile(url, tmp, { fetchImpl, idleTimeoutMs });
        const { bytes } = checkFile(fs.readFileSync(tmp), fileSpec, `${fileSpec.file} from ${url}`);
        fs.renameSync(tmp, target);
        log(`${spec.name}: ${fileSpec.file} ${bytes} bytes, valid, saved to ${target}`);
        saved = { role, path: target, status: 'downloaded', bytes, url };
        break;
      } catch (e) {
        if (!(e instanceof SpredError)) throw e;
        failures.push({ url, error: e });
        log(`${spec.name}: ${url} failed: ${e.message}`);
      } finally {
        fs.rmSync(tmp, { force: true });
      }
    }
    if (!saved) throw fetchFailure(spec.name, fileSpec.file, failures);
    files.push(saved);
  }
  return { name: spec.name, dir, files };
}

function fetchFailure(name: string, file: string, failures: { url: string; error: SpredError }[]): SpredError {
  // A DataError already names its URL; a RunError (status, network) does not.
  const parts = failures.map(({ url, error }) => (error instanceof DataError ? error.message : `${url}: ${error.message}`));
  const msg = `could not download ${file} of data set '${name}': ${parts.join('; ')}`;
  return failures.every((f) => f.error instanceof DataError) ? new DataError(msg) : new RunError(msg);
}

/** Checks a downloaded archive against the registry: its size, then its MD5/SHA-256 when stated. */
function checkArchive(bytes: Buffer, spec: ArchiveDatasetSpec, label: string): void {
  const want = spec.archive.bytes;
  if (want !== undefined && bytes.length !== want) {
    throw new DataError(`${label}: ${bytes.length} bytes, the published archive has ${want}`);
  }
  for (const algo of ['md5', 'sha256'] as const) {
    const expected = spec.archive[algo];
    if (expected === undefined) continue;
    const actual = createHash(algo).update(bytes).digest('hex');
    if (actual !== expected.toLowerCase()) {
      throw new DataError(`${label}: ${algo} ${actual} does not match the published ${expected.toLowerCase()}`);
    }
  }
}

/** Checks one member's bytes: a record file by the CIFAR reader with its official count; metadata as is. */
function checkMember(bytes: Uint8Array, spec: ArchiveDatasetSpec, member: ArchiveDatasetSpec['members'][number], label: string): void {
  if (member.split !== undefined) parseCifarBatch(bytes, label, { format: spec.format, expectedRecords: member.records });
}

/**
 * The members of `spec` read from the archive bytes, each checked; a `DataError` when a required
 * member is absent (listing what the archive holds) or invalid. A member is looked for under the
 * archive's folder (`cifar-10-batches-bin/data_batch_1.bin`) or at the top.
 */
function unpackMembers(archive: Buffer, spec: ArchiveDatasetSpec, label: string): { file: string; data: Uint8Array }[] {
  const entries = parseTar(archive, label);
  const byName = new Map<string, TarEntry>();
  for (const e of entries) if (e.type === 'file') byName.set(e.name.replace(/^\.\//, ''), e);
  const out: { file: string; data: Uint8Array }[] = [];
  const missing: string[] = [];
  for (const m of spec.members) {
    const e = byName.get(`${spec.folder}/${m.file}`) ?? byName.get(m.file);
    if (!e) {
      if (!m.optional) missing.push(`${spec.folder}/${m.file}`);
      continue;
    }
    checkMember(e.data, spec, m, `${label}: ${e.name}`);
    out.push({ file: m.file, data: e.data });
  }
  if (missing.length > 0) {
    const held = [...byName.keys()];
    const shown = held.length > 12 ? `${held.slice(0, 12).join(', ')} and ${held.length - 12} more` : held.join(', ') || 'no files';
    throw new DataError(`${label}: the archive lacks ${missing.join(', ')}; it holds ${shown}`);
  }
  return out;
}

/**
 * The members already in `dir` when every required one is there and valid (optional ones kept as
 * found); undefined, after logging why, when the archive must be downloaded.
 */
function presentMembers(spec: ArchiveDatasetSpec, dir: string, log: (line: string) => void): FetchedFile[] | undefined {
  const files: FetchedFile[] = [];
  for (const m of spec.members) {
    const target = path.join(dir, m.file);
    if (!fs.existsSync(target)) {
      if (m.optional) continue;
      return undefined;
    }
    try {
      const bytes = fs.readFileSync(target);
      checkMember(bytes, spec, m, target);
      files.push({ role: 'member', path: target, status: 'present', bytes: bytes.length });
    } catch (e) {
      if (!(e instanceof SpredError)) throw e;
      log(`${spec.name}: ${m.file} present but not valid (${e.message}); downloading the archive again`);
      return undefined;
    }
  }
  log(`${spec.name}: ${files.map((f) => path.basename(f.path)).join(', ')} present and valid in ${dir}, kept`);
  return files;
}

async function fetchArchiveInto(spec: ArchiveDatasetSpec, dir: string, bases: readonly string[], opts: ResolvedFetchOptions): Promise<FetchResult> {
  const { fetchImpl, idleTimeoutMs, log } = opts;
  if (!opts.force) {
    const present = presentMembers(spec, dir, log);
    if (present) return { name: spec.name, dir, files: present };
  }
  const file = spec.archive.file;
  const failures: { url: string; error: SpredError }[] = [];
  for (const base of bases) {
    const url = joinUrl(base, file);
    const tmp = tempPathBeside(path.join(dir, file));
    const written: string[] = [];
    log(`${spec.name}: downloading ${url}`);
    try {
      const { bytes: received } = await downloadFile(url, tmp, { fetchImpl, idleTimeoutMs });
      const label = `${file} from ${url}`;
      const archive = fs.readFileSync(tmp);
      checkArchive(archive, spec, label);
      const sums = (['md5', 'sha256'] as const).filter((a) => spec.archive[a] !== undefined);
      log(`${spec.name}: ${file} ${received} bytes${sums.length > 0 ? `, ${sums.join(' and ')} verified` : ''}; unpacking`);
      const members = unpackMembers(archive, spec, label);
      // Every member is checked before any is written; each goes through a temporary name.
      const files: FetchedFile[] = [];
      for (const m of members) {
        const target = path.join(dir, m.file);
        const part = tempPathBeside(path.join(dir, m.file));
        written.push(part);
        fs.writeFileSync(part, m.data, { flag: 'wx' });
        files.push({ role: 'member', path: target, status: 'downloaded', bytes: m.data.length, url });
      }
      for (let i = 0; i < members.length; i++) fs.renameSync(written[i], files[i].path);
      log(`${spec.name}: unpacked ${members.map((m) => m.file).join(', ')} into ${dir}`);
      return { name: spec.name, dir, files };
    } catch (e) {
      if (!(e instanceof SpredError)) {
        if ((e as NodeJS.ErrnoException).code === undefined) throw e;
        // a file-system error while writing the members (disk full, permissions)
        e = new RunError(`cannot unpack into ${dir}: ${(e as Error).message}`);
      }
      const err = e as SpredError;
      failures.push({ url, error: err });
      log(`${spec.name}: ${url} failed: ${err.message}`);
    } finally {
      fs.rmSync(tmp, { force: true });
      for (const w of written) fs.rmSync(w, { force: true });
    }
  }
  throw fetchFailure(spec.name, file, failures);
}
