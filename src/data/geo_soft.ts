import { DataError } from '../errors';
import { SampleMajorBuilder } from './sample_major';
import { textLines } from './text_lines';

/**
 * Reader of GEO DataSet (GDS) files in the SOFT format, plain or gzipped: `GDSnnnn.soft.gz` and the
 * `GDSnnnn_full.soft.gz` NCBI serves (https://www.ncbi.nlm.nih.gov/geo/info/soft.html). Such a file is
 *
 *   ^DATABASE = Geo              !Database_* lines
 *   ^DATASET = GDS507            !dataset_* header: title, platform, !dataset_value_type (count, log2 ratio, transformed count …)
 *   ^SUBSET = GDS507_1           !subset_description, !subset_sample_id (GSM ids, comma-separated), !subset_type — one block per subset
 *   ^ANNOTATION                  (_full files) !Annotation_* lines
 *   ^DATASET = GDS507            again: #column = description lines, then
 *   !dataset_table_begin
 *   ID_REF  IDENTIFIER  GSM…  [annotation columns of _full files: Gene title, Gene symbol, GO ids …]
 *   one tab-separated row per probe; `null` or an empty field is a missing value
 *   !dataset_table_end
 *
 * The file is streamed line by line; the values go straight into one float32 matrix. Every problem is
 * a one-line `DataError` "file:line: what".
 */

export interface GdsDataset {
  /** The GDS accession, e.g. `GDS507`. */
  id: string;
  title: string;
  description: string;
  /** `!dataset_value_type` as written: `count`, `transformed count`, `log2 ratio`, … ('' when absent). */
  valueType: string;
  /** True when the value type says the values are already log-scale (a log ratio or a transformed count). */
  isLog: boolean;
  /** The GPL accession of the platform, e.g. `GPL97`. */
  platform: string;
  organism: string;
  /** `!dataset_sample_count` / `!dataset_feature_count` as declared (null when absent); the table decides `samples` and `probes`. */
  sampleCount: number | null;
  featureCount: number | null;
  /** Every `!dataset_*` line of the first `^DATASET` header, key without the `!dataset_` prefix. */
  attributes: Record<string, string>;
}

export interface GdsSubset {
  /** e.g. `GDS507_1`. */
  id: string;
  /** The class this subset stands for, e.g. `RCC`. */
  description: string;
  /** e.g. `disease state`, `individual`, `agent`. */
  type: string;
  /** GSM ids, as listed. */
  samples: string[];
  /** Line of the `^SUBSET` line. */
  line: number;
}

export interface GdsSoft {
  /** The file read (names it in later errors). */
  file: string;
  /** `!Database_*` lines of `^DATABASE` (key without the prefix), e.g. `name`. */
  database: Record<string, string>;
  dataset: GdsDataset;
  subsets: GdsSubset[];
  /** `!Annotation_*` lines of `^ANNOTATION` (_full files), or null when there is none. */
  annotation: Record<string, string> | null;
  /** The `#name = description` lines: what each table column holds. */
  columns: Record<string, string>;
  /** Table columns after the GSM columns (_full files), e.g. `Gene title`, `Gene symbol`; their values are not kept except the symbol. */
  annotationColumns: string[];
  /** GSM ids in table-column order: the rows of `values`. */
  samples: string[];
  /** Probe ids (`ID_REF`) in table order: the keys of the columns of `values`. */
  probes: string[];
  /** Per probe a gene label: the `Gene symbol` annotation column when present and not empty, else `IDENTIFIER`. */
  symbols: string[];
  /** samples × probes, sample-major: sample s, probe p at `values[s * probes.length + p]`; NaN where missing. */
  values: Float32Array;
  /** How many values are missing (`null` or empty). */
  missing: number;
}

/** Reads a GDS SOFT file, gzipped or plain (see the module comment). */
export async function readGdsSoft(file: string): Promise<GdsSoft> {
  return parseGdsSoftLines(textLines(file), file);
}

/** Parses the lines of a GDS SOFT file; `file` names it in errors. */
export async function parseGdsSoftLines(lines: AsyncIterable<string> | Iterable<string>, file: string): Promise<GdsSoft> {
  const p = new SoftParser(file);
  for await (const line of lines) p.line(line);
  return p.finish();
}

/**
 * Per sample (in `soft.samples` order) the description of the subset of type `subsetType` it belongs
 * to — its class label — or null when it is in none. The type is matched ignoring case. Throws a
 * `DataError` when no subset has that type (listing the types there are) or a sample is in two
 * subsets of the type.
 */
export function labelsBySubsetType(soft: GdsSoft, subsetType: string): (string | null)[] {
  const want = subsetType.trim().toLowerCase();
  const chosen = soft.subsets.filter((s) => s.type.trim().toLowerCase() === want);
  if (chosen.length === 0) {
    throw new DataError(`${soft.file}: no subset of type '${subsetType}': the subset types are ${subsetTypeSummary(soft)}`);
  }
  const index = new Map(soft.samples.map((s, i) => [s, i]));
  const labels: (string | null)[] = new Array<string | null>(soft.samples.length).fill(null);
  const owner: (GdsSubset | null)[] = new Array<GdsSubset | null>(soft.samples.length).fill(null);
  for (const sub of chosen) {
    for (const gsm of sub.samples) {
      const i = index.get(gsm);
      if (i === undefined) {
        throw new DataError(`${soft.file}:${sub.line}: subset ${sub.id} names sample ${gsm}, which is not a column of the table`);
      }
      const prev = owner[i];
      if (prev !== null && prev !== sub) {
        throw new DataError(
          `${soft.file}:${sub.line}: sample ${gsm} is in two '${sub.type}' subsets: ${prev.id} (${prev.description}, line ${prev.line}) and ${sub.id} (${sub.description})`,
        );
      }
      owner[i] = sub;
      labels[i] = sub.description;
    }
  }
  return labels;
}

/** The subset types of a file with their subset counts, e.g. `'disease state' (2 subsets), 'individual' (10 subsets)`. */
export function subsetTypeSummary(soft: Pick<GdsSoft, 'subsets'>): string {
  const counts = new Map<string, number>();
  for (const s of soft.subsets) counts.set(s.type, (counts.get(s.type) ?? 0) + 1);
  if (counts.size === 0) return 'none (the file has no ^SUBSET blocks)';
  return [...counts].map(([t, n]) => `'${t}' (${n} subset${n === 1 ? '' : 's'})`).join(', ');
}

/** True for the value types GEO uses for log-scale data: `log ratio`, `log2 ratio`, `log10 ratio`, `log e ratio`, `transformed count`. */
export function isLogValueType(valueType: string): boolean {
  const v = valueType.trim().toLowerCase();
  return v.includes('log') || v.startsWith('transformed');
}

type Entity = 'database' | 'dataset' | 'subset' | 'annotation' | 'other';
type Mode = 'head' | 'tableHeader' | 'table' | 'after';

const OTHER_SOFT_FILES: Record<string, string> = {
  SERIES: 'a GSE series file',
  PLATFORM: 'a GPL platform file',
  SAMPLE: 'a GSM sample file',
};

interface SubsetDraft extends GdsSubset {
  seen: Set<string>;
  /** Line of its (last) `!subset_sample_id`: where an unknown sample is reported. */
  idsLine: number;
}

class SoftParser {
  private n = 0;
  private mode: Mode = 'head';
  private entity: Entity | null = null;
  private readonly database: Record<string, string> = {};
  private readonly datasetAttrs: Record<string, string> = {};
  private datasetId = '';
  private datasetBlocks = 0;
  private readonly subsets: SubsetDraft[] = [];
  private annotation: Record<string, string> | null = null;
  private readonly columns: Record<string, string> = {};
  private tableBegin = 0;
  private headerLine = 0;
  private header: string[] = [];
  private samples: string[] = [];
  private annotationColumns: string[] = [];
  private symbolColumn = -1;
  private readonly probes: string[] = [];
  private readonly symbols: string[] = [];
  private builder: SampleMajorBuilder | null = null;
  private missing = 0;

  constructor(private readonly file: string) {}

  private fail(message: string, line = this.n): never {
    throw new DataError(`${this.file}:${line}: ${message}`);
  }

  line(text: string): void {
    this.n++;
    switch (this.mode) {
      case 'table':
        if (text.startsWith('!dataset_table_end')) this.mode = 'after';
        else this.row(text);
        return;
      case 'tableHeader':
        this.tableHeader(text);
        return;
      case 'after':
        return;
      case 'head':
        this.headLine(text);
    }
  }

  private headLine(text: string): void {
    if (text.trim() === '') return;
    const c = text[0];
    if (this.entity === null && c !== '^') {
      this.fail(`not a GEO SOFT file: expected a line starting with ^DATABASE or ^DATASET, found ${JSON.stringify(text.slice(0, 40))}`);
    }
    if (c === '^') return this.entityLine(text);
    if (c === '#') {
      const [k, v] = keyValue(text.slice(1));
      this.columns[k] = v;
      return;
    }
    if (c !== '!') return; // free text; SOFT has none in a GDS file, tolerate it
    if (text.startsWith('!dataset_table_begin')) {
      if (this.entity !== 'dataset') this.fail('!dataset_table_begin outside a ^DATASET block');
      this.tableBegin = this.n;
      this.mode = 'tableHeader';
      return;
    }
    if (text.startsWith('!dataset_table_end')) this.fail('!dataset_table_end without !dataset_table_begin');
    const [key, value] = keyValue(text.slice(1));
    const lower = key.toLowerCase();
    switch (this.entity) {
      case 'database':
        this.database[stripPrefix(lower, 'database_')] = value;
        return;
      case 'dataset':
        // The first ^DATASET block is the header; a later one (before the table) adds nothing it already has.
        if (lower.startsWith('dataset_')) this.datasetAttrs[lower.slice(8)] ??= value;
        return;
      case 'annotation':
        this.annotation![stripPrefix(lower, 'annotation_')] = value;
        return;
      case 'subset':
        this.subsetAttribute(lower, value);
        return;
    }
  }

  private entityLine(text: string): void {
    const [rawKey, value] = keyValue(text.slice(1));
    const key = rawKey.toUpperCase();
    if (this.entity === null && OTHER_SOFT_FILES[key] !== undefined) {
      this.fail(`^${key}: this is ${OTHER_SOFT_FILES[key]}, not a GEO DataSet (GDS) file with a ^DATASET block`);
    }
    switch (key) {
      case 'DATABASE':
        this.entity = 'database';
        return;
      case 'DATASET':
        if (this.datasetBlocks > 0 && this.datasetId !== '' && value !== '' && value !== this.datasetId) {
          this.fail(`^DATASET = ${value}, but the file began with ^DATASET = ${this.datasetId}: one data set per file`);
        }
        if (this.datasetId === '') this.datasetId = value;
        this.datasetBlocks++;
        this.entity = 'dataset';
        return;
      case 'SUBSET':
        this.subsets.push({ id: value, description: '', type: '', samples: [], line: this.n, seen: new Set(), idsLine: this.n });
        this.entity = 'subset';
        return;
      case 'ANNOTATION':
        this.annotation ??= {};
        this.entity = 'annotation';
        return;
      default:
        this.entity = 'other';
    }
  }

  private subsetAttribute(key: string, value: string): void {
    const sub = this.subsets[this.subsets.length - 1];
    if (key === 'subset_description') sub.description = value;
    else if (key === 'subset_type') sub.type = value;
    else if (key === 'subset_sample_id') {
      sub.idsLine = this.n;
      for (const raw of value.split(',')) {
        const gsm = raw.trim();
        if (gsm === '') continue;
        if (sub.seen.has(gsm)) this.fail(`subset ${sub.id} lists sample ${gsm} twice`);
        sub.seen.add(gsm);
        sub.samples.push(gsm);
      }
    }
  }

  private tableHeader(text: string): void {
    const h = text.split('\t');
    if (h[0] !== 'ID_REF' || h[1] !== 'IDENTIFIER') {
      this.fail(`the table header must start with ID_REF and IDENTIFIER, found ${JSON.stringify(h.slice(0, 2).join('\t'))}`);
    }
    let end = 2;
    while (end < h.length && /^GSM\d+$/.test(h[end])) end++;
    if (end === 2) this.fail(`the table header has no sample (GSM…) columns after ID_REF and IDENTIFIER`);
    this.header = h;
    this.headerLine = this.n;
    this.samples = h.slice(2, end);
    this.annotationColumns = h.slice(end);
    this.symbolColumn = h.findIndex((c, i) => i >= end && c.trim().toLowerCase() === 'gene symbol');
    const columns = new Map<string, number>();
    this.samples.forEach((s, i) => {
      const prev = columns.get(s);
      if (prev !== undefined) this.fail(`sample ${s} is table column ${prev + 3} and again column ${i + 3}`);
      columns.set(s, i);
    });
    for (const sub of this.subsets) {
      const unknown = sub.samples.filter((s) => !columns.has(s));
      if (unknown.length > 0) {
        this.fail(
          `subset ${sub.id} (${sub.type}: ${sub.description}) names sample${unknown.length === 1 ? '' : 's'} ` +
            `${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ` and ${unknown.length - 3} more` : ''}, ` +
            `not ${unknown.length === 1 ? 'a column' : 'columns'} of the table (header at line ${this.n})`,
          sub.idsLine,
        );
      }
    }
    const hint = Number(this.datasetAttrs.feature_count);
    this.builder = new SampleMajorBuilder(this.samples.length, Number.isInteger(hint) && hint > 0 ? hint : 0);
    this.mode = 'table';
  }

  private row(text: string): void {
    const f = text.split('\t');
    if (f.length !== this.header.length) {
      if (text.trim() === '') this.fail(`empty line inside the table (header at line ${this.headerLine})`);
      this.fail(`row has ${f.length} field${f.length === 1 ? '' : 's'}, the header (line ${this.headerLine}) has ${this.header.length}`);
    }
    const { data, stride, index } = this.builder!.addFeature();
    const S = this.samples.length;
    for (let s = 0; s < S; s++) {
      const v = f[s + 2];
      let x: number;
      if (v === '' || v === 'null') {
        x = NaN;
        this.missing++;
      } else {
        x = Number(v);
        if (!Number.isFinite(x)) {
          this.fail(`value ${JSON.stringify(v)} of probe ${f[0]}, sample ${this.samples[s]} (column ${s + 3}) is not a number`);
        }
        if (x === 0 && v.trim() === '') {
          x = NaN; // blanks only: missing, like an empty field
          this.missing++;
        }
      }
      data[s * stride + index] = x;
    }
    const sym = this.symbolColumn >= 0 ? f[this.symbolColumn].trim() : '';
    this.probes.push(ownCopy(f[0]));
    this.symbols.push(ownCopy(sym !== '' && sym !== 'null' ? sym : f[1]));
  }

  finish(): GdsSoft {
    if (this.mode === 'head') {
      if (this.datasetBlocks === 0) this.fail(`no ^DATASET block: not a GEO DataSet (GDS) file (${this.n} lines)`);
      this.fail(`no data table: no !dataset_table_begin line in the ${this.n} lines of the file`);
    }
    if (this.mode === 'tableHeader') this.fail(`the file ends right after !dataset_table_begin (line ${this.tableBegin}): no table header`);
    if (this.mode === 'table') {
      this.fail(
        `the table that begins at line ${this.tableBegin} has no !dataset_table_end: the file ends after ${this.probes.length} rows (truncated?)`,
      );
    }
    const a = this.datasetAttrs;
    const int = (s: string | undefined): number | null => (s !== undefined && /^\d+$/.test(s.trim()) ? Number(s) : null);
    const valueType = a.value_type ?? '';
    return {
      file: this.file,
      database: this.database,
      dataset: {
        id: this.datasetId,
        title: a.title ?? '',
        description: a.description ?? '',
        valueType,
        isLog: isLogValueType(valueType),
        platform: a.platform ?? '',
        organism: a.platform_organism ?? a.sample_organism ?? '',
        sampleCount: int(a.sample_count),
        featureCount: int(a.feature_count),
        attributes: a,
      },
      subsets: this.subsets.map(({ seen: _seen, idsLine: _idsLine, ...s }) => s),
      annotation: this.annotation,
      columns: this.columns,
      annotationColumns: this.annotationColumns,
      samples: this.samples,
      probes: this.probes,
      symbols: this.symbols,
      values: this.builder!.finish(),
      missing: this.missing,
    };
  }
}

/** `key = value` → [key, value], both trimmed; a line without ` = ` is all key. */
function keyValue(s: string): [string, string] {
  const i = s.indexOf('=');
  return i < 0 ? [s.trim(), ''] : [s.slice(0, i).trim(), s.slice(i + 1).trim()];
}

function stripPrefix(key: string, prefix: string): string {
  return key.startsWith(prefix) ? key.slice(prefix.length) : key;
}

/**
 * A string that holds its own characters. A piece V8 cuts out of a longer string (by `split`) may be
 * a view that keeps the whole string alive: a probe id would keep its row — several kilobytes with 600
 * samples — so 54675 kept ids would hold the whole table text (measured: 250 MB of heap instead of 13).
 */
function ownCopy(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}
