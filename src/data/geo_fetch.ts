import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError, RunError, SpredError, UsageError } from '../errors';
import { packageRoot } from '../paths';
import type { Progress } from '../results/progress';
import { removeEmptyDirs } from '../io/remove_empty_dirs';
import { TEMP_PREFIX } from '../results/atomic';
import { downloadFile, fileSize } from './download';
import { openFileStream, streamReadError } from './gzip';

/**
 * `spred data fetch GDS1815 …`: a GEO DataSet's `GDSnnnn_full.soft.gz` from NCBI GEO's public FTP
 * tree over HTTPS (`geo/datasets/GDS1nnn/GDS1815/soft/GDS1815_full.soft.gz`), the file the
 * gene-selection runner reads (`source: soft`).
 *
 * GEO publishes no checksums for these files, so "complete" means verified: the file decompresses
 * to the end (zlib checks the gzip trailer's CRC-32 and length) and starts like a SOFT file. A
 * complete file is never overwritten (unless `force`); a partial download is kept under a stable
 * temporary name beside the target and continued with an HTTP Range request next time (restarted
 * when the server cannot continue it, or when the continued file does not verify); only a verified
 * file is renamed to its final name.
 */

/** NCBI GEO's DataSet tree; a `GDSnnnn` folder is under `GDS<prefix>nnn/`. */
export const GEO_DATASETS_URL = 'https://ftp.ncbi.nlm.nih.gov/geo/datasets/';


/** True when `name` is meant as a GEO DataSet id (starts with "GDS", any case). */
export function looksLikeGdsId(name: string): boolean {
  return /^gds/i.test(name);
}

/** `gds1815` → `GDS1815`; anything but "GDS" followed by digits is a `UsageError`. */
export function parseGdsId(name: string): string {
  const m = /^gds(\d+)$/i.exec(name);
  if (!m || Number(m[1]) === 0) throw new UsageError(`'${name}' is not a GEO DataSet id: expected GDS followed by digits, e.g. GDS1815`);
  return `GDS${Number(m[1])}`;
}

/** The file name of a DataSet's full SOFT file: `GDS1815_full.soft.gz`. */
export function gdsFileName(id: string): string {
  return `${id}_full.soft.gz`;
}

/** `GDS1815` → `<base>GDS1nnn/GDS1815/soft/GDS1815_full.soft.gz`; `GDS507` → `<base>GDSnnn/GDS507/…`. */
export function gdsUrl(id: string, base: string = GEO_DATASETS_URL): string {
  const digits = id.slice(3);
  const group = `GDS${digits.slice(0, -3)}nnn`;
  return new URL(`${group}/${id}/soft/${gdsFileName(id)}`, base.endsWith('/') ? base : `${base}/`).toString();
}

/** The default folder: `data/geo/` of the project (where configs/gene-selection.yaml looks). */
export function defaultGeoDir(): string {
  return path.join(packageRoot(), 'data', 'geo');
}

/**
 * Reads the gzip file to its end. Resolves with the decompressed size when the stream is whole and
 * the data begin with `^` (a SOFT file's first line, `^DATABASE = GeoMiame`); a `DataError` names
 * what is wrong (not gzip, truncated, corrupt, not SOFT).
 */
export async function verifySoftGzip(file: string): Promise<number> {
  const s = openFileStream(file);
  if (!s.gzip) {
    s.destroy();
    throw new DataError(`${file}: not a gzip file`);
  }
  let n = 0;
  let first: number | undefined;
  try {
    for await (const chunk of s.input) {
      if (first === undefined && (chunk as Buffer).length > 0) first = (chunk as Buffer)[0];
      n += (chunk as Buffer).length;
    }
  } catch (e) {
    throw streamReadError(file, true, `after ${n} decompressed bytes`, e as NodeJS.ErrnoException);
  } finally {
    s.destroy();
  }
  if (first !== 0x5e) throw new DataError(`${file}: decompresses to ${n} bytes that do not begin like a SOFT file ('^DATABASE')`);
  return n;
}

export interface GeoFetchOptions {
  /** Folder the file goes into. Default `data/geo/` of the project. */
  destDir?: string;
  /** Base of the DataSet tree instead of NCBI's (a mirror, or a test server). */
  baseUrl?: string;
  /** Download again even when a complete file is there. */
  force?: boolean;
  fetchImpl?: typeof fetch;
  /** Give up on a download that receives nothing for this long. Default 60000 ms. */
  idleTimeoutMs?: number;
  log?: (line: string) => void;
  /** Shows the bytes received (in kB). Default: none. */
  progress?: Progress;
}

export interface GeoFetched {
  id: string;
  path: string;
  /** `present`: a complete file was there and was kept. */
  status: 'downloaded' | 'present';
  bytes: number;
  url?: string;
}

/** Downloads one DataSet's full SOFT file (see the file comment for what is kept, resumed and verified). */
export async function fetchGeoDataset(id: string, opts: GeoFetchOptions = {}): Promise<GeoFetched> {
  const dir = path.resolve(opts.destDir ?? defaultGeoDir());
  const file = gdsFileName(id);
  const target = path.join(dir, file);
  const partial = path.join(dir, `${TEMP_PREFIX}${file}`);
  const log = opts.log ?? ((): void => undefined);
  const url = gdsUrl(id, opts.baseUrl ?? GEO_DATASETS_URL);
  if (!opts.force && fs.existsSync(target)) {
    try {
      await verifySoftGzip(target);
      log(`${id}: ${target} is complete (decompresses to the end), kept; --force downloads it again`);
      return { id, path: target, status: 'present', bytes: fs.statSync(target).size };
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      // A truncated copy is the start of the file: continue it like a partial download.
      log(`${id}: ${target} is not complete (${e.message}); continuing it as a partial download`);
      if (!fs.existsSync(partial)) fs.renameSync(target, partial);
    }
  }
  let created: string | undefined;
  try {
    created = fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new RunError(`cannot create ${dir}: ${(e as Error).message}`);
  }
  if (opts.force) fs.rmSync(partial, { force: true });
  const common = { fetchImpl: opts.fetchImpl ?? globalThis.fetch, idleTimeoutMs: opts.idleTimeoutMs ?? 60000 };
  // At most two passes: a continued file that does not verify (the server's file changed, or the
  // partial was damaged) is downloaded once more from byte 0.
  for (let pass = 0; ; pass++) {
    const had = fileSize(partial);
    log(had > 0 ? `${id}: continuing ${url} from byte ${had}` : `${id}: downloading ${url}`);
    let shownKb = -1;
    const got = await downloadFile(url, partial, {
      ...common,
      resume: true,
      onProgress: (bytes, total) => {
        if (!opts.progress) return;
        const kb = Math.floor(bytes / 1024);
        if (shownKb < 0) opts.progress.start(total !== undefined ? Math.ceil(total / 1024) : 0, `${file} (kB)`);
        if (kb > shownKb) opts.progress.tick(kb - Math.max(shownKb, 0));
        shownKb = Math.max(shownKb, kb);
      },
    })
      .catch((e: unknown) => {
        if (!(e instanceof RunError)) throw e;
        const kept = fileSize(partial) > 0;
        // A failed first download leaves no empty folder behind that this fetch made.
        if (!kept && created !== undefined) removeEmptyDirs(dir, created);
        throw new RunError(`${id}: ${url}: ${e.message}${kept ? `; the partial file ${partial} is kept and the next fetch continues it` : ''}`);
      })
      .finally(() => opts.progress?.stop());
    if (got.restarted) log(`${id}: the server did not continue the partial file (no range support); downloaded it from the start`);
    try {
      const size = await verifySoftGzip(partial);
      fs.renameSync(partial, target);
      log(`${id}: ${got.bytes} bytes (${size} decompressed), complete, saved to ${target}`);
      return { id, path: target, status: 'downloaded', bytes: got.bytes, url };
    } catch (e) {
      if (!(e instanceof SpredError)) throw e;
      fs.rmSync(partial, { force: true });
      if (got.resumedFrom === 0 || pass > 0) throw new DataError(`${id}: the file from ${url} is not complete: ${e.message}`);
      log(`${id}: the continued file does not verify (${e.message}); downloading it again from the start`);
    }
  }
}
