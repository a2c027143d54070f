import { CholeskyFactor } from './cholesky';
import { designGramOracle, type GramOracle, nonnegLars, type NonnegLarsBreakpoint } from './nonneg_lars';
import { Design, dotAt } from '../numeric/matrix';
import { createRng } from '../numeric/prng';

/** An n×d design with correlated columns (a shared factor of weight f) and y = Xβ* + noise, β* of mixed sign. */
function problem(n: number, d: number, seed: number, f = 0.5): { X: Design; y: Float64Array } {
  const rng = createRng(seed);
  const shared = rng.fillNormal(new Float64Array(n));
  const cols = new Float64Array(n * d);
  for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) cols[j * n + i] = rng.normal() + f * shared[i];
  const X = Design.fromColumns(n, d, cols);
  const bTrue = new Float64Array(d);
  for (let j = 0; j < d; j++) bTrue[j] = Math.abs(rng.normal()) * (j % 2 === 0 ? 1 : -0.5);
  const y = X.matvec(bTrue);
  for (let i = 0; i < n; i++) y[i] += 0.3 * rng.normal();
  return { X, y };
}

/**
 * The non-negative lasso solution at λ by brute force: for every support S, solve the stationarity
 * equations X_SᵀX_S β_S = X_Sᵀy − λ·1 and keep the S whose β_S > 0 and whose other features satisfy
 * x_jᵀ(y − Xβ) ≤ λ (the KKT conditions). Returns every support that passes (one, for a generic problem).
 */
function bruteForce(X: Design, y: Float64Array, lambda: number): Float64Array[] {
  const { n, d } = X;
  const xty = X.tmatvec(y);
  const found: Float64Array[] = [];
  for (let mask = 1; mask < 1 << d; mask++) {
    const S: number[] = [];
    for (let j = 0; j < d; j++) if (mask & (1 << j)) S.push(j);
    const chol = new CholeskyFactor(S.length);
    for (const j of S) chol.append(S.slice(0, chol.size).map((t) => dotAt(X.columns, t * n, X.columns, j * n, n)), X.colSq[j]);
    const bS = chol.solve(S.map((j) => xty[j] - lambda));
    if (bS.some((b) => !(b > 1e-12))) continue;
    const beta = new Float64Array(d);
    S.forEach((j, t) => (beta[j] = bS[t]));
    const r = X.matvec(beta);
    for (let i = 0; i < n; i++) r[i] = y[i] - r[i];
    const c = X.tmatvec(r);
    if (c.every((cj) => cj <= lambda + 1e-9 * Math.max(1, lambda))) found.push(beta);
  }
  // λ above every x_jᵀy: β = 0.
  if (xty.every((c) => c <= lambda + 1e-12)) found.push(new Float64Array(d));
  return found;
}

function fullBeta(bp: NonnegLarsBreakpoint, d: number): Float64Array {
  const beta = new Float64Array(d);
  bp.features.forEach((j, t) => (beta[j] = bp.coef[t]));
  return beta;
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('nonnegLars (non-negative LARS)', () => {
  it('follows a 2-feature path by hand', () => {
    // X = [[1, 0], [0, 2]], y = [2, 2]: Xᵀy = [2, 4]. Feature 1 enters at λ = 4 (β₁ = (4 − λ)/4), feature 0
    // at λ = 2 (β₀ = 2 − λ); the path ends at λ = 0 with the least-squares fit β = [2, 1].
    const X = Design.fromColumns(2, 2, Float64Array.from([1, 0, 0, 2]));
    const y = Float64Array.from([2, 2]);
    const full = nonnegLars(designGramOracle(X, y), 2);
    expect(full.stop).toBe('end');
    expect(full.path.map((p) => p.lambda)).toEqual([4, 2, 0]);
    expect(full.selected).toEqual([0, 1]);
    expect(full.coef[0]).toBeCloseTo(2, 14);
    expect(full.coef[1]).toBeCloseTo(1, 14);
    expect(full.entryOrder).toEqual([1, 0]);
    // k = 1: stops where feature 0 would enter, at λ = 2: β₁ = 0.5.
    const one = nonnegLars(designGramOracle(X, y), 1);
    expect(one.stop).toBe('k');
    expect(one.selected).toEqual([1]);
    expect(one.coef[0]).toBeCloseTo(0.5, 14);
  });

  it('never lets a negatively correlated feature in', () => {
    // y = x₀ − x₁ with orthogonal columns: only feature 0 can have β > 0; the path ends at β = [1, 0].
    const X = Design.fromColumns(2, 2, Float64Array.from([1, 0, 0, 1]));
    const res = nonnegLars(designGramOracle(X, Float64Array.from([1, -1])), 2);
    expect(res.stop).toBe('end');
    expect(res.selected).toEqual([0]);
    expect(res.coef[0]).toBeCloseTo(1, 14);
  });

  it.each([
    [40, 8, 1],
    [30, 9, 2],
    [12, 9, 3], // d close to n
    [6, 10, 2], // d > n
  ])('equals the brute-force non-negative lasso at every breakpoint (n = %i, d = %i, seed %i)', (n, d, seed) => {
    const { X, y } = problem(n, d, seed);
    const res = nonnegLars(designGramOracle(X, y), d);
    expect(res.path.length).toBeGreaterThan(2);
    for (const bp of res.path) {
      const sols = bruteForce(X, y, bp.lambda);
      expect(sols.length).toBe(1);
      expect(maxDiff(fullBeta(bp, d), sols[0])).toBeLessThan(1e-9);
      expect(bp.coef.every((b) => b > 0 || bp === res.path[0])).toBe(true);
    }
    // λ decreases along the path.
    for (let t = 1; t < res.path.length; t++) expect(res.path[t].lambda).toBeLessThan(res.path[t - 1].lambda);
  });

  it('drops a feature whose coefficient reaches zero, and stays on the path', () => {
    // Seed 32 of this generator (n = d = 10) has a drop (found by scanning seeds 0–59; drops are rare);
    // the brute force confirms each breakpoint around it.
    const d = 10;
    const { X, y } = problem(10, d, 32);
    const res = nonnegLars(designGramOracle(X, y), d);
    const drops = res.path.filter((bp, t) => t > 0 && res.path[t - 1].features.some((j) => !bp.features.includes(j))).length;
    expect(drops).toBeGreaterThan(0);
    expect(res.steps).toBeGreaterThan(res.selected.length);
    for (const bp of res.path) {
      const sols = bruteForce(X, y, bp.lambda);
      expect(sols.length).toBe(1);
      expect(maxDiff(fullBeta(bp, d), sols[0])).toBeLessThan(1e-9);
    }
  });

  it('stops where a (k+1)-th feature would enter and orders the k features by coefficient', () => {
    const d = 9;
    const { X, y } = problem(30, d, 1);
    const full = nonnegLars(designGramOracle(X, y), d);
    const res = nonnegLars(designGramOracle(X, y), 3);
    expect(res.stop).toBe('k');
    expect(res.selected.length).toBe(3);
    // Its path is a prefix of the full path; β is the breakpoint where the 4th would enter.
    expect(res.path).toEqual(full.path.slice(0, res.path.length));
    const last = res.path[res.path.length - 1];
    expect(full.path[res.path.length].features.length).toBe(4);
    expect(maxDiff(fullBeta(last, d), bruteForce(X, y, last.lambda)[0])).toBeLessThan(1e-9);
    for (let t = 1; t < 3; t++) expect(res.coef[t]).toBeLessThanOrEqual(res.coef[t - 1]);
    expect(new Set(res.selected)).toEqual(new Set(res.entryOrder));
    expect(res.coef).toEqual(res.selected.map((j) => res.beta[j]));
  });

  it('asks for each Gram column at most once', () => {
    const d = 10;
    const { X, y } = problem(10, d, 32);
    const inner = designGramOracle(X, y);
    const asked: number[] = [];
    const oracle: GramOracle = { d, xty: inner.xty, gramColumn: (j) => (asked.push(j), inner.gramColumn(j)) };
    nonnegLars(oracle, d);
    expect(new Set(asked).size).toBe(asked.length);
  });

  it('returns nothing when no feature is positively correlated, and rejects bad arguments', () => {
    const X = Design.fromColumns(2, 1, Float64Array.from([1, 0]));
    const res = nonnegLars(designGramOracle(X, Float64Array.from([-1, 0])), 1);
    expect(res.selected).toEqual([]);
    expect(res.stop).toBe('end');
    expect(() => nonnegLars(designGramOracle(X, Float64Array.from([1, 0])), 0)).toThrow(/k must be/);
  });
});
