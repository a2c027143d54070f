import { DATASETS, findDataset, locateAnyDataset, type LocateOptions } from '../data/datasets';
import { fetchDataset } from '../data/fetch';
import { fetchGeoDataset, looksLikeGdsId, parseGdsId } from '../data/geo_fetch';
import { SpredError, UsageError } from '../errors';
import { createProgress, type Progress } from '../results/progress';

export interface DataFetchOptions {
  /** Folder to download into. Default: `data/downloads/<name>/` of the project. */
  dir?: string;
  /** Download from this base URL instead of the registry's mirrors. */
  baseUrl?: string;
  /** Download even files already present and valid. */
  force?: boolean;
  /** Where lines go. Default: standard output. */
  write?: (text: string) => void;
  /** The `fetch` to use (tests). Default: Node's global `fetch`. */
  fetchImpl?: typeof fetch;
  /** Download progress of GEO files. Default: a bar on a terminal, plain lines otherwise (stderr). */
  progress?: Progress;
}

const stdout = (text: string): void => {
  process.stdout.write(text);
};

function registered(name: string): string {
  try {
    return findDataset(name).name;
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${e.message}; or a GEO DataSet id such as GDS1815`);
    throw e;
  }
}

/**
 * `spred data fetch <name|GDSnnnn>…`: downloads each registered data set's files, or each GEO
 * DataSet's full SOFT file (`src/data/geo_fetch.ts`), and says where they went. Every name is
 * checked before anything is downloaded.
 */
export async function dataFetchCommand(names: string | readonly string[], opts: DataFetchOptions = {}): Promise<void> {
  const write = opts.write ?? stdout;
  const list = typeof names === 'string' ? [names] : names;
  const targets = list.map((name) => (looksLikeGdsId(name) ? { kind: 'gds' as const, id: parseGdsId(name) } : { kind: 'registry' as const, id: registered(name) }));
  const common = { destDir: opts.dir, baseUrl: opts.baseUrl, force: opts.force, fetchImpl: opts.fetchImpl, log: (line: string) => write(`${line}\n`) };
  for (const t of targets) {
    if (t.kind === 'gds') {
      const r = await fetchGeoDataset(t.id, { ...common, progress: opts.progress ?? createProgress() });
      write(`${r.id}: ${r.status === 'downloaded' ? 'downloaded' : 'already complete'}, ${r.path}\n`);
      continue;
    }
    const result = await fetchDataset(t.id, common);
    const got = result.files.filter((f) => f.status === 'downloaded').length;
    write(`${result.name}: ${got} file${got === 1 ? '' : 's'} downloaded, ${result.files.length - got} already present, in ${result.dir}\n`);
  }
}

export interface DataListOptions extends Pick<LocateOptions, 'searchDirs'> {
  write?: (text: string) => void;
}

/** `spred data list`: each registered data set and the folder it was found in, or "not found". */
export async function dataListCommand(opts: DataListOptions = {}): Promise<void> {
  const write = opts.write ?? stdout;
  const w = Math.max(...DATASETS.map((d) => d.name.length));
  const out: string[] = [];
  for (const spec of DATASETS) {
    let where: string;
    try {
      where = locateAnyDataset(spec.name, { searchDirs: opts.searchDirs }).dir;
    } catch (e) {
      if (!(e instanceof SpredError)) throw e;
      where = `not found (spred data fetch ${spec.name}${spec.debianPackage ? ` or apt-get install ${spec.debianPackage}` : ''})`;
    }
    out.push(`${spec.name.padEnd(w)}  ${where}`, `${' '.repeat(w)}  ${spec.description}; ${spec.license}`);
  }
  write(`${out.join('\n')}\n`);
}
