import { lassoObjective as designObjective } from '../baselines/lasso_objective';
import { createRng } from '../numeric/prng';
import { matrix, sumSq } from '../numeric/matrix';
import { lassoObjectiveFromResidual } from './lasso_objective';
import { lassoObjective as rowMajorObjective } from './soft_threshold';

/** A random row-major problem X [n, d], Y [n, m], V [d, m] (some exact zeros in V). */
function problem(n: number, d: number, m: number, seed: number) {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: n * d }, () => rng.normal());
  const y = Float64Array.from({ length: n * m }, () => rng.normal());
  const v = Float64Array.from({ length: d * m }, (_, i) => (i % 3 === 0 ? 0 : rng.normal()));
  return { x, y, v };
}

/** Column c of Y − XV. */
function residualColumn(x: Float64Array, y: Float64Array, v: Float64Array, n: number, d: number, m: number, c: number): Float64Array {
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] * v[j * m + c];
    r[i] = y[i * m + c] - s;
  }
  return r;
}

test('P from the residual by hand: ‖r‖²/(2N) + λ‖V‖₁', () => {
  // r = (1, −2, 2), N = 3: 9/6 = 1.5; ‖V‖₁ = 3.5, λ = 0.2: 0.7.
  expect(lassoObjectiveFromResidual(Float64Array.from([1, -2, 2]), [0.5, -3, 0], 3, 0.2)).toBeCloseTo(2.2, 15);
});

test('one output: the Design form, the row-major X·V form and the residual form give the same number', () => {
  const { x, y, v } = problem(30, 12, 1, 1);
  const r = residualColumn(x, y, v, 30, 12, 1, 0);
  const core = lassoObjectiveFromResidual(r, v, 30, 0.3);
  expect(designObjective(matrix(30, 12, x), matrix(30, 1, y), matrix(12, 1, v), 0.3)).toBe(core);
  expect(rowMajorObjective(x, y, v, 0.3)).toBe(core);
});

test('several outputs: the Design form is the sum of the per-column residual forms, and equals the whole-residual form to rounding', () => {
  const [n, d, m] = [25, 9, 4];
  const { x, y, v } = problem(n, d, m, 2);
  const lambda = 0.15;
  let perColumn = 0;
  const all = new Float64Array(n * m);
  const vt = new Float64Array(d * m);
  for (let c = 0; c < m; c++) {
    const r = residualColumn(x, y, v, n, d, m, c);
    all.set(r, c * n);
    const vc = Float64Array.from({ length: d }, (_, j) => v[j * m + c]);
    vt.set(vc, c * d);
    perColumn += lassoObjectiveFromResidual(r, vc, n, lambda);
  }
  const design = designObjective(matrix(n, d, x), matrix(n, m, y), matrix(d, m, v), lambda);
  expect(design).toBe(perColumn);
  // spred's trace: the whole [m, N] residual and [m, d] V at once (float32 read-backs in the runner).
  expect(Math.abs(lassoObjectiveFromResidual(all, vt, n, lambda) - design) / design).toBeLessThan(1e-14);
});

test('the numbers of the formulas it replaced, to rounding (sequential sums against the pairwise-unrolled one)', () => {
  const { x, y, v } = problem(40, 10, 1, 3);
  const r = residualColumn(x, y, v, 40, 10, 1, 0);
  let rr = 0;
  for (const e of r) rr += e * e;
  let l1 = 0;
  for (const e of v) l1 += Math.abs(e);
  const old = rr / 80 + 0.4 * l1;
  const now = rowMajorObjective(x, y, v, 0.4);
  expect(Math.abs(now - old) / old).toBeLessThan(1e-15);
  expect(sumSq(r) / 80 + 0.4 * l1).toBe(now);
});
