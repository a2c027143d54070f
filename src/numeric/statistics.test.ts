import { linearFit, mean, median, pearson, ranks, spearman, standardError, sum } from './statistics';

test('sum and mean: left-to-right sums, NaN mean of nothing, NaN in → NaN out', () => {
  expect(sum([1, 2, 3.5])).toBe(6.5);
  expect(sum([])).toBe(0);
  expect(sum(Float64Array.from([0.25, 0.5]))).toBe(0.75);
  expect(mean([1, 2, 3, 4])).toBe(2.5);
  expect(mean([-3])).toBe(-3);
  expect(mean([])).toBeNaN();
  expect(mean([1, NaN, 3])).toBeNaN();
});

test('median: middle value for odd length, mean of the two middle values for even length', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([5])).toBe(5);
  expect(median([7, -1])).toBe(3);
  expect(median([2, 2, 1, 7])).toBe(2); // ties in the middle
  expect(median([10, 1, 2, 9, 3])).toBe(3); // numeric order, not string order ("10" < "2")
  expect(median([-Infinity, 1, Infinity])).toBe(1);
  expect(median(Float64Array.from([0.5, 0.1, 0.3, 0.2]))).toBeCloseTo(0.25, 15);
});

test('median: NaN when empty or when any value is NaN, wherever it stands', () => {
  expect(median([])).toBeNaN();
  expect(median([NaN])).toBeNaN();
  expect(median([NaN, 1, 3])).toBeNaN();
  expect(median([1, NaN, 3])).toBeNaN();
  expect(median([1, 3, NaN])).toBeNaN();
  expect(median([1, 2, 3, NaN])).toBeNaN();
});

test('median leaves its input unsorted', () => {
  const xs = [3, 1, 2];
  median(xs);
  expect(xs).toEqual([3, 1, 2]);
});

test('Pearson r by hand; fewer than 2 points or a constant side → NaN; unequal lengths throw', () => {
  // x = 1,2,3 and y = 1,2,4: deviations (−1,0,1) and (−4/3,−1/3,5/3): Sxy = 3, Sxx = 2, Syy = 14/3.
  expect(pearson([1, 2, 3], [1, 2, 4])).toBeCloseTo(3 / Math.sqrt(2 * (14 / 3)), 14);
  expect(pearson([1, 2, 3], [6, 4, 2])).toBeCloseTo(-1, 14);
  expect(pearson([1], [2])).toBeNaN();
  expect(pearson([1, 2, 3], [5, 5, 5])).toBeNaN();
  expect(pearson([1, NaN, 3], [1, 2, 3])).toBeNaN();
  expect(() => pearson([1, 2], [1, 2, 3])).toThrow(RangeError);
});

test('ranks average ties', () => {
  expect(ranks([10, 30, 20, 20])).toEqual([1, 4, 2.5, 2.5]);
  expect(ranks([0, 0, 0])).toEqual([2, 2, 2]);
  expect(ranks([-1, 5, -1, 5, 0])).toEqual([1.5, 4.5, 1.5, 4.5, 3]);
  expect(ranks([])).toEqual([]);
});

test('ranks and Spearman ρ propagate NaN instead of ranking it somewhere', () => {
  expect(ranks([2, NaN, 1])).toEqual([NaN, NaN, NaN]);
  expect(spearman([1, 2, 3, 4], [1, NaN, 3, 4])).toBeNaN();
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

test('standard error of the mean: sample sd over √n, by hand; NaN for fewer than 2 values', () => {
  // xs = 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x − 5)² = 32, sample variance 32/7, SE = √(32/7/8).
  expect(standardError([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7 / 8), 15);
  expect(standardError([1, 1, 1])).toBe(0);
  expect(standardError([3])).toBeNaN();
  expect(standardError([])).toBeNaN();
});
