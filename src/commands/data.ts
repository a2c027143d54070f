import { DATASETS, locateAnyDataset, type LocateOptions } from '../data/datasets';
import { fetchDataset } from '../data/fetch';
import { SpredError } from '../errors';

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
}

const stdout = (text: string): void => {
  process.stdout.write(text);
};

/** `spred data fetch <name>`: downloads the data set's files and says where they went. */
export async function dataFetchCommand(name: string, opts: DataFetchOptions = {}): Promise<void> {
  const write = opts.write ?? stdout;
  const result = await fetchDataset(name, {
    destDir: opts.dir,
    baseUrl: opts.baseUrl,
    force: opts.force,
    fetchImpl: opts.fetchImpl,
    log: (line) => write(`${line}\n`),
  });
  const got = result.files.filter((f) => f.status === 'downloaded').length;
  write(`${result.name}: ${got} file${got === 1 ? '' : 's'} downloaded, ${result.files.length - got} already present, in ${result.dir}\n`);
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
