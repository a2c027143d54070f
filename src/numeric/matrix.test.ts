import { Design, dotAt, getColumn, l1Norm, matrix, maxAbs, maxAbsDiff, sumSq, transposeTimes } from './matrix';

test('dotAt over offsets, with a length that is not a multiple of 4; sumSq', () => {
  const a = Float64Array.from([9, 1, 2, 3, 4, 5]);
  const b = Float64Array.from([1, 1, 1, 1, 1, 2, 9]);
  // a[1..6) · b[0..5) = 1 + 2 + 3 + 4 + 5·1 = 15; a[1..6) · b[1..6) = 1 + 2 + 3 + 4 + 5·2 = 20.
  expect(dotAt(a, 1, b, 0, 5)).toBe(15);
  expect(dotAt(a, 1, b, 1, 5)).toBe(20);
  expect(dotAt(a, 0, b, 0, 0)).toBe(0);
  expect(sumSq(Float64Array.from([3, -4]))).toBe(25);
});

test('l1Norm, maxAbs and maxAbsDiff: known values, empty vectors, NaN', () => {
  expect(l1Norm([1, -2.5, 0, 3])).toBe(6.5);
  expect(l1Norm([])).toBe(0);
  expect(maxAbs(Float64Array.from([0.5, -7, 3]))).toBe(7);
  expect(maxAbs([])).toBe(0);
  expect(maxAbs([1, NaN, 2])).toBeNaN();
  expect(maxAbsDiff([1, 2, 3], [1.5, 2, -1])).toBe(4);
  expect(maxAbsDiff([], [])).toBe(0);
  expect(maxAbsDiff([1, 2], [1, NaN])).toBeNaN();
  expect(() => maxAbsDiff([1, 2], [1])).toThrow(RangeError);
});

test('row-major Matrix, column-major Design and XᵀY agree', () => {
  // X = [[1, 2], [3, 4], [5, 6]], y = [1, 0, -1]: Xᵀy = [1 − 5, 2 − 6] = [−4, −4]; Xv for v = [1, 1] is [3, 7, 11].
  const X = matrix(3, 2, Float64Array.from([1, 2, 3, 4, 5, 6]));
  const Y = matrix(3, 1, Float64Array.from([1, 0, -1]));
  expect(Array.from(getColumn(X, 1))).toEqual([2, 4, 6]);
  expect(Array.from(transposeTimes(X, Y).data)).toEqual([-4, -4]);
  const D = Design.fromMatrix(X);
  expect(Array.from(D.tmatvec(Y.data))).toEqual([-4, -4]);
  expect(Array.from(D.matvec(Float64Array.from([1, 1])))).toEqual([3, 7, 11]);
  expect(() => matrix(2, 2, new Float64Array(3))).toThrow();
});
