import { linearFit, pearson, ranks, spearman } from './stats';

test('ranks average ties', () => {
  expect(ranks([10, 30, 20, 20])).toEqual([1, 4, 2.5, 2.5]);
  expect(ranks([0, 0, 0])).toEqual([2, 2, 2]);
});

test('Spearman ρ: 1 for any increasing relation, −1 for decreasing, NaN for a constant side', () => {
  expect(spearman([1, 2, 3, 4], [1, 10, 100, 1000])).toBeCloseTo(1, 12);
  expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
  expect(spearman([1, 2, 3], [0, 0, 0])).toBeNaN();
  // Hand-worked with ties: y ranks (2.5, 2.5, 2.5, 2.5, 5) against 1..5: cov 5, var 5 and 10 → 5/√50.
  expect(spearman([1, 2, 3, 4, 5], [0, 0, 0, 0, 0.4])).toBeCloseTo(5 / Math.sqrt(50), 12);
});

test('linear fit recovers a line exactly (R² = 1) and reports R² = r² otherwise', () => {
  const fit = linearFit([0, 0.5, 1], [0.1, 0.55, 1]);
  expect(fit.slope).toBeCloseTo(0.9, 12);
  expect(fit.intercept).toBeCloseTo(0.1, 12);
  expect(fit.r2).toBeCloseTo(1, 12);
  const xs = [0, 1, 2, 3];
  const ys = [0, 1, 1, 3];
  expect(linearFit(xs, ys).r2).toBeCloseTo(pearson(xs, ys) ** 2, 12);
  // SS_res / SS_tot by hand: slope 0.9, intercept −0.1 → residuals 0.1, 0.2, −0.7, 0.4: 0.7 / 4.75.
  expect(linearFit(xs, ys).r2).toBeCloseTo(1 - 0.7 / 4.75, 12);
  expect(linearFit([1, 1, 1], [0, 1, 2]).r2).toBeNaN();
});
