import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataError, RunError } from '../errors';
import { castCell, formatCsv, readCsv, toSnakeCase, writeCsv, type CsvRow } from './csv';

describe('toSnakeCase', () => {
  it.each([
    ['sparseRatio', 'sparse_ratio'],
    ['objective_rel_gap', 'objective_rel_gap'],
    ['L1Norm', 'l1_norm'],
    ['HSICLasso', 'hsic_lasso'],
    ['wall-seconds', 'wall_seconds'],
    ['sparseRatio1', 'sparse_ratio1'],
    ['lambda', 'lambda'],
  ])('%s → %s', (key, snake) => expect(toSnakeCase(key)).toBe(snake));
});

describe('writeCsv / readCsv', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spred-csv-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes snake_case headers, full-precision numbers and typed cells that read back equal', () => {
    const rows: CsvRow[] = [
      { method: 'spred', learningRate: 0.1 + 0.2, sparseRatio: 1 / 3, tiny: 5e-324, big: 1234567.5, ok: true, note: null },
      { method: 'l1, naive', learningRate: -0, sparseRatio: NaN, tiny: -Infinity, big: 1e21, ok: false, note: 'say "hi"\nthere' },
    ];
    const file = path.join(dir, 'r.csv');
    writeCsv(file, rows);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('method,learning_rate,sparse_ratio,tiny,big,ok,note');
    expect(text.split('\n')[1]).toBe('spred,0.30000000000000004,0.3333333333333333,5e-324,1234567.5,true,');
    expect(readCsv(file)).toEqual([
      { method: 'spred', learning_rate: 0.30000000000000004, sparse_ratio: 1 / 3, tiny: 5e-324, big: 1234567.5, ok: true, note: null },
      { method: 'l1, naive', learning_rate: 0, sparse_ratio: NaN, tiny: -Infinity, big: 1e21, ok: false, note: 'say "hi"\nthere' },
    ]);
  });

  it('takes row interfaces as they are; `columns` selects and orders; missing cells are empty', () => {
    interface Row {
      method: string;
      lambda: number;
      optimizer?: string;
    }
    const rows: Row[] = [{ method: 'cd', lambda: 2 }, { method: 'spred', lambda: 0.5, optimizer: 'adam' }];
    expect(formatCsv(rows)).toBe('method,lambda,optimizer\ncd,2,\nspred,0.5,adam\n');
    expect(formatCsv(rows, ['optimizer', 'method'])).toBe('optimizer,method\n,cd\nadam,spred\n');
    expect(formatCsv([] as Row[], ['method', 'lambda'])).toBe('method,lambda\n');
  });

  it('refuses two keys that give the same header', () => {
    expect(() => formatCsv([{ sparseRatio: 1, sparse_ratio: 2 }])).toThrow(RunError);
    expect(() => formatCsv([{ sparseRatio: 1, sparse_ratio: 2 }])).toThrow(/"sparseRatio", "sparse_ratio" give the same header 'sparse_ratio'/);
  });

  it('casts only what is a number, a boolean or empty', () => {
    expect([castCell('1e-5'), castCell('-.5'), castCell('007'), castCell('+3')]).toEqual([1e-5, -0.5, 7, 3]);
    expect([castCell('0x10'), castCell('1,5'), castCell(' 1'), castCell('inf'), castCell('True')]).toEqual(['0x10', '1,5', ' 1', 'inf', 'True']);
    expect([castCell(''), castCell('true'), castCell('false')]).toEqual([null, true, false]);
  });

  it('reads a byte-order mark and skips blank lines', () => {
    const file = path.join(dir, 'bom.csv');
    fs.writeFileSync(file, '\uFEFFa,b\n1,x\n\n2,y\n');
    expect(readCsv(file)).toEqual([{ a: 1, b: 'x' }, { a: 2, b: 'y' }]);
  });

  it('names the file (and line) in a DataError for a missing or malformed file', () => {
    expect(() => readCsv(path.join(dir, 'nope.csv'))).toThrow(DataError);
    expect(() => readCsv(path.join(dir, 'nope.csv'))).toThrow(/nope\.csv: no such file/);
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'a,b\n1,2\n3\n');
    expect(() => readCsv(bad)).toThrow(/bad\.csv: .*line 3/);
  });
});
