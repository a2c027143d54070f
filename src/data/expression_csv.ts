import { parse } from 'csv-parse';
import { DataError } from '../errors';
import { openFileStream, streamReadError } from './gzip';

/**
 * Reader of expression matrices as CSV, the "bring your own data" path of gene selection (issue 11):
 * one row per sample; the columns are an optional sample-id column, label (phenotype) columns and gene
 * columns — what R writes with `write.csv(cbind(pData(eset), t(exprs(eset))))`, e.g.
 *
 *   sample,bt,lineage,mol_biol,1000_at,1001_at,…
 *   01005,B2,B,BCR/ABL,7.59732298116387,5.04619428562006,…
 *
 * Every column that is not the id column, the label column, one of `labelColumns` or one of `exclude`
 * is a gene column and must hold numbers; `NA`, `NaN`, `null` and empty fields are missing values
 * (NaN). The file, gzipped (recognised by its magic bytes 1f 8b, never by its name) or plain, is
 * streamed through zlib and csv-parse's streaming API, one record at a time, so a 100 MB file is never
 * one string; the values go straight into float32 rows. Every problem is a one-line `DataError`
 * "file:line: what", the line being the CSV line the record ends on.
 *
 * The result has the shape of the GEO SOFT reader's (`GdsSoft`: samples, probes, symbols, values
 * sample-major, missing), plus one label per sample, so the gene-selection task can take either.
 */

export interface ExpressionCsvOptions {
  /** The column that holds the class of each sample (required), e.g. `mol_biol`, `outcome`. */
  labelColumn: string;
  /**
   * The sample-id column. Default: the first column when its header is empty (R's row names) or one of
   * `sample`, `samples`, `sample_id`, `sampleid`, `sample id`, `id`, `gsm`, `geo_accession`, `name`
   * (any case); else there is none and samples are named by their CSV line, `line2`, `line3`, ….
   * `null`: no id column, even when the first column looks like one.
   */
  idColumn?: string | null;
  /** Other label (phenotype) columns: not genes; their values are kept per sample in `phenotypes`. */
  labelColumns?: readonly string[];
  /** Columns to drop altogether (neither genes nor labels). */
  exclude?: readonly string[];
  /**
   * Keep only samples whose label is one of these (in this order in `classes`); the other rows are
   * dropped and counted. Default: every label value is a class.
   */
  classes?: readonly string[];
  /** Field delimiter, default `,`. */
  delimiter?: string;
}

export interface ExpressionCsv {
  /** The file read (names it in later errors). */
  file: string;
  /** The id column used, or null when the samples are named by line. */
  idColumn: string | null;
  labelColumn: string;
  /** Sample ids of the kept rows, in file order: the rows of `values`. */
  samples: string[];
  /** Gene column names in file order: the keys of the columns of `values`. */
  probes: string[];
  /** Per gene a label; a CSV carries no symbols, so these are the column names (as `GdsSoft.symbols` falls back to the probe id). */
  symbols: string[];
  /** samples × probes, sample-major: sample s, gene g at `values[s * probes.length + g]`; NaN where missing. */
  values: Float32Array;
  /** How many values of the kept rows are missing (`NA`, `NaN`, `null`, empty). */
  missing: number;
  /** The class of each kept sample (a value of `labelColumn`). */
  labels: string[];
  /** The classes: `options.classes` in its order, else the label values sorted. */
  classes: string[];
  /** Kept samples per class, parallel to `classes`. */
  classCounts: number[];
  /** Per `labelColumns` entry, its value for each kept sample. */
  phenotypes: Record<string, string[]>;
  /** Columns dropped by `exclude`. */
  excluded: string[];
  /** Data rows in the file. */
  rows: number;
  /** Rows dropped: label not in `options.classes`, or a missing label (`NA` or empty). */
  dropped: number;
  /** Dropped rows per label value (a missing label counts under `''`). */
  droppedByLabel: Record<string, number>;
}

/** Reads an expression-matrix CSV, gzipped or plain (see the module comment). */
export async function readExpressionCsv(file: string, options: ExpressionCsvOptions): Promise<ExpressionCsv> {
  const stream = openFileStream(file);
  const parser = parse({
    delimiter: options.delimiter ?? ',',
    info: true,
    bom: true,
    relax_column_count: true, // ragged rows get our own message
    skip_empty_lines: true,
  });
  stream.input.on('error', (e) => parser.destroy(e));
  stream.input.pipe(parser);
  const reader = new CsvReader(file, options);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      reader.record(record, info.lines);
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    const err = e as NodeJS.ErrnoException & { lines?: number };
    if (typeof err.code === 'string' && err.code.startsWith('CSV_')) {
      throw new DataError(`${file}:${err.lines ?? reader.lastLine + 1}: ${oneLine(err.message)}`);
    }
    throw streamReadError(file, stream.gzip, reader.lastLine === 0 ? 'before the first line' : `after line ${reader.lastLine}`, err);
  } finally {
    parser.destroy();
    stream.destroy();
  }
  return reader.finish();
}

/** Header names taken as the sample-id column when it is the first column (compared in lower case). */
const ID_NAMES = new Set(['', 'sample', 'samples', 'sample_id', 'sampleid', 'sample id', 'id', 'gsm', 'geo_accession', 'name']);
/** Fields that are missing values (compared after trimming). */
const MISSING = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'NAN', 'null', 'NULL']);
/** A decimal number as R, numpy and pandas write them. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

class CsvReader {
  lastLine = 0;
  private header: string[] | null = null;
  private headerLine = 0;
  private idCol = -1;
  private labelCol = -1;
  private phenoCols: number[] = [];
  private excludedNames: string[] = [];
  /** Column index of each gene. */
  private geneCols: number[] = [];
  private probes: string[] = [];
  private labelChecked = false;
  private readonly keep: Set<string> | null;
  private readonly samples: string[] = [];
  private readonly labels: string[] = [];
  private readonly phenotypes: string[][] = [];
  private readonly rowsData: Float32Array[] = [];
  private missing = 0;
  private rows = 0;
  private dropped = 0;
  private readonly droppedByLabel = new Map<string, number>();

  constructor(
    private readonly file: string,
    private readonly options: ExpressionCsvOptions,
  ) {
    if (typeof options.labelColumn !== 'string' || options.labelColumn === '') {
      throw new DataError(`${file}: labelColumn is required: the column that holds each sample's class`);
    }
    this.keep = options.classes ? new Set(options.classes) : null;
    if (this.keep && this.keep.size !== options.classes!.length) {
      throw new DataError(`${file}: classes ${JSON.stringify(options.classes)} names a class twice`);
    }
  }

  private fail(message: string, line = this.lastLine): never {
    throw new DataError(`${this.file}:${line}: ${message}`);
  }

  record(fields: string[], line: number): void {
    this.lastLine = line;
    if (this.header === null) return this.readHeader(fields, line);
    const H = this.header.length;
    if (fields.length !== H) {
      this.fail(
        `row has ${fields.length} field${fields.length === 1 ? '' : 's'}, the header (line ${this.headerLine}) has ${H}` +
          (fields.length < H ? ' (a row cut short: is the file truncated?)' : ''),
      );
    }
    if (!this.labelChecked) this.checkLabelColumn(fields);
    this.rows++;
    const label = fields[this.labelCol].trim();
    if (MISSING.has(label) || (this.keep !== null && !this.keep.has(label))) {
      const key = MISSING.has(label) ? '' : label;
      this.droppedByLabel.set(key, (this.droppedByLabel.get(key) ?? 0) + 1);
      this.dropped++;
      // The gene values of a dropped row are still checked: a broken file is broken whatever is kept.
      this.values(fields, null);
      return;
    }
    const row = new Float32Array(this.geneCols.length);
    this.values(fields, row);
    this.rowsData.push(row);
    this.labels.push(label);
    this.samples.push(this.idCol >= 0 ? fields[this.idCol].trim() : `line${line}`);
    this.phenotypes.push(this.phenoCols.map((c) => fields[c].trim()));
  }

  private values(fields: string[], row: Float32Array | null): void {
    const cols = this.geneCols;
    let missing = 0;
    for (let g = 0; g < cols.length; g++) {
      const v = fields[cols[g]];
      let x: number;
      if (NUMBER.test(v)) x = Number(v);
      else {
        const t = v.trim();
        if (MISSING.has(t)) {
          x = NaN;
          missing++;
        } else if (NUMBER.test(t)) x = Number(t);
        else {
          const sample = this.idCol >= 0 ? `sample ${fields[this.idCol].trim()}` : 'this row';
          this.fail(
            `value ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)} of gene column '${this.probes[g]}' ` +
              `(column ${cols[g] + 1}), ${sample}, is not a number; if this column is not a gene, name it in labelColumns or exclude`,
          );
        }
      }
      if (row) row[g] = x;
    }
    if (row) this.missing += missing;
  }

  private readHeader(fields: string[], line: number): void {
    const o = this.options;
    const h = fields.map((f) => f.trim());
    this.header = h;
    this.headerLine = line;
    if (h.length === 1 && h[0].includes('\t') && (o.delimiter ?? ',') === ',') {
      this.fail(`the header is one column holding tabs: a tab-separated file? (pass delimiter: '\\t')`);
    }
    const index = new Map<string, number>();
    h.forEach((name, i) => {
      const prev = index.get(name);
      if (prev !== undefined && !(name === '' && i > 0 && prev === 0)) {
        this.fail(`column ${i + 1} is named ${JSON.stringify(name)} like column ${prev + 1}: duplicate ${name === '' ? 'empty column name' : `gene/column name '${name}'`}`);
      }
      if (prev === undefined) index.set(name, i);
    });
    const need = (name: string, what: string): number => {
      const i = index.get(name);
      if (i === undefined) this.fail(`${what} '${name}' is not a column of the header (${h.length} columns: ${preview(h)})`);
      return i;
    };
    for (const c of [...(o.labelColumns ?? []), ...(o.exclude ?? [])]) {
      if (c === o.labelColumn) this.fail(`labelColumn '${c}' is also named in ${(o.exclude ?? []).includes(c) ? 'exclude' : 'labelColumns'}`);
    }
    const id = o.idColumn;
    if (id === undefined) this.idCol = ID_NAMES.has(h[0].toLowerCase()) && h[0] !== o.labelColumn ? 0 : -1;
    else if (id !== null) this.idCol = need(id, 'idColumn');
    // The label column is checked at the first data row, so that the message can list the columns that hold labels.
    this.labelCol = index.get(o.labelColumn) ?? -1;
    this.phenoCols = (o.labelColumns ?? []).map((c) => need(c, 'labelColumns entry'));
    const excluded = (o.exclude ?? []).map((c) => need(c, 'exclude entry'));
    this.excludedNames = excluded.map((c) => h[c]);
    const notGene = new Set<number>([...this.phenoCols, ...excluded]);
    if (this.idCol >= 0) notGene.add(this.idCol);
    if (this.labelCol >= 0) notGene.add(this.labelCol);
    for (let i = 0; i < h.length; i++) {
      if (notGene.has(i)) continue;
      if (h[i] === '') this.fail(`column ${i + 1} has an empty name; only the first (sample-id) column may`);
      this.geneCols.push(i);
      this.probes.push(h[i]);
    }
  }

  private checkLabelColumn(first: string[]): void {
    this.labelChecked = true;
    if (this.labelCol >= 0) return;
    const h = this.header!;
    const labelLike = h.filter((_, i) => i !== this.idCol && !isNumberOrMissing(first[i]));
    this.fail(
      `labelColumn '${this.options.labelColumn}' is not a column of the header; ` +
        (labelLike.length > 0
          ? `columns with non-numeric values (label columns?): ${preview(labelLike)}`
          : `no column holds non-numeric values; the header begins ${preview(h)}`),
      this.headerLine,
    );
  }

  finish(): ExpressionCsv {
    const o = this.options;
    if (this.header === null) throw new DataError(`${this.file}: empty file: no header line`);
    if (this.rows === 0) this.fail(`no data rows after the header (line ${this.headerLine})`);
    const counts = new Map<string, number>();
    for (const l of this.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    const all = new Map<string, number>(counts);
    for (const [l, n] of this.droppedByLabel) if (l !== '') all.set(l, (all.get(l) ?? 0) + n);
    const values = () => [...all].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([l, n]) => `${l} ${n}`).join(', ');
    if (o.classes) {
      const absent = o.classes.filter((c) => !counts.has(c));
      if (absent.length > 0) {
        throw new DataError(
          `${this.file}: classes ${absent.map((c) => `'${c}'`).join(', ')} ${absent.length === 1 ? 'is' : 'are'} not a value of column '${o.labelColumn}' (its values: ${values()})`,
        );
      }
    }
    const classes = o.classes ? [...o.classes] : [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (classes.length < 2) {
      throw new DataError(
        `${this.file}: column '${o.labelColumn}' gives ${classes.length === 0 ? 'no class' : `one class (${classes[0]})`}` +
          `${o.classes ? ' after filtering by classes' : ''}; a classification needs at least two (its values: ${values() || 'none'})`,
      );
    }
    const G = this.probes.length;
    const values32 = new Float32Array(this.rowsData.length * G);
    this.rowsData.forEach((r, s) => values32.set(r, s * G));
    this.rowsData.length = 0;
    const phenotypes: Record<string, string[]> = {};
    this.phenoCols.forEach((c, j) => (phenotypes[this.header![c]] = this.phenotypes.map((p) => p[j])));
    return {
      file: this.file,
      idColumn: this.idCol >= 0 ? this.header[this.idCol] : null,
      labelColumn: o.labelColumn,
      samples: this.samples,
      probes: this.probes,
      symbols: [...this.probes],
      values: values32,
      missing: this.missing,
      labels: this.labels,
      classes,
      classCounts: classes.map((c) => counts.get(c) ?? 0),
      phenotypes,
      excluded: this.excludedNames,
      rows: this.rows,
      dropped: this.dropped,
      droppedByLabel: Object.fromEntries(this.droppedByLabel),
    };
  }
}

function isNumberOrMissing(v: string | undefined): boolean {
  if (v === undefined) return true;
  const t = v.trim();
  return MISSING.has(t) || NUMBER.test(t);
}

/** The first few names, quoted, and how many more. */
function preview(names: readonly string[], n = 8): string {
  const shown = names.slice(0, n).map((s) => `'${s}'`).join(', ');
  return names.length > n ? `${shown} and ${names.length - n} more` : shown;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}

