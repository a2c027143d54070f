import { applyStandardisation, authorsAllocation, authorsSplit, classAllocation, fitStandardisation, prepareSplit, stratifiedSplit } from './split';
import { chooseOnDev, geneRows, selectedRows, summaryRows, type AccuracyRow } from './summarise';

describe('stratified split', () => {
  const labels = Int32Array.from([...Array(9).fill(0), ...Array(8).fill(1)]); // GDS507: RCC 9, normal 8

  test('per class: dev and test round(n·0.2) (≥ 1), train the rest; too small a class gives null', () => {
    expect(classAllocation(9, 0.6, 0.2)).toEqual({ train: 5, dev: 2, test: 2 });
    expect(classAllocation(8, 0.6, 0.2)).toEqual({ train: 4, dev: 2, test: 2 });
    expect(classAllocation(3, 0.6, 0.2)).toEqual({ train: 1, dev: 1, test: 1 });
    expect(classAllocation(2, 0.6, 0.2)).toBeNull();
    expect(classAllocation(100, 0.6, 0.2)).toEqual({ train: 60, dev: 20, test: 20 });
  });

  test('the parts partition the samples, keep the class proportions, and depend only on the seed', () => {
    const s = stratifiedSplit(labels, 0.6, 0.2, 7);
    const all = [...s.train, ...s.dev, ...s.test].sort((a, b) => a - b);
    expect(all).toEqual([...Array(17).keys()]);
    const count = (rows: Int32Array, c: number) => [...rows].filter((r) => labels[r] === c).length;
    expect([count(s.train, 0), count(s.train, 1), count(s.dev, 0), count(s.dev, 1), count(s.test, 0), count(s.test, 1)]).toEqual([5, 4, 2, 2, 2, 2]);
    expect(stratifiedSplit(labels, 0.6, 0.2, 7)).toEqual(s);
    const others = [1, 2, 3, 4, 5].map((seed) => stratifiedSplit(labels, 0.6, 0.2, seed).test.join());
    expect(new Set(others).size).toBeGreaterThan(1);
  });
});

describe('preprocessing fitted on the training rows only', () => {
  // 4 samples × 3 genes; rows 0, 1 train, row 2 dev, row 3 test. Gene 2 has a missing training value.
  const d = 3;
  const values = Float32Array.from([1, 10, 5, 3, 30, NaN, 100, -7, 8, -50, 1000, 2]);
  const split = { train: Int32Array.from([0, 1]), dev: Int32Array.from([2]), test: Int32Array.from([3]) };
  const IDENTITY = Int32Array.from([0, 1, 2, 3]);

  test('means and sds come from the training rows; missing values are skipped', () => {
    const s = fitStandardisation(values, d, split.train);
    expect([...s.mean]).toEqual([2, 20, 5]);
    expect(s.sd[0]).toBeCloseTo(Math.SQRT2, 12);
    expect(s.sd[1]).toBeCloseTo(Math.sqrt(200), 12);
    expect(s.sd[2]).toBe(0); // one observed training value: constant on the training rows
  });

  test('dev and test values are mapped with the training statistics; changing them changes nothing else', () => {
    const p = prepareSplit(values, d, split, IDENTITY);
    expect(p.train[0]).toBeCloseTo(-1 / Math.SQRT2, 6);
    expect(p.train[5]).toBe(0); // missing → the training mean → 0
    expect(p.dev[0]).toBeCloseTo((100 - 2) / Math.SQRT2, 3);
    expect(p.test[1]).toBeCloseTo((1000 - 20) / Math.sqrt(200), 3);
    expect(p.test[2]).toBe(0); // sd 0 on the training rows
    // No leak: wildly different dev/test rows give the same statistics and the same training matrix.
    const poisoned = Float32Array.from(values);
    poisoned.set([1e6, -1e6, 1e6], 2 * d);
    poisoned.set([NaN, 5e5, -3], 3 * d);
    const q = prepareSplit(poisoned, d, split, IDENTITY);
    expect([...q.stats.mean]).toEqual([...p.stats.mean]);
    expect([...q.stats.sd]).toEqual([...p.stats.sd]);
    expect([...q.train]).toEqual([...p.train]);
    expect(q.test[0]).toBe(0); // a missing test value takes the training mean
  });

  test('applyStandardisation on the training rows gives mean 0 and sd 1 per gene (where sd > 0)', () => {
    const rows = Int32Array.from([0, 1, 2, 3]);
    const s = fitStandardisation(values, d, rows);
    const z = applyStandardisation(values, d, rows, s);
    for (const g of [0, 1]) {
      const col = [0, 1, 2, 3].map((r) => z[r * d + g]);
      const m = col.reduce((a, b) => a + b, 0) / 4;
      expect(m).toBeCloseTo(0, 5);
      expect(Math.sqrt(col.reduce((a, b) => a + (b - m) ** 2, 0) / 3)).toBeCloseTo(1, 5);
    }
  });
});

describe('choice on dev and the summaries', () => {
  const row = (split: number, kappa: number, dev: number, devLoss: number, test: number, n = 10): AccuracyRow => ({
    dataset: 'D', label_mode: 'default', method: 'spred-linear', head: 'linear', split, kappa, lr: 0.1, dev_acc: dev, dev_loss: devLoss, test_acc: test,
    majority_rate: 0.5, bound: null, n_selected: n, exact_zero_genes: 0, genes: 100, objective: null, epochs: 5, best_epoch: 5, seconds: 1,
  });
  const rows = [row(0, 0.3, 0.75, 0.1, 1), row(0, 0.1, 1, 0.5, 0.5), row(0, 0.03, 1, 0.2, 0.75), row(1, 0.3, 0.5, 0.1, 1), row(1, 0.1, 0.5, 0.1, 0)];

  test('highest dev accuracy, then lower dev loss, then the earlier fit; test accuracy is never read', () => {
    expect(chooseOnDev(rows)).toEqual([2, 3]);
    const blind = rows.map((r) => ({ ...r, test_acc: NaN }));
    expect(chooseOnDev(blind)).toEqual([2, 3]);
    const sel = selectedRows(rows);
    expect(sel.map((r) => [r.split, r.kappa, r.test_acc, r.candidates])).toEqual([[0, 0.03, 0.75, 3], [1, 0.3, 1, 2]]);
  });

  test('summary: mean ± standard error of test accuracy over splits', () => {
    const [s] = summaryRows(selectedRows(rows), () => 100);
    expect(s.splits).toBe(2);
    expect(s.test_acc_mean).toBeCloseTo(0.875, 12);
    expect(s.test_acc_se).toBeCloseTo(0.125, 12); // sd 0.1768 / √2
    expect(s.selected_fraction_mean).toBeCloseTo(0.1, 12);
  });

  test('genes: by selection frequency over splits, then mean weight', () => {
    const g = geneRows('D', 'spred-linear', [[{ probe: 'a', symbol: 'A', weight: 1 }, { probe: 'b', symbol: 'B', weight: 3 }], [{ probe: 'b', symbol: 'B', weight: 1 }]], 5);
    expect(g.map((r) => [r.rank, r.probe_id, r.gene_symbol, r.weight, r.selection_frequency])).toEqual([[1, 'b', 'B', 2, 1], [2, 'a', 'A', 1, 0.5]]);
  });
});

describe("the authors' unstratified split and duplicated rows", () => {
  test('64/16/20: 34 rows give 22 train, 5 dev, 7 test, every row once', () => {
    expect(authorsAllocation(34)).toEqual({ train: 22, dev: 5, test: 7 });
    const s = authorsSplit(34, 3);
    expect([s.train.length, s.dev.length, s.test.length]).toEqual([22, 5, 7]);
    expect([...s.train, ...s.dev, ...s.test].sort((a, b) => a - b)).toEqual(Array.from({ length: 34 }, (_, i) => i));
  });

  test('rows mapped to the same sample get the same values; fixed statistics are used as given', () => {
    const values = Float32Array.from([1, 2, 3, 4]); // 2 samples × 2 genes
    const rowSample = Int32Array.from([0, 1, 0, 1]);
    const split = { train: Int32Array.from([0, 1]), dev: Int32Array.from([2]), test: Int32Array.from([3]) };
    const fixed = { mean: Float64Array.from([0, 1]), sd: Float64Array.from([2, 2]) };
    const p = prepareSplit(values, 2, split, rowSample, fixed);
    expect([...p.dev]).toEqual([0.5, 0.5]);
    expect([...p.test]).toEqual([1.5, 1.5]);
    expect([...p.train]).toEqual([0.5, 0.5, 1.5, 1.5]);
  });
});
