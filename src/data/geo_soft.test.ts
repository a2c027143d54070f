import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DataError } from '../errors';
import { GdsSoft, labelsBySubsetType, readGdsSoft } from './geo_soft';

// The real GEO DataSet GDS507 (NCBI GEO, public; see data/README.md), committed as a fixture. The facts
// asserted below were read from the file with zcat, grep and awk.
const GDS507 = path.join(__dirname, '../../data/geo/GDS507.soft.gz');

let dir: string;
let soft: GdsSoft;
/** The decompressed file, split at '\n' (it ends with one: the last element is ''). */
let lines: string[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-geo-soft-'));
  lines = zlib.gunzipSync(fs.readFileSync(GDS507)).toString('utf8').split('\n');
  soft = await readGdsSoft(GDS507);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes a variant of GDS507 (plain text, or gzipped with `gzip`) and returns its path. */
function variant(name: string, edit: (ls: string[]) => string[], gzip = false): string {
  const file = path.join(dir, name);
  const text = edit([...lines]).join('\n');
  fs.writeFileSync(file, gzip ? zlib.gzipSync(text) : text);
  return file;
}

/** The value of `probe` for sample `gsm`. */
function value(s: GdsSoft, probe: string, gsm: string): number {
  return s.values[s.samples.indexOf(gsm) * s.probes.length + s.probes.indexOf(probe)];
}

/** The DataError `readGdsSoft(file)` rejects with; checks that it is one line. */
async function errorOf(file: string): Promise<string> {
  const e = await readGdsSoft(file).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DataError);
  const msg = (e as DataError).message;
  expect(msg).not.toContain('\n');
  return msg;
}

describe('readGdsSoft on the real GDS507', () => {
  test('header: data set, value type, platform, database', () => {
    expect(soft.dataset).toMatchObject({
      id: 'GDS507',
      title: 'Renal clear cell carcinoma (HG-U133B)',
      valueType: 'count',
      isLog: false,
      platform: 'GPL97',
      organism: 'Homo sapiens',
      sampleCount: 17,
      featureCount: 22645,
    });
    expect(soft.dataset.attributes.reference_series).toBe('GSE781');
    expect(soft.database.name).toBe('Gene Expression Omnibus (GEO)');
    expect(soft.annotation).toBeNull(); // not a _full file
    expect(soft.annotationColumns).toEqual([]);
    expect(soft.columns.ID_REF).toBe('Platform reference identifier');
    expect(soft.columns.GSM11815).toMatch(/^Value for GSM11815: C035 Renal Clear Cell Carcinoma U133B/);
  });

  test('17 samples × 22645 probes, in table order, no missing values', () => {
    expect(soft.samples).toHaveLength(17);
    expect(soft.samples.slice(0, 2)).toEqual(['GSM11815', 'GSM11832']);
    expect(soft.samples[16]).toBe('GSM12448');
    expect(soft.probes).toHaveLength(22645);
    expect(soft.symbols).toHaveLength(22645);
    expect(soft.probes[0]).toBe('200000_s_at');
    expect(soft.symbols[0]).toBe('PRPF8');
    expect(soft.probes[22644]).toBe('AFFX-TrpnX-M_at');
    expect(soft.symbols.filter((s) => s === '--Control')).toHaveLength(68);
    expect(soft.values).toBeInstanceOf(Float32Array);
    expect(soft.values).toHaveLength(17 * 22645);
    expect(soft.missing).toBe(0);
  });

  test('values: known probes and samples, sample-major, and the sum, min and max of the table', () => {
    expect(value(soft, '200001_at', 'GSM11815')).toBe(Math.fround(17996.2));
    expect(value(soft, '200000_s_at', 'GSM12101')).toBe(Math.fround(3566.4));
    expect(value(soft, 'AFFX-TrpnX-M_at', 'GSM12448')).toBe(Math.fround(12.7));
    expect(value(soft, '227203_at', 'GSM12269')).toBe(Math.fround(320.3));
    // One sample's row is contiguous: GSM11832 is row 1.
    const P = soft.probes.length;
    expect(soft.values[1 * P + 0]).toBe(Math.fround(5298.2));
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of soft.values) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(sum / 291802678.5).toBeCloseTo(1, 6); // awk over the text: 291802678.499996
    expect(min).toBe(Math.fround(0.3)); // 224101_x_at (MRS2), GSM11815
    expect(value(soft, '224101_x_at', 'GSM11815')).toBe(min);
    expect(max).toBe(Math.fround(184913.3)); // AFFX-hum_alu_at, GSM12274
    expect(value(soft, 'AFFX-hum_alu_at', 'GSM12274')).toBe(max);
  });

  test('subsets: disease state RCC 9 / normal 8, ten individuals', () => {
    expect(soft.subsets).toHaveLength(12);
    expect(soft.subsets[0]).toEqual({
      id: 'GDS507_1',
      description: 'RCC',
      type: 'disease state',
      samples: ['GSM11815', 'GSM11832', 'GSM12069', 'GSM12083', 'GSM12101', 'GSM12106', 'GSM12274', 'GSM12299', 'GSM12412'],
      line: 24,
    });
    const sizes = (type: string) => soft.subsets.filter((s) => s.type === type).map((s) => [s.description, s.samples.length]);
    expect(sizes('disease state')).toEqual([
      ['RCC', 9],
      ['normal', 8],
    ]);
    expect(sizes('individual').map(([, n]) => n)).toEqual([2, 2, 2, 2, 1, 1, 1, 2, 2, 2]);
  });

  test('labelsBySubsetType', () => {
    const disease = labelsBySubsetType(soft, 'disease state');
    expect(disease).toEqual([...Array<string>(9).fill('RCC'), ...Array<string>(8).fill('normal')]);
    expect(labelsBySubsetType(soft, 'Disease State')).toEqual(disease);
    const individual = labelsBySubsetType(soft, 'individual');
    expect(individual[0]).toBe('035'); // GSM11815: tumour of patient 035, paired with normal GSM11810
    expect(individual[soft.samples.indexOf('GSM11810')]).toBe('035');
    expect(new Set(individual).size).toBe(10);
    expect(() => labelsBySubsetType(soft, 'agent')).toThrow(
      new DataError(
        `${GDS507}: no subset of type 'agent': the subset types are 'disease state' (2 subsets), 'individual' (10 subsets)`,
      ),
    );
  });

  test('a sample in no subset of the type gets null; a sample in two subsets of one type is an error', async () => {
    // Drop GSM12448 from the 'normal' subset (line 32).
    const dropped = await readGdsSoft(variant('dropped.soft', (ls) => ((ls[31] = ls[31].replace(',GSM12448', '')), ls)));
    const labels = labelsBySubsetType(dropped, 'disease state');
    expect(labels[16]).toBeNull();
    expect(labels.filter((l) => l === null)).toHaveLength(1);
    // Put GSM11815 (individual 035, line 37) into individual 023 as well (line 42).
    const twice = await readGdsSoft(variant('twice.soft', (ls) => ((ls[41] += ',GSM11815'), ls)));
    expect(() => labelsBySubsetType(twice, 'individual')).toThrow(
      new DataError(`${twice.file}:39: sample GSM11815 is in two 'individual' subsets: GDS507_3 (035, line 34) and GDS507_4 (023)`),
    );
  });

  test('the gunzipped file gives identical results', async () => {
    const plain = await readGdsSoft(variant('GDS507.soft', (ls) => ls));
    // Values compared as bytes (element-wise toEqual on 385 k floats takes seconds).
    const { values: plainValues, ...plainRest } = plain;
    const { values: gzValues, ...gzRest } = soft;
    expect({ ...plainRest, file: GDS507 }).toEqual(gzRest);
    expect(Buffer.from(plainValues.buffer).equals(Buffer.from(gzValues.buffer))).toBe(true);
  });

  test('without !dataset_feature_count (the matrix grows) the values are the same', async () => {
    const noCount = await readGdsSoft(variant('nocount.soft.gz', (ls) => ls.filter((l) => !l.startsWith('!dataset_feature_count')), true));
    expect(noCount.dataset.featureCount).toBeNull();
    expect(noCount.values).toHaveLength(soft.values.length);
    expect(Buffer.from(noCount.values.buffer).equals(Buffer.from(soft.values.buffer))).toBe(true);
  });

  test('null and empty fields are missing (NaN); blanks too', async () => {
    const file = variant('missing.soft', (ls) => {
      // Line 106 is 200000_s_at: 4254.000 (GSM11815) … ; line 107 is 200001_at.
      const f = ls[105].split('\t');
      f[2] = 'null';
      f[3] = '';
      ls[105] = f.join('\t');
      const g = ls[106].split('\t');
      g[18] = ' ';
      ls[106] = g.join('\t');
      return ls;
    });
    const s = await readGdsSoft(file);
    expect(s.missing).toBe(3);
    expect(value(s, '200000_s_at', 'GSM11815')).toBeNaN();
    expect(value(s, '200000_s_at', 'GSM11832')).toBeNaN();
    expect(value(s, '200001_at', 'GSM12448')).toBeNaN();
    expect(value(s, '200000_s_at', 'GSM12069')).toBe(Math.fround(4026.5));
  });

  test('a _full file: ^ANNOTATION and annotation columns after the GSM columns; Gene symbol is the label', async () => {
    const file = variant(
      'full.soft.gz',
      (ls) => {
        // The second ^DATASET is line 84; the table header line 105; rows 106–22750.
        ls.splice(83, 0, '^ANNOTATION', '!Annotation_date = Jan 01 2024', '!Annotation_platform = GPL97');
        const o = 3; // lines inserted above the table
        for (let i = 105 + o; i <= 22749 + o; i++) {
          const id = ls[i].split('\t', 2)[1];
          ls[i] += i === 105 + o ? `\tfirst gene\t\t123` : `\ttitle of ${id}\tSYM_${id}\t///GO:0005515`;
        }
        ls[104 + o] += '\tGene title\tGene symbol\tGO:Function ID';
        return ls;
      },
      true,
    );
    const full = await readGdsSoft(file);
    expect(full.annotation).toEqual({ date: 'Jan 01 2024', platform: 'GPL97' });
    expect(full.annotationColumns).toEqual(['Gene title', 'Gene symbol', 'GO:Function ID']);
    expect(full.samples).toEqual(soft.samples);
    expect(full.symbols[0]).toBe('PRPF8'); // empty Gene symbol: IDENTIFIER
    expect(full.symbols[1]).toBe('SYM_CAPNS1');
    expect(Buffer.from(full.values.buffer).equals(Buffer.from(soft.values.buffer))).toBe(true);
  });
});

describe('readGdsSoft errors: one line, with file and line number', () => {
  test('truncated gzip', async () => {
    const file = path.join(dir, 'truncated.soft.gz');
    fs.writeFileSync(file, fs.readFileSync(GDS507).subarray(0, 500_000));
    expect(await errorOf(file)).toMatch(
      new RegExp(`^${file.replace(/[.\\]/g, '\\$&')}: truncated gzip stream: the data end after line \\d+ \\(an interrupted download\\?\\)$`),
    );
  });

  test('the table has no end', async () => {
    const file = variant('noend.soft', (ls) => ls.slice(0, 20000));
    expect(await errorOf(file)).toBe(
      `${file}:20000: the table that begins at line 104 has no !dataset_table_end: the file ends after 19895 rows (truncated?)`,
    );
  });

  test('no table at all', async () => {
    const file = variant('notable.soft.gz', (ls) => ls.slice(0, 103), true);
    expect(await errorOf(file)).toBe(`${file}:103: no data table: no !dataset_table_begin line in the 103 lines of the file`);
  });

  test('a row with a field missing', async () => {
    const file = variant('ragged.soft', (ls) => ((ls[4999] = ls[4999].split('\t').slice(0, -1).join('\t')), ls));
    expect(await errorOf(file)).toBe(`${file}:5000: row has 18 fields, the header (line 105) has 19`);
  });

  test("a subset naming a sample that is not a table column", async () => {
    const file = variant('badsubset.soft.gz', (ls) => ((ls[26] = ls[26].replace('GSM12069', 'GSM99999')), ls), true);
    expect(await errorOf(file)).toBe(
      `${file}:27: subset GDS507_1 (disease state: RCC) names sample GSM99999, not a column of the table (header at line 105)`,
    );
  });

  test('a non-numeric value', async () => {
    const file = variant('nan.soft', (ls) => ((ls[9999] = ls[9999].replace(/\t[^\t]+$/, '\t12..5')), ls));
    const probe = lines[9999].split('\t')[0];
    expect(await errorOf(file)).toBe(`${file}:10000: value "12..5" of probe ${probe}, sample GSM12448 (column 19) is not a number`);
  });

  test('not a SOFT file, a GSE file, a missing file', async () => {
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'hello\n');
    expect(await errorOf(text)).toBe(`${text}:1: not a GEO SOFT file: expected a line starting with ^DATABASE or ^DATASET, found "hello"`);
    const gse = path.join(dir, 'GSE1.soft');
    fs.writeFileSync(gse, '^SERIES = GSE1\n!Series_title = x\n');
    expect(await errorOf(gse)).toBe(`${gse}:1: ^SERIES: this is a GSE series file, not a GEO DataSet (GDS) file with a ^DATASET block`);
    expect(await errorOf(path.join(dir, 'absent.soft.gz'))).toBe(`${path.join(dir, 'absent.soft.gz')}: cannot read: no such file`);
  });
});
