import * as tf from '@tensorflow/tfjs';
import { Lbfgs, lbfgsStopReason, type LbfgsStep } from './lbfgs';
import { minimizeLbfgs } from './minimize_lbfgs';

/** A seeded uniform generator on [0, 1) (LCG; enough for test data). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A symmetric positive definite n×n matrix Q·diag(λ)·Qᵀ with λ from 1 to `cond` (geometric), Q a seeded orthogonal matrix. */
function spdMatrix(n: number, cond: number, seed: number): number[][] {
  const r = uniform(seed);
  const q: number[][] = [];
  for (let i = 0; i < n; i++) {
    let v = Array.from({ length: n }, () => 2 * r() - 1);
    for (const u of q) {
      const d = v.reduce((a, x, k) => a + x * u[k], 0);
      v = v.map((x, k) => x - d * u[k]);
    }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  const lambda = q.map((_, k) => cond ** (k / (n - 1)));
  return q.map((_, i) => q.map((_, j) => q.reduce((a, u, k) => a + lambda[k] * u[i] * u[j], 0)));
}

/** A⁻¹b in float64 by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(m[i][c]) > Math.abs(m[p][c])) p = i;
    [m[c], m[p]] = [m[p], m[c]];
    for (let i = c + 1; i < n; i++) {
      const f = m[i][c] / m[c][c];
      for (let j = c; j <= n; j++) m[i][j] -= f * m[c][j];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i][n];
    for (let j = i + 1; j < n; j++) s -= m[i][j] * x[j];
    x[i] = s / m[i][i];
  }
  return x;
}

const relativeError = (x: ArrayLike<number>, ref: number[]) =>
  Math.sqrt(ref.reduce((a, r, i) => a + (x[i] - r) ** 2, 0) / ref.reduce((a, r) => a + r * r, 0));

/** ½xᵀAx − bᵀx on x ∈ ℝⁿ, its solution A⁻¹b, and a fresh variable x = 0. */
function quadratic(n: number, cond: number, seed: number) {
  const a = spdMatrix(n, cond, seed);
  const r = uniform(seed + 1);
  const b = Array.from({ length: n }, () => 2 * r() - 1);
  const at = tf.tensor2d(a);
  const bt = tf.tensor1d(b);
  const x = tf.variable(tf.zeros([n]));
  const loss = () =>
    tf.tidy(() => tf.sub(tf.mul(0.5, tf.dot(x, tf.reshape(tf.matMul(at, tf.reshape(x, [n, 1])), [n]))), tf.dot(bt, x)) as tf.Scalar);
  const solution = solve(a, b);
  const f64 = (v: ArrayLike<number>) => {
    let f = 0;
    const g = b.map((bi) => -bi);
    for (let i = 0; i < n; i++) {
      f -= b[i] * v[i];
      for (let j = 0; j < n; j++) {
        f += 0.5 * v[i] * a[i][j] * v[j];
        g[i] += a[i][j] * v[j];
      }
    }
    return { f, g };
  };
  return { x, loss, solution, f64, dispose: () => tf.dispose([at, bt, x]) };
}

/** Chained Rosenbrock Σ 100(x_{i+1} − x_i²)² + (1 − x_i)² (SciPy's `rosen`) on the backend. */
function rosenbrockLoss(x: tf.Variable): () => tf.Scalar {
  const n = x.size;
  return () =>
    tf.tidy(() => {
      const head = tf.slice(x, 0, n - 1);
      const tail = tf.slice(x, 1, n - 1);
      return tf.add(tf.mul(100, tf.sum(tf.square(tf.sub(tail, tf.square(head))))), tf.sum(tf.square(tf.sub(1, head)))) as tf.Scalar;
    });
}

/** The same function and its gradient in float64 JS. */
function rosenbrock64(x: ArrayLike<number>): { f: number; g: number[] } {
  const n = x.length;
  let f = 0;
  const g = new Array<number>(n).fill(0);
  for (let i = 0; i < n - 1; i++) {
    const u = x[i + 1] - x[i] * x[i];
    f += 100 * u * u + (1 - x[i]) ** 2;
    g[i] += -400 * x[i] * u - 2 * (1 - x[i]);
    g[i + 1] += 200 * u;
  }
  return { f, g };
}

/** The standard start (−1.2, 1, −1.2, 1, …). */
const rosenbrockStart = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1));


/** Checks in float64 that the step x0 → x1 satisfies the strong Wolfe conditions (slack: float32 round-off of f). */
function expectStrongWolfe(f64: (v: ArrayLike<number>) => { f: number; g: number[] }, x0: ArrayLike<number>, x1: ArrayLike<number>, c1 = 1e-4, c2 = 0.9) {
  const p = Array.from(x1, (v, i) => v - x0[i]);
  const a = f64(x0);
  const b = f64(x1);
  const dot = (g: number[]) => g.reduce((s, gi, i) => s + gi * p[i], 0);
  const slack = 1e-6 * Math.abs(a.f);
  expect(dot(a.g)).toBeLessThan(0);
  expect(b.f).toBeLessThanOrEqual(a.f + c1 * dot(a.g) + slack);
  expect(Math.abs(dot(b.g))).toBeLessThanOrEqual(c2 * Math.abs(dot(a.g)) * (1 + 1e-3));
}

/**
 * The relative error float32 allows for A⁻¹b: the loss and gradient carry a relative round-off of
 * ~ε₃₂ = 2⁻²³, which moves the computed minimiser by up to ~cond(A)·ε₃₂ relative (the usual forward
 * error bound); 10× that, and never below 1e-5.
 */
const float32Tolerance = (cond: number) => Math.max(1e-5, 10 * cond * 2 ** -23);

describe('L-BFGS on a strictly convex quadratic ½xᵀAx − bᵀx, n = 10 (well- and ill-conditioned)', () => {
  const n = 10;
  // Finite termination in n steps is L-BFGS's equivalence with conjugate gradients on a quadratic
  // (Nocedal 1980), which needs exact line searches: c2 = 0.01 makes the strong Wolfe search take the
  // interpolated minimiser along the line (exact for a quadratic φ).
  test.each([10, 1000])('cond(A) = %p: A⁻¹b (float64 solve) after n = 10 iterations with a near-exact line search', async (cond) => {
    const q = quadratic(n, cond, 7);
    const opt = new Lbfgs(q.loss, [q.x], { c2: 0.01, tolGrad: 0 });
    const errors: number[] = [];
    for (let k = 0; k < n; k++) {
      expect((await opt.step()).moved).toBe(true);
      errors.push(relativeError(q.x.dataSync(), q.solution));
    }
    // The n-th step is the finishing jump (≥ 10× smaller error), to within what float32 allows.
    expect(errors[n - 1]).toBeLessThanOrEqual(errors[n - 2] / 10);
    expect(errors[n - 1]).toBeLessThanOrEqual(float32Tolerance(cond));
    opt.dispose();
    q.dispose();
  });

  test.each([10, 1000])('cond(A) = %p: the defaults reach A⁻¹b to float32 accuracy; every step a strong Wolfe step in float64', async (cond) => {
    const q = quadratic(n, cond, 7);
    const before = tf.memory().numTensors;
    const opt = new Lbfgs(q.loss, [q.x]);
    let step: LbfgsStep;
    let iterations = 0;
    do {
      const x0 = q.x.dataSync().slice();
      step = await opt.step();
      if (step.moved) {
        iterations++;
        expectStrongWolfe(q.f64, x0, q.x.dataSync());
      }
    } while (!step.stop && iterations < 100);
    const err = relativeError(q.x.dataSync(), q.solution);
    expect(step.stop).toBeDefined();
    expect(iterations).toBeLessThanOrEqual(5 * n);
    expect(err).toBeLessThanOrEqual(float32Tolerance(cond));
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    q.dispose();
  });
});

describe('L-BFGS on Rosenbrock from the standard start (−1.2, 1, …)', () => {
  test.each([2, 10])('n = %p: reaches the minimum (all ones) to 1e-4; minimise leaves the tensor count where it was', async (n) => {
    const x = tf.variable(tf.tensor1d(rosenbrockStart(n)));
    const before = tf.memory().numTensors;
    const result = await minimizeLbfgs(rosenbrockLoss(x), [x], { recordLineSearches: true });
    expect(tf.memory().numTensors).toBe(before);
    const xs = Array.from(x.dataSync());
    expect(result.stopReason).toBe('converged');
    for (const v of xs) expect(Math.abs(v - 1)).toBeLessThanOrEqual(1e-4);
    expect(result.f).toBeLessThan(1e-8);
    // Every line search ended at a Wolfe point, and its record says so in its own numbers.
    expect(result.lineSearches).toHaveLength(result.iterations);
    for (const r of result.lineSearches!) {
      expect(r.wolfe || r.approximate).toBe(true);
      if (r.wolfe) {
        expect(r.f).toBeLessThanOrEqual(r.f0 + 1e-4 * r.t * r.d0);
        expect(Math.abs(r.d)).toBeLessThanOrEqual(0.9 * Math.abs(r.d0));
      }
    }
    x.dispose();
  });

  test('n = 10, step by step: each accepted step satisfies the strong Wolfe conditions in float64', async () => {
    const n = 10;
    const x = tf.variable(tf.tensor1d(rosenbrockStart(n)));
    const opt = new Lbfgs(rosenbrockLoss(x), [x]);
    let moved = 0;
    for (let k = 0; k < 200; k++) {
      const x0 = x.dataSync().slice();
      const step = await opt.step();
      if (step.moved) {
        moved++;
        expectStrongWolfe(rosenbrock64, x0, x.dataSync());
      }
      if (step.stop) break;
    }
    expect(moved).toBeGreaterThan(20);
    opt.dispose();
    x.dispose();
  });
});

describe('tensors', () => {
  test('the count is flat across iterations: the history (2 per pair) and the gradient are all that stays', async () => {
    const x = tf.variable(tf.tensor1d(rosenbrockStart(10)));
    const before = tf.memory().numTensors;
    const opt = new Lbfgs(rosenbrockLoss(x), [x], { historySize: 3 });
    const counts: number[] = [];
    for (let k = 0; k < 15; k++) {
      await opt.step();
      expect(tf.memory().numTensors).toBe(before + 2 * opt.historyLength + 1);
      counts.push(tf.memory().numTensors);
    }
    expect(opt.historyLength).toBe(3);
    expect(new Set(counts.slice(5)).size).toBe(1);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  test('several variables of different shapes are one vector: same minimum as the flat problem', async () => {
    const q = quadratic(10, 10, 7);
    const w = tf.variable(tf.zeros([2, 3]));
    const v = tf.variable(tf.zeros([4]));
    const flat = () => tf.concat([tf.reshape(w, [-1]), v]);
    // The same A and b as q (seeds 7 and 8), on z = (vec w, v).
    const a = tf.tensor2d(spdMatrix(10, 10, 7));
    const r = uniform(8);
    const b = tf.tensor1d(Array.from({ length: 10 }, () => 2 * r() - 1));
    const before = tf.memory().numTensors;
    const result = await minimizeLbfgs(
      () => tf.tidy(() => {
        const z = flat();
        return tf.sub(tf.mul(0.5, tf.dot(z, tf.reshape(tf.matMul(a, tf.reshape(z, [10, 1])), [10]))), tf.dot(b, z)) as tf.Scalar;
      }),
      [w, v],
    );
    expect(tf.memory().numTensors).toBe(before);
    const z = [...w.dataSync(), ...v.dataSync()];
    expect(relativeError(z, q.solution)).toBeLessThan(1e-5);
    expect(result.iterations).toBeGreaterThan(0);
    tf.dispose([w, v, a, b]);
    q.dispose();
  });
});

describe('stopping', () => {
  test('maxIterations and maxEvaluations are budgets; the evaluation budget is never exceeded', async () => {
    const x = tf.variable(tf.tensor1d(rosenbrockStart(10)));
    const byIterations = await minimizeLbfgs(rosenbrockLoss(x), [x], { maxIterations: 3 });
    expect(byIterations).toMatchObject({ iterations: 3, cause: 'maxIterations', stopReason: 'budget' });
    x.assign(tf.tensor1d(rosenbrockStart(10)));
    const byEvaluations = await minimizeLbfgs(rosenbrockLoss(x), [x], { maxEvaluations: 7 });
    expect(byEvaluations).toMatchObject({ cause: 'maxEvaluations', stopReason: 'budget' });
    expect(byEvaluations.evaluations).toBeLessThanOrEqual(7);
    x.dispose();
  });

  test('a start at the minimum stops on tolGrad after one evaluation; a NaN loss is `diverged`', async () => {
    const x = tf.variable(tf.ones([4]));
    expect(await minimizeLbfgs(rosenbrockLoss(x), [x])).toMatchObject({ iterations: 0, evaluations: 1, f: 0, gradNorm: 0, cause: 'tolGrad', stopReason: 'converged' });
    const nan = await minimizeLbfgs(() => tf.tidy(() => tf.mul(tf.sum(x), NaN) as tf.Scalar), [x]);
    expect(nan).toMatchObject({ iterations: 0, cause: 'diverged', stopReason: 'diverged' });
    x.dispose();
  });

  test('every cause maps to the project-wide StopReason', () => {
    expect(['tolGrad', 'tolChange', 'noProgress', 'maxIterations', 'maxEvaluations', 'diverged'].map((c) => lbfgsStopReason(c as never))).toEqual([
      'converged', 'converged', 'converged', 'budget', 'budget', 'diverged',
    ]);
  });
});

describe('step-wise use across changing objectives (reset)', () => {
  /** ‖x − c‖²-like quadratic with a target the closure reads: a "minibatch" that can change. */
  function movingTarget() {
    const q = quadratic(10, 100, 3);
    const target = { b: tf.tensor1d(new Array(10).fill(1)) };
    const a = tf.tensor2d(spdMatrix(10, 100, 3));
    const loss = () =>
      tf.tidy(() => tf.sub(tf.mul(0.5, tf.dot(q.x, tf.reshape(tf.matMul(a, tf.reshape(q.x, [10, 1])), [10]))), tf.dot(target.b, q.x)) as tf.Scalar);
    const solutionFor = (b: number[]) => solve(spdMatrix(10, 100, 3), b);
    const setTarget = (b: number[]) => {
      target.b.dispose();
      target.b = tf.tensor1d(b);
    };
    return { x: q.x, loss, solutionFor, setTarget, dispose: () => (tf.dispose([a, target.b]), q.dispose()) };
  }

  test.each([false, true])('after the objective changes, reset({ keepHistory: %p }) and stepping on reaches the new minimum', async (keepHistory) => {
    const p = movingTarget();
    const before = tf.memory().numTensors;
    const opt = new Lbfgs(p.loss, [p.x]);
    for (let k = 0; k < 30 && !(await opt.step()).stop; k++);
    expect(relativeError(p.x.dataSync(), p.solutionFor(new Array(10).fill(1)))).toBeLessThan(1e-4);
    const b2 = Array.from({ length: 10 }, (_, i) => Math.cos(i));
    p.setTarget(b2);
    const history = opt.historyLength;
    opt.reset({ keepHistory });
    expect(opt.historyLength).toBe(keepHistory ? history : 0);
    const evaluations = opt.evaluations;
    const first = await opt.step();
    // The first step after a reset evaluates the new objective at the current point first.
    expect(first.evaluations).toBeGreaterThanOrEqual(2);
    expect(opt.evaluations - evaluations).toBe(first.evaluations);
    let steps = 1;
    let last = first;
    for (; steps < 60 && !last.stop; steps++) last = await opt.step();
    expect(relativeError(p.x.dataSync(), p.solutionFor(b2))).toBeLessThan(1e-4);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
  });
});

describe('bad input gives a clear error and leaks nothing', () => {
  test('no variables, not variables, an int32 or a non-trainable variable, the same variable twice, a bad option', async () => {
    const x = tf.variable(tf.zeros([3]));
    const loss = () => tf.sum(tf.square(x)) as tf.Scalar;
    await expect(minimizeLbfgs(loss, [])).rejects.toThrow(/at least one variable/);
    await expect(minimizeLbfgs(loss, [tf.zeros([3]) as unknown as tf.Variable])).rejects.toThrow(/not a tf.Variable/);
    const i = tf.variable(tf.zeros([3], 'int32'));
    await expect(minimizeLbfgs(loss, [i])).rejects.toThrow(/must be float32, got int32/);
    const frozen = tf.variable(tf.zeros([3]), false);
    await expect(minimizeLbfgs(loss, [frozen])).rejects.toThrow(/not trainable/);
    await expect(minimizeLbfgs(loss, [x, x])).rejects.toThrow(/distinct/);
    await expect(minimizeLbfgs(loss, [x], { historySize: 0 })).rejects.toThrow(/historySize/);
    await expect(minimizeLbfgs(loss, [x], { c1: 0.9, c2: 0.5 })).rejects.toThrow(/0 < c1 < c2 < 1/);
    await expect(minimizeLbfgs(loss, [x], { maxIterations: 0 })).rejects.toThrow(/maxIterations/);
    tf.dispose([x, i, frozen]);
  });

  test('a non-scalar loss, a loss that uses none of the variables, a disposed optimizer', async () => {
    const x = tf.variable(tf.tensor1d([1, 2, 3]));
    const y = tf.variable(tf.tensor1d([1]));
    const before = tf.memory().numTensors;
    await expect(minimizeLbfgs(() => tf.square(x) as unknown as tf.Scalar, [x])).rejects.toThrow(/loss must be a scalar, got a tensor of shape \[3\]/);
    await expect(minimizeLbfgs(() => tf.sum(tf.square(y)) as tf.Scalar, [x])).rejects.toThrow(/connection between any variable and the result/);
    expect(tf.memory().numTensors).toBe(before);
    const opt = new Lbfgs(() => tf.sum(tf.square(x)) as tf.Scalar, [x]);
    opt.dispose();
    await expect(opt.step()).rejects.toThrow(/disposed/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });

  test('a loss that throws inside a line search leaves the variables at the start point and leaks nothing', async () => {
    const x = tf.variable(tf.tensor1d(rosenbrockStart(4)));
    const f = rosenbrockLoss(x);
    let calls = 0;
    const opt = new Lbfgs(() => {
      if (++calls === 6) throw new Error('loss failed');
      return f();
    }, [x]);
    const before = tf.memory().numTensors;
    let start: Float32Array = x.dataSync().slice() as Float32Array;
    await expect(
      (async () => {
        for (;;) {
          start = x.dataSync().slice() as Float32Array;
          await opt.step();
        }
      })(),
    ).rejects.toThrow('loss failed');
    expect(Array.from(x.dataSync())).toEqual(Array.from(start));
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 2 * opt.historyLength + 1);
    opt.dispose();
    x.dispose();
  });
});
