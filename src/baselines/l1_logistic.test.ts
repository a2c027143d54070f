import { fistaComposite } from './fista';
import { groupLogisticObjective, kappaMax, l1Logistic, multinomialLoss, type LogisticData } from './l1_logistic';
import { Xoshiro128 } from '../numeric/prng';

function problem(n: number, d: number, C: number, seed: number): LogisticData {
  const rng = new Xoshiro128(seed);
  const x = Float64Array.from({ length: n * d }, () => rng.normal());
  // Labels from the first two features, so the solution is sparse and non-trivial.
  const labels = Int32Array.from({ length: n }, (_, i) => {
    const s = x[i * d] + 0.5 * x[i * d + 1] + 0.3 * rng.normal();
    return C === 2 ? (s > 0 ? 1 : 0) : Math.min(C - 1, Math.max(0, Math.floor(s + C / 2)));
  });
  return { x, n, d, labels, classes: C };
}

describe('fistaComposite', () => {
  it('solves a 1-D lasso in closed form: min ½(x − 3)² + |x| is x = 2', () => {
    const r = fistaComposite(
      {
        size: 1,
        smooth: (x, g) => {
          if (g) g[0] = x[0] - 3;
          return 0.5 * (x[0] - 3) ** 2;
        },
        penalty: (x) => Math.abs(x[0]),
        prox: (z, s, out) => void (out[0] = Math.sign(z[0]) * Math.max(0, Math.abs(z[0]) - s)),
      },
      new Float64Array(1),
      { tol: 1e-12 },
    );
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(2, 10);
    expect(r.objective).toBeCloseTo(2.5, 10);
  });
});

describe('l1Logistic', () => {
  it('has the gradient of its loss (central differences)', () => {
    const p = problem(12, 5, 3, 1);
    const rng = new Xoshiro128(2);
    const v = Float64Array.from({ length: 15 }, () => rng.normal() * 0.3);
    const g = new Float64Array(15);
    multinomialLoss(p, v, g);
    for (let k = 0; k < 15; k++) {
      const h = 1e-6;
      const a = v.slice();
      const b = v.slice();
      a[k] += h;
      b[k] -= h;
      expect(g[k]).toBeCloseTo((multinomialLoss(p, a) - multinomialLoss(p, b)) / (2 * h), 7);
    }
  });

  it('gives V = 0 at κ ≥ κ_max and the loss ln C there; selects features below it', () => {
    const p = problem(60, 20, 3, 3);
    const km = kappaMax(p);
    const at = l1Logistic(p, km * 1.0001, { tol: 1e-10 });
    expect(at.norms.every((x) => x === 0)).toBe(true);
    expect(at.objective).toBeCloseTo(Math.log(3), 12);
    const below = l1Logistic(p, km * 0.3, { tol: 1e-10 });
    expect(below.converged).toBe(true);
    const selected = [...below.norms].flatMap((x, j) => (x > 0 ? [j] : []));
    expect(selected).toContain(0);
    expect(selected.length).toBeLessThan(20);
  });

  it('satisfies the optimality conditions: ‖∇_j f‖ ≤ 2κ off the support, ∇_j f = −2κ V_j/‖V_j‖ on it', () => {
    const p = problem(80, 30, 2, 4);
    const kappa = kappaMax(p) * 0.2;
    const r = l1Logistic(p, kappa, { tol: 1e-10 });
    expect(r.converged).toBe(true);
    const g = new Float64Array(60);
    multinomialLoss(p, r.coef, g);
    for (let j = 0; j < 30; j++) {
      const gn = Math.hypot(g[2 * j], g[2 * j + 1]);
      if (r.norms[j] === 0) expect(gn).toBeLessThanOrEqual(2 * kappa + 1e-8);
      else for (let c = 0; c < 2; c++) expect(g[2 * j + c]).toBeCloseTo((-2 * kappa * r.coef[2 * j + c]) / r.norms[j], 7);
    }
    expect(r.objective).toBeCloseTo(groupLogisticObjective(p, r.coef, kappa), 14);
  });
});
