import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DataError } from '../errors';
import { ExpressionCsv, ExpressionCsvOptions, readExpressionCsv } from './expression_csv';

// The real expression sets of ../shared/data/expression (Debian r-bioc-all and r-bioc-bladderbatch,
// Artistic-2.0; see ../shared/data/README.md), read in place, not copied into the repo. Every count and
// value asserted below was read from the files with zcat and awk, e.g.
//   zcat all-leukemia.csv.gz | awk -F, 'NR>1{c[$4]++} END{for(k in c) print k, c[k]}'
const EXPRESSION = path.join(__dirname, '..', '..', '..', 'shared', 'data', 'expression');
const ALL = path.join(EXPRESSION, 'all-leukemia.csv.gz');
const BLADDER = path.join(EXPRESSION, 'bladderbatch.csv.gz');

const ALL_OPTIONS: ExpressionCsvOptions = { labelColumn: 'mol_biol', labelColumns: ['bt', 'lineage'], classes: ['BCR/ABL', 'NEG'] };
const BLADDER_OPTIONS: ExpressionCsvOptions = { labelColumn: 'outcome', labelColumns: ['cancer', 'batch'] };

let dir: string;
let all: ExpressionCsv;
let bladder: ExpressionCsv;
/** The decompressed ALL file split at '\n' (it ends with one: the last element is ''). */
let allLines: string[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-expression-csv-'));
  allLines = zlib.gunzipSync(fs.readFileSync(ALL)).toString('utf8').split('\n');
  all = await readExpressionCsv(ALL, ALL_OPTIONS);
  bladder = await readExpressionCsv(BLADDER, BLADDER_OPTIONS);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The value of `gene` for `sample`. */
function value(e: ExpressionCsv, sample: string, gene: string): number {
  const s = e.samples.indexOf(sample);
  const g = e.probes.indexOf(gene);
  expect(s).toBeGreaterThanOrEqual(0);
  expect(g).toBeGreaterThanOrEqual(0);
  return e.values[s * e.probes.length + g];
}

/**
 * Writes a variant of the ALL file — its header and first `rows` data rows (all of them by default),
 * edited by `edit` (which sees line i of the file at index i − 1) — gzipped or plain, and returns its path.
 */
function variant(name: string, edit: (ls: string[]) => string[], opts: { rows?: number; gzip?: boolean } = {}): string {
  const rows = opts.rows ?? 30;
  const ls = allLines.slice(0, 1 + rows);
  const text = edit(ls).join('\n') + '\n';
  const file = path.join(dir, name);
  fs.writeFileSync(file, opts.gzip ? zlib.gzipSync(text) : text);
  return file;
}

/** Replaces field `col` (1-based) of line `line` (1-based) of `ls`. */
function setField(ls: string[], line: number, col: number, v: string): string[] {
  const f = ls[line - 1].split(',');
  f[col - 1] = v;
  ls[line - 1] = f.join(',');
  return ls;
}

/** The DataError `readExpressionCsv` rejects with; checks that it is one line. */
async function errorOf(file: string, options: ExpressionCsvOptions = ALL_OPTIONS): Promise<string> {
  const e = await readExpressionCsv(file, options).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DataError);
  const msg = (e as DataError).message;
  expect(msg).not.toContain('\n');
  return msg;
}

describe('readExpressionCsv on the real ALL leukemia set (mol_biol BCR/ABL vs NEG)', () => {
  test('128 rows × 12625 genes; BCR/ABL 37 and NEG 74 kept, the other 17 dropped and counted', () => {
    expect(all.rows).toBe(128);
    expect(all.idColumn).toBe('sample');
    expect(all.labelColumn).toBe('mol_biol');
    expect(all.probes).toHaveLength(12625);
    expect(all.probes[0]).toBe('1000_at');
    expect(all.probes[4995]).toBe('34949_at'); // column 5000 of the file
    expect(all.probes[12624]).toBe('AFFX-YEL024w/RIP1_at');
    expect(all.symbols).toEqual(all.probes);
    expect(all.classes).toEqual(['BCR/ABL', 'NEG']);
    expect(all.classCounts).toEqual([37, 74]);
    expect(all.samples).toHaveLength(111);
    expect(all.labels).toHaveLength(111);
    expect(all.labels.filter((l) => l === 'BCR/ABL')).toHaveLength(37);
    expect(all.dropped).toBe(17);
    expect(all.droppedByLabel).toEqual({ 'ALL1/AF4': 10, 'E2A/PBX1': 5, 'NUP-98': 1, 'p15/p16': 1 });
    expect(all.values).toBeInstanceOf(Float32Array);
    expect(all.values).toHaveLength(111 * 12625);
  });

  test('sample ids stay strings (leading zeros kept), label columns kept per sample', () => {
    expect(all.samples.slice(0, 3)).toEqual(['01005', '01010', '03002']);
    expect(all.samples[59]).toBe('31011'); // the 60th kept row is line 74
    expect(all.samples[110]).toBe('LAL4'); // line 129, the last
    expect(all.labels.slice(0, 3)).toEqual(['BCR/ABL', 'NEG', 'BCR/ABL']);
    expect(Object.keys(all.phenotypes)).toEqual(['bt', 'lineage']);
    expect(all.phenotypes.bt.slice(0, 3)).toEqual(['B2', 'B2', 'B4']);
    expect(all.phenotypes.lineage.filter((l) => l === 'B').length + all.phenotypes.lineage.filter((l) => l === 'T').length).toBe(111);
  });

  test('values match awk, in float32, no missing values', () => {
    expect(value(all, '01005', '1000_at')).toBe(Math.fround(7.59732298116387));
    expect(value(all, '01010', '1001_at')).toBe(Math.fround(4.93253700522235));
    expect(value(all, '31011', '34949_at')).toBe(Math.fround(7.81862888864096));
    expect(value(all, '31011', 'AFFX-YEL024w/RIP1_at')).toBe(Math.fround(3.58577799829128));
    expect(value(all, 'LAL4', '1000_at')).toBe(Math.fround(7.702217096096));
    expect(value(all, 'LAL4', '1896_s_at')).toBe(Math.fround(4.51265702412461));
    expect(value(all, 'LAL4', 'AFFX-YEL024w/RIP1_at')).toBe(Math.fround(3.84253522763189));
    // awk: sum of 1000_at over the BCR/ABL and NEG rows = 839.7244323597
    let sum = 0;
    for (let s = 0; s < 111; s++) sum += all.values[s * 12625];
    expect(sum).toBeCloseTo(839.7244323597, 4);
    expect(all.missing).toBe(0);
  });

  test('without classes: six classes, sorted, nothing dropped', async () => {
    const e = await readExpressionCsv(ALL, { labelColumn: 'mol_biol', exclude: ['bt', 'lineage'] });
    expect(e.classes).toEqual(['ALL1/AF4', 'BCR/ABL', 'E2A/PBX1', 'NEG', 'NUP-98', 'p15/p16']);
    expect(e.classCounts).toEqual([10, 37, 5, 74, 1, 1]);
    expect(e.samples).toHaveLength(128);
    expect(e.dropped).toBe(0);
    expect(e.excluded).toEqual(['bt', 'lineage']);
    expect(e.phenotypes).toEqual({});
    expect(e.probes).toHaveLength(12625);
  });
});

describe('readExpressionCsv on the real bladder set (5-class outcome)', () => {
  test('57 samples × 22283 genes, outcome classes as counted with awk', () => {
    expect(bladder.rows).toBe(57);
    expect(bladder.samples).toHaveLength(57);
    expect(bladder.probes).toHaveLength(22283);
    expect(bladder.probes[0]).toBe('1007_s_at');
    expect(bladder.probes[22282]).toBe('AFFX-TrpnX-M_at');
    expect(bladder.classes).toEqual(['Biopsy', 'Normal', 'mTCC', 'sTCC+CIS', 'sTCC-CIS']);
    expect(bladder.classCounts).toEqual([9, 8, 12, 12, 16]);
    expect(bladder.dropped).toBe(0);
    expect(bladder.values).toHaveLength(57 * 22283);
    expect(bladder.missing).toBe(0);
  });

  test('ids, label columns and values match awk', () => {
    expect(bladder.samples[0]).toBe('GSM71019.CEL');
    expect(bladder.samples[28]).toBe('GSM71048.CEL'); // line 30
    expect(bladder.samples[56]).toBe('GSM71077.CEL');
    expect(bladder.labels[28]).toBe('mTCC');
    expect(bladder.phenotypes.cancer[28]).toBe('Cancer');
    expect(bladder.phenotypes.batch[28]).toBe('1');
    expect(value(bladder, 'GSM71019.CEL', '1007_s_at')).toBe(Math.fround(10.115169888001));
    expect(value(bladder, 'GSM71048.CEL', '212611_at')).toBe(Math.fround(10.0680079506827));
    expect(value(bladder, 'GSM71077.CEL', '210532_s_at')).toBe(Math.fround(8.30314209270874));
    expect(value(bladder, 'GSM71077.CEL', 'AFFX-TrpnX-M_at')).toBe(Math.fround(3.5758163614286));
    // awk over all gene fields: min 2.76967271027191, max 14.0269525906569, sum 7786137.421945
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const x of bladder.values) {
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
    }
    expect(min).toBe(Math.fround(2.76967271027191));
    expect(max).toBe(Math.fround(14.0269525906569));
    expect(Math.abs(sum - 7786137.421945) / 7786137.421945).toBeLessThan(1e-7);
  });

  test('an unknown label column lists the columns with non-numeric values (batch is numeric)', async () => {
    const msg = await errorOf(BLADDER, { labelColumn: 'Outcome' });
    expect(msg).toBe(
      `${BLADDER}:1: labelColumn 'Outcome' is not a column of the header; columns with non-numeric values (label columns?): 'outcome', 'cancer'`,
    );
  });
});

describe('readExpressionCsv on variants of the real ALL file', () => {
  test('plain text and gzip are told apart by magic bytes, not by name', async () => {
    const plain = variant('plain.csv.gz', (ls) => ls);
    const gz = variant('gzip.csv', (ls) => ls, { gzip: true });
    const a = await readExpressionCsv(plain, ALL_OPTIONS);
    const b = await readExpressionCsv(gz, ALL_OPTIONS);
    // awk on lines 2–31: BCR/ABL 13, NEG 12, ALL1/AF4 4, E2A/PBX1 1
    expect(a.classCounts).toEqual([13, 12]);
    expect(a.droppedByLabel).toEqual({ 'ALL1/AF4': 4, 'E2A/PBX1': 1 });
    expect(b.samples).toEqual(a.samples);
    expect(b.values).toEqual(a.values);
  });

  test('NA, NaN, null and empty gene values are missing (NaN) and counted; a missing label drops the row', async () => {
    const file = variant('missing.csv', (ls) => {
      setField(ls, 2, 5, 'NA'); // 01005, 1000_at
      setField(ls, 2, 12629, ''); // 01005, last gene
      setField(ls, 3, 100, 'NaN');
      setField(ls, 4, 7, 'null');
      setField(ls, 6, 4, 'NA'); // a missing label: the row is dropped, its NA value not counted
      return setField(ls, 6, 9, 'NA');
    });
    const e = await readExpressionCsv(file, ALL_OPTIONS);
    expect(e.missing).toBe(4);
    expect(value(e, '01005', '1000_at')).toBeNaN();
    expect(value(e, '01005', 'AFFX-YEL024w/RIP1_at')).toBeNaN();
    expect(value(e, '01005', '1001_at')).toBe(Math.fround(5.04619428562006));
    expect(e.dropped).toBe(6);
    expect(e.droppedByLabel['']).toBe(1);
    expect(e.samples).not.toContain(allLines[5].split(',')[0]);
  });

  test('a file cut mid-row: the ragged last row, with its line', async () => {
    const file = variant('cut.csv.gz', (ls) => [...ls.slice(0, 20), ls[20].slice(0, 70000)], { gzip: true });
    const msg = await errorOf(file);
    expect(msg).toMatch(new RegExp(`^${escape(file)}:21: row has \\d+ fields, the header \\(line 1\\) has 12629 \\(a row cut short: is the file truncated\\?\\)$`));
  });

  test('an extra field in a row', async () => {
    const file = variant('extra.csv', (ls) => {
      ls[11] += ',7.5';
      return ls;
    });
    expect(await errorOf(file)).toBe(`${file}:12: row has 12630 fields, the header (line 1) has 12629`);
  });

  test('a non-numeric gene value names the column, the sample and the line', async () => {
    const file = variant('nonnumeric.csv', (ls) => setField(ls, 7, 5000, '7.8x'));
    expect(await errorOf(file)).toBe(
      `${file}:7: value "7.8x" of gene column '34949_at' (column 5000), sample ${allLines[6].split(',')[0]}, is not a number; ` +
        'if this column is not a gene, name it in labelColumns or exclude',
    );
  });

  test('a label column not declared is a non-numeric gene value', async () => {
    const msg = await errorOf(variant('undeclared.csv', (ls) => ls), { labelColumn: 'mol_biol' });
    expect(msg).toMatch(/:2: value "B2" of gene column 'bt' \(column 2\), sample 01005, is not a number;/);
  });

  test('a truncated gzip stream', async () => {
    const whole = zlib.gzipSync(allLines.slice(0, 41).join('\n') + '\n');
    const file = path.join(dir, 'truncated.csv.gz');
    fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    const msg = await errorOf(file);
    const m = /^(.*): truncated gzip stream: the data end after line (\d+) \(an interrupted download\?\)$/.exec(msg);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(file);
    expect(Number(m![2])).toBeGreaterThan(1);
    expect(Number(m![2])).toBeLessThan(41);
  });

  test('an unknown label column lists the non-numeric columns', async () => {
    expect(await errorOf(ALL, { labelColumn: 'mol.biol' })).toBe(
      `${ALL}:1: labelColumn 'mol.biol' is not a column of the header; columns with non-numeric values (label columns?): 'bt', 'lineage', 'mol_biol'`,
    );
  });

  test('unknown labelColumns / exclude / idColumn names', async () => {
    const file = variant('ok.csv', (ls) => ls, { rows: 3 });
    expect(await errorOf(file, { ...ALL_OPTIONS, labelColumns: ['BT'] })).toMatch(
      /:1: labelColumns entry 'BT' is not a column of the header \(12629 columns: 'sample', 'bt', 'lineage', 'mol_biol', '1000_at', .* and 12621 more\)$/,
    );
    expect(await errorOf(file, { ...ALL_OPTIONS, exclude: ['x'] })).toMatch(/:1: exclude entry 'x' is not a column/);
    expect(await errorOf(file, { ...ALL_OPTIONS, idColumn: 'id' })).toMatch(/:1: idColumn 'id' is not a column/);
  });

  test('fewer than two classes after filtering; a class that is not a label value', async () => {
    // awk on lines 2–31: ALL1/AF4 4, BCR/ABL 13, E2A/PBX1 1, NEG 12
    const file = variant('first30.csv', (ls) => ls);
    expect(await errorOf(file, { ...ALL_OPTIONS, classes: ['NEG'] })).toBe(
      `${file}: column 'mol_biol' gives one class (NEG) after filtering by classes; a classification needs at least two ` +
        '(its values: ALL1/AF4 4, BCR/ABL 13, E2A/PBX1 1, NEG 12)',
    );
    expect(await errorOf(file, { ...ALL_OPTIONS, classes: ['BCR/ABL', 'NEG', 'BCR-ABL'] })).toBe(
      `${file}: classes 'BCR-ABL' is not a value of column 'mol_biol' (its values: ALL1/AF4 4, BCR/ABL 13, E2A/PBX1 1, NEG 12)`,
    );
    const one = variant('one-class.csv', (ls) => [ls[0], ...ls.slice(1).filter((l) => l.split(',')[3] === 'NEG')]);
    expect(await errorOf(one, { labelColumn: 'mol_biol', labelColumns: ['bt', 'lineage'] })).toBe(
      `${one}: column 'mol_biol' gives one class (NEG); a classification needs at least two (its values: NEG 12)`,
    );
  });

  test('a header with a duplicate gene name', async () => {
    const file = variant('dup.csv', (ls) => setField(ls, 1, 9, '1000_at'), { rows: 3 });
    expect(await errorOf(file)).toBe(`${file}:1: column 9 is named "1000_at" like column 5: duplicate gene/column name '1000_at'`);
  });

  test('R row names (empty first header) are the ids; idColumn null makes line names', async () => {
    const file = variant('rownames.csv', (ls) => setField(ls, 1, 1, '""'), { rows: 5 });
    const e = await readExpressionCsv(file, ALL_OPTIONS);
    expect(e.idColumn).toBe('');
    expect(e.samples[0]).toBe('01005');
    const n = await readExpressionCsv(variant('noid.csv', (ls) => ls, { rows: 5 }), { ...ALL_OPTIONS, idColumn: null, exclude: ['sample'] });
    expect(n.idColumn).toBeNull();
    expect(n.samples[0]).toBe('line2');
    expect(n.probes).toHaveLength(12625);
  });

  test('a tab-separated file read with the default comma delimiter says so; with delimiter "\\t" it reads', async () => {
    const file = variant('tabs.tsv', (ls) => ls.map((l) => l.replace(/,/g, '\t')), { rows: 5 });
    expect(await errorOf(file)).toBe(`${file}:1: the header is one column holding tabs: a tab-separated file? (pass delimiter: '\\t')`);
    const e = await readExpressionCsv(file, { ...ALL_OPTIONS, delimiter: '\t' });
    expect(e.probes).toHaveLength(12625);
    expect(value(e, '01005', '1000_at')).toBe(Math.fround(7.59732298116387));
  });

  test('a missing file and an empty file', async () => {
    const missing = path.join(dir, 'nope.csv');
    expect(await errorOf(missing)).toBe(`${missing}: cannot read: no such file`);
    const empty = path.join(dir, 'empty.csv');
    fs.writeFileSync(empty, '');
    expect(await errorOf(empty)).toBe(`${empty}: empty file: no header line`);
    const headerOnly = variant('header-only.csv', (ls) => ls, { rows: 0 });
    expect(await errorOf(headerOnly)).toBe(`${headerOnly}:1: no data rows after the header (line 1)`);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
