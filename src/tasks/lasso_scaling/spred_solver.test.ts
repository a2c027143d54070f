import * as tf from '@tensorflow/tfjs';
import { referenceOptimum } from '../../baselines/reference_optimum';
import { Design } from '../../numeric/matrix';
import { syntheticProblem } from '../../data/synthetic_lasso';
import { installInterruptGuard } from '../../results/interrupt';
import { lassoObjectiveFromResidual } from '../../spred/lasso_objective';
import { spredSolve, uploadProblem, type SpredSolveOptions } from './spred_solver';

/** A small Gaussian problem, d = 5N, two outputs: P* and V* from coordinate descent to a 1e-12 gap. */
function setUp() {
  const p = syntheticProblem({ n: 60, d: 300, m: 2, k: 5, seed: 3, lambdaRatio: 0.2 });
  const X = Design.fromMatrix(p.X);
  const ref = referenceOptimum(X, p.Y, p.lambda);
  return { p, X, ref, tensors: uploadProblem(X.columns, 60, 300, p.Y.data, 2) };
}

/** P(V) for N = 60 from V and the residual, as the task's runner computes it. */
const objectiveOf = (lambda: number) => (vt: Float32Array, rt: Float32Array) => lassoObjectiveFromResidual(Float64Array.from(rt), vt, 60, lambda);

const options = (lambda: number, optimizer: 'gd' | 'adam'): SpredSolveOptions => ({
  lambda,
  optimizer,
  learningRate: optimizer === 'gd' ? 0.3 : 0.03,
  adamEpsilon: 0.1,
  maxSteps: 3000,
  checkEvery: 10,
  patience: 5,
  objectiveTol: 1e-7,
  thresholds: [1e-3, 1e-6],
  init: 'sqrt',
  initScale: 1e-4,
  seed: 0,
});

describe('spredSolve', () => {
  let p: ReturnType<typeof setUp>['p'];
  let ref: ReturnType<typeof setUp>['ref'];
  let tensors: ReturnType<typeof setUp>['tensors'];
  beforeAll(() => ({ p, ref, tensors } = setUp()));
  afterAll(() => tf.dispose(Object.values(tensors)));

  test('uploads X, Xᵀ and Yᵀ in the orientation the step uses', () => {
    expect(tensors.x.shape).toEqual([60, 300]);
    expect(tensors.xt.shape).toEqual([300, 60]);
    expect(tensors.yt.shape).toEqual([2, 60]);
    const x = tensors.x.arraySync();
    expect(x[7][123]).toBeCloseTo(p.X.data[7 * 300 + 123], 5);
    expect(tensors.yt.arraySync()[1][9]).toBeCloseTo(p.Y.data[9 * 2 + 1], 5);
  });

  test.each(['gd', 'adam'] as const)('%s reaches the lasso solution: the reference support, coefficients within 1e-3', async (optimizer) => {
    const r = await spredSolve(tensors, options(p.lambda, optimizer));
    expect(r.stop).toBe('converged');
    for (let i = 0; i < r.coef.length; i++) {
      expect(Math.abs(r.coef[i]) > 1e-6).toBe(ref.coef.data[i] !== 0);
      expect(r.coef[i]).toBeCloseTo(ref.coef.data[i], 3);
    }
    const last = r.trace[r.trace.length - 1];
    expect(last.zeroRate1).toBe(last.zeroRate2);
    expect(r.trace.map((t) => t.seconds)).toEqual([...r.trace.map((t) => t.seconds)].sort((a, b) => a - b));
  });

  test('the trace objective is the caller\'s, computed from V and the residual', async () => {
    const r = await spredSolve(tensors, {
      ...options(p.lambda, 'gd'),
      objective: objectiveOf(p.lambda),
    });
    const last = r.trace[r.trace.length - 1].objective;
    expect(Math.abs(last - ref.objective) / ref.objective).toBeLessThan(1e-5);
  });

  test.each(['gd', 'adam'] as const)('%s: the tensor count is flat across checks and back to its start afterwards', async (optimizer) => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await spredSolve(tensors, { ...options(p.lambda, optimizer), maxSteps: 200, patience: 0, onCheck: () => void counts.push(tf.memory().numTensors) });
    expect(counts.length).toBe(21);
    // The first check precedes the first update, which makes the optimizer's slots (Adam: 2 per variable).
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a diverging learning rate is reported', async () => {
    const r = await spredSolve(tensors, { ...options(p.lambda, 'gd'), learningRate: 1e3, initScale: 1, objective: objectiveOf(p.lambda) });
    expect(r.stop).toBe('diverged');
    expect(r.steps).toBeGreaterThan(0);
    expect(r.steps).toBeLessThan(3000);
  });

  test('onCheck returning true interrupts', async () => {
    const r = await spredSolve(tensors, { ...options(p.lambda, 'gd'), onCheck: (pt) => pt.step >= 30 });
    expect(r.stop).toBe('interrupted');
    expect(r.steps).toBe(30);
  });

  test('a SIGINT during the steps is seen at the next check (the solver yields to the event loop there)', async () => {
    const guard = installInterruptGuard({ exit: jest.fn(), notice: () => undefined });
    try {
      setTimeout(() => process.emit('SIGINT'), 0);
      const r = await spredSolve(tensors, { ...options(p.lambda, 'gd'), maxSteps: 100000, patience: 0, onCheck: () => guard.interrupted });
      expect(r.stop).toBe('interrupted');
      expect(r.steps).toBeLessThan(100000);
    } finally {
      guard.dispose();
    }
  });
});
