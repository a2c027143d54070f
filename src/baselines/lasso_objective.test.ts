import { DataError, UsageError } from '../errors';
import { dualityGap, kktViolation, lambdaMax, lassoObjective, softThreshold } from './lasso_objective';
import { Design, matrix, transposeTimes } from '../numeric/matrix';
import { syntheticProblem } from '../data/synthetic_lasso';
import { Xoshiro128 } from '../numeric/prng';

// A problem small enough to work by hand: N = 2, d = 2, m = 1.
//   X = [[1, 0], [0, 2]],  y = [2, 2],  so Xᵀy = [2, 4] and λ_max = max|Xᵀy|/N = 2.
const X = matrix(2, 2, Float64Array.from([1, 0, 0, 2]));
const y = matrix(2, 1, Float64Array.from([2, 2]));

describe('lasso objective, λ_max and duality gap', () => {
  it('P(V) = 1/(2N)‖y − XV‖² + λ‖V‖₁ on the hand-worked problem', () => {
    // V = [1, 0.5]: r = [1, 1], ‖r‖² = 2, P = 2/4 + 0.5·1.5 = 1.25.
    expect(lassoObjective(X, y, matrix(2, 1, Float64Array.from([1, 0.5])), 0.5)).toBeCloseTo(1.25, 15);
    expect(lambdaMax(X, y)).toBe(2);
    expect(lambdaMax(Design.fromMatrix(X), y)).toBe(2);
  });

  it('gap = P − D at the rescaled dual point, by hand', () => {
    // V = [1, 0.5], λ = 0.5: Xᵀr = [1, 2], Nλ = 1, so s = 1/2 and θ = r/2 = [0.5, 0.5];
    // D = θᵀy/N − ‖θ‖²/(2N) = 2/2 − 0.5/4 = 0.875, gap = 1.25 − 0.875 = 0.375.
    expect(dualityGap(X, y, matrix(2, 1, Float64Array.from([1, 0.5])), 0.5)).toBeCloseTo(0.375, 15);
    // The optimum: w_j = S_{Nλ}(x_jᵀy)/‖x_j‖² = [S₁(2)/1, S₁(4)/4] = [1, 0.75], P* = 1.25/4 + 0.5·1.75.
    const opt = matrix(2, 1, Float64Array.from([1, 0.75]));
    expect(lassoObjective(X, y, opt, 0.5)).toBeCloseTo(1.1875, 15);
    expect(dualityGap(X, y, opt, 0.5)).toBeCloseTo(0, 15);
    expect(kktViolation(X, y, opt, 0.5)).toBeCloseTo(0, 15);
    expect(kktViolation(X, y, matrix(2, 1, Float64Array.from([1, 0.5])), 0.5)).toBeCloseTo(0.5, 15);
  });

  it('the gap is ≥ 0 for arbitrary coefficients and bounds the suboptimality', () => {
    const p = syntheticProblem({ n: 40, d: 60, m: 2, k: 5, seed: 3 });
    const rng = new Xoshiro128(4);
    for (let trial = 0; trial < 20; trial++) {
      const V = matrix(60, 2, rng.fillNormal(new Float64Array(120)).map((v) => (rng.uniform() < 0.8 ? 0 : v)));
      const gap = dualityGap(p.X, p.Y, V, p.lambda);
      expect(gap).toBeGreaterThanOrEqual(0);
      // P(V) − gap is a lower bound on P*, and P(0) is an upper bound.
      expect(lassoObjective(p.X, p.Y, V, p.lambda) - gap).toBeLessThanOrEqual(lassoObjective(p.X, p.Y, matrix(60, 2), p.lambda));
    }
  });

  it('soft threshold', () => {
    expect([softThreshold(3, 1), softThreshold(-3, 1), softThreshold(0.5, 1), softThreshold(-1, 1)]).toEqual([2, -2, 0, 0]);
  });

  it('λ_max from a row-major X is bitwise the Design one (so λ = λ_max gives exact zeros)', () => {
    const p = syntheticProblem({ n: 37, d: 50, m: 3, seed: 9 });
    const D = Design.fromMatrix(p.X);
    expect(lambdaMax(p.X, p.Y)).toBe(lambdaMax(D, p.Y));
    const XtY = transposeTimes(p.X, p.Y);
    const y1 = Float64Array.from({ length: 37 }, (_, i) => p.Y.data[i * 3 + 1]);
    expect(Array.from({ length: 50 }, (_, j) => XtY.data[j * 3 + 1])).toEqual(Array.from(D.tmatvec(y1)));
  });

  it('rejects shapes that do not fit and a negative λ', () => {
    expect(() => lassoObjective(X, matrix(3, 1), matrix(2, 1), 0.1)).toThrow(DataError);
    expect(() => lassoObjective(X, y, matrix(3, 1), 0.1)).toThrow(DataError);
    expect(() => dualityGap(X, y, matrix(2, 1), -1)).toThrow(UsageError);
  });
});
