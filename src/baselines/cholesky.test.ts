import { CholeskyFactor } from './cholesky';
import { dotAt } from '../numeric/matrix';
import { Xoshiro128 } from '../numeric/prng';

/** Columns of a random N×k matrix and their Gram matrix. */
function randomColumns(n: number, k: number, seed: number): Float64Array[] {
  const rng = new Xoshiro128(seed);
  return Array.from({ length: k }, () => rng.fillNormal(new Float64Array(n)));
}

const dot = (a: Float64Array, b: Float64Array): number => dotAt(a, 0, b, 0, a.length);

/** Appends columns in order; returns the factor. */
function factor(cols: Float64Array[]): CholeskyFactor {
  const f = new CholeskyFactor(2); // small capacity: exercises growth
  cols.forEach((c, i) => {
    expect(f.append(cols.slice(0, i).map((p) => dot(p, c)), dot(c, c))).toBe(true);
  });
  return f;
}

/** max |L·Lᵀ − G| for the given columns. */
function reconstructionError(f: CholeskyFactor, cols: Float64Array[]): number {
  let worst = 0;
  for (let i = 0; i < cols.length; i++) {
    for (let j = 0; j < cols.length; j++) {
      let llt = 0;
      for (let q = 0; q < cols.length; q++) llt += f.get(i, q) * f.get(j, q);
      worst = Math.max(worst, Math.abs(llt - dot(cols[i], cols[j])));
    }
  }
  return worst;
}

describe('CholeskyFactor', () => {
  it('factors a 2×2 Gram matrix by hand: G = [[4, 2], [2, 5]] gives L = [[2, 0], [1, 2]]', () => {
    const f = new CholeskyFactor();
    expect(f.append([], 4)).toBe(true);
    expect(f.append([2], 5)).toBe(true);
    expect([f.get(0, 0), f.get(1, 0), f.get(1, 1), f.get(0, 1)]).toEqual([2, 1, 2, 0]);
    // 4a + 2b = 6 and 2a + 5b = 8  →  b = 5/4, a = 7/8.
    const x = f.solve([6, 8]);
    expect(x[0]).toBeCloseTo(0.875, 14);
    expect(x[1]).toBeCloseTo(1.25, 14);
  });

  it('matches the Gram matrix after appends and removals, and solves with it', () => {
    const cols = randomColumns(30, 12, 5);
    const f = factor(cols);
    expect(reconstructionError(f, cols)).toBeLessThan(1e-12);
    // Remove the first, a middle and the last column, as LARS drops do.
    const kept = cols.slice();
    for (const i of [0, 5, kept.length - 3]) {
      f.remove(i);
      kept.splice(i, 1);
      expect(f.size).toBe(kept.length);
      expect(reconstructionError(f, kept)).toBeLessThan(1e-12);
    }
    // Append after removals, then solve G x = b against G·x recomputed.
    const extra = randomColumns(30, 1, 99)[0];
    expect(f.append(kept.map((c) => dot(c, extra)), dot(extra, extra))).toBe(true);
    kept.push(extra);
    expect(reconstructionError(f, kept)).toBeLessThan(1e-12);
    const b = kept.map((_, i) => i - 3);
    const x = f.solve(b);
    kept.forEach((ci, i) => {
      const gx = kept.reduce((s, cj, j) => s + dot(ci, cj) * x[j], 0);
      expect(Math.abs(gx - b[i])).toBeLessThan(1e-10);
    });
  });

  it('refuses a column in the span of the others and stays usable', () => {
    const cols = randomColumns(10, 3, 2);
    const f = factor(cols);
    const dependent = cols[0].map((v, i) => 2 * v - cols[2][i]);
    expect(f.append(cols.map((c) => dot(c, dependent)), dot(dependent, dependent))).toBe(false);
    expect(f.size).toBe(3);
    expect(reconstructionError(f, cols)).toBeLessThan(1e-12);
    expect(() => f.remove(3)).toThrow(RangeError);
  });
});
