import * as tf from '@tensorflow/tfjs';
import { createOptimizer, yieldToEventLoop, ZeroRateRule, type StopReason } from '../../optim';
import { splitKappa } from '../../spred/conventions';
import { initRedundantPair, type InitScheme } from '../../spred/init';
import { lassoObjectiveFromResidual } from '../../spred/lasso_objective';
import { redundantGradients } from '../../spred/redundant_gradient';

/**
 * spred on the lasso P(V) = 1/(2N)·‖Y − XV‖²_F + λ‖V‖₁ (the convention of
 * src/baselines/lasso_objective.ts, which every method of this task minimises): full-batch gradient
 * descent or Adam (tf.train optimizers) on
 *
 *     f(U, W) = 1/(2N)·‖Y − X(U⊙W)‖²_F + α‖U‖² + β‖W‖²,   αβ = κ², κ = λ/2   (Theorem 1).
 *
 * Layout, chosen for speed on tfjs-wasm (measured in issue 4): parameters are stored transposed, as
 * [m, d] rows, and both X [N, d] and Xᵀ [d, N] are held once on the backend, so both products of a step
 * are row-vector × matrix products with no transposed operand:
 *
 *     Rᵀ = Yᵀ − Vᵀ·Xᵀ        ([m, d]·[d, N], 27 ms at d = 10⁵ vs 69 ms for X·v)
 *     Gᵀ = −Rᵀ·X / N         ([m, N]·[N, d], 26 ms vs 196 ms for matMul(X, r, true))
 *     ∇U = G⊙W + 2αU,  ∇W = G⊙U + 2βW      (src/spred/redundant_gradient.ts).
 *
 * The gradients are written out (no autodiff tape: its backward product would be a transposed one) and
 * applied with `optimizer.applyGradients`; the optimizer and the stopping rule come from src/optim.
 * Everything stays on the backend between checks; a check reads three numbers (the zero counts at two
 * thresholds and the float32 objective) for the stopping rule of paper §4.1 / footnote 3
 * (ZeroRateRule): stop once the zero-rates at both thresholds agree and have not changed for
 * `patience` checks — and, unless `objectiveTol` is 0, the objective has changed by at most
 * `objectiveTol` (relative) between checks. Time is measured for the steps and the stopping rule only;
 * the objective trace recorded at each check (for the suboptimality columns: it reads V and the
 * residual back) is instrumentation and is not on the clock.
 *
 * Measured at N = 1000, m = 1 on tfjs-wasm (npm run bench:lasso): the two products are ~95 % of a step
 * (21 + 16–29 ms at d = 10⁵, memory-bound: each reads the 0.4 GB float32 X once); the elementwise
 * gradient, the optimizer update (GD 0.2–0.8 ms, Adam 2–4 ms) and the check (1.5 ms, every 10 steps)
 * are the rest. The step count is flat in d (300–400 from d = 10³ to 10⁵ at λ = 0.1·λ_max).
 */
export type SpredOptimizer = 'gd' | 'adam';

/** The problem as the backend holds it (the caller owns and disposes these). */
export interface SpredProblemTensors {
  /** X, [N, d]. */
  x: tf.Tensor2D;
  /** Xᵀ, [d, N]. */
  xt: tf.Tensor2D;
  /** Yᵀ, [m, N]. */
  yt: tf.Tensor2D;
}

/** Puts X (column-major, i.e. Xᵀ row-major, as `Design.columns`) and Y (row-major N×m) on the backend. */
export function uploadProblem(columns: Float64Array, n: number, d: number, y: Float64Array, m: number): SpredProblemTensors {
  const xt = tf.tensor2d(Float32Array.from(columns), [d, n]);
  const x = tf.transpose(xt) as tf.Tensor2D;
  const ytData = new Float32Array(m * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) ytData[c * n + i] = y[i * m + c];
  const yt = tf.tensor2d(ytData, [m, n]);
  return { x, xt, yt };
}

export interface SpredSolveOptions {
  lambda: number;
  optimizer: SpredOptimizer;
  learningRate: number;
  /**
   * Adam's ε. With tfjs' default (1e-7) a coordinate heading to zero keeps steps of size ~lr once the
   * second-moment average has forgotten its large early gradients (β₂ = 0.999: after ~10³ steps), so it
   * oscillates at amplitude ~lr and the zero-rate falls again. Below |g| ≈ ε Adam is gradient descent
   * with step lr/ε, under which such coordinates decay geometrically (stable for lr/ε < 1/λ).
   */
  adamEpsilon: number;
  /** Step budget. */
  maxSteps: number;
  /** Run the stopping rule (and record a trace point) every this many steps. */
  checkEvery: number;
  /** Checks with both zero counts agreeing and unchanged before stopping; 0 never stops early. */
  patience: number;
  /**
   * Also require the objective (float32, on the backend) to change by ≤ this fraction between two
   * checks before stopping; 0 gives the paper's criterion alone. The zero-rate settles long before the
   * non-zero values do under gradient descent (their rate is ∝ |v|), so without this the stopping
   * point can be 1e-3 above P*.
   */
  objectiveTol: number;
  /** Two thresholds: |v| ≤ t counts as zero. */
  thresholds: readonly [number, number];
  init: InitScheme;
  /** σ of the init scheme (V₀ = U₀⊙W₀ has std σ). */
  initScale: number;
  seed: number;
  /**
   * Called at each check with the current V ([m, d] row-major values, float32) and the residual
   * Rᵀ ([m, N]); returns the objective to record in the trace. Runs off the clock. Default: P(V) in
   * float64 from them (lassoObjectiveFromResidual, src/spred/lasso_objective.ts).
   */
  objective?: (vt: Float32Array, rt: Float32Array) => number;
  /** Called at each check (off the clock); return true to stop (Ctrl-C). */
  onCheck?: (point: TracePoint) => boolean | void;
}

/** One check of a run. */
export interface TracePoint {
  step: number;
  /** Wall seconds of steps and stopping-rule checks so far. */
  seconds: number;
  /** Fraction of the d·m entries of V with |v| ≤ thresholds[0], and ≤ thresholds[1]. */
  zeroRate1: number;
  zeroRate2: number;
  /** From `options.objective` (default P(V)). */
  objective: number;
}

export interface SpredSolveResult {
  /** Final V, d×m row-major (float32 values widened). */
  coef: Float64Array;
  steps: number;
  seconds: number;
  stop: StopReason;
  trace: TracePoint[];
}

/** Variable names must be unique while they live; runs never overlap, but tests may interleave. */
let nextId = 0;

export async function spredSolve(p: SpredProblemTensors, o: SpredSolveOptions): Promise<SpredSolveResult> {
  const [n, d] = p.x.shape;
  const m = p.yt.shape[0];
  const { alpha, beta } = splitKappa(o.lambda / 2);
  const pair = initRedundantPair({ scheme: o.init, shape: [m, d], std: o.initScale, seed: o.seed });
  const id = nextId++;
  const u = tf.variable(pair.u, true, `lasso_scaling_u_${id}`);
  const w = tf.variable(pair.w, true, `lasso_scaling_w_${id}`);
  tf.dispose([pair.u, pair.w]);
  const opt = createOptimizer({ kind: o.optimizer, learningRate: o.learningRate, epsilon: o.adamEpsilon });
  const minusInvN = tf.scalar(-1 / n);
  const t1 = tf.scalar(o.thresholds[0]);
  const t2 = tf.scalar(o.thresholds[1]);
  const total = d * m;

  const residual = (vt: tf.Tensor2D): tf.Tensor2D => tf.sub(p.yt, tf.matMul(vt, p.xt)) as tf.Tensor2D;
  const step = (): void => {
    const grads = tf.tidy(() => {
      const gt = tf.mul(tf.matMul(residual(tf.mul(u, w) as tf.Tensor2D), p.x), minusInvN);
      const g = redundantGradients(gt, u, w, alpha, beta);
      return { [u.name]: g.u, [w.name]: g.w };
    });
    opt.applyGradients(grads);
    tf.dispose(Object.values(grads));
  };
  /**
   * Zero counts at both thresholds (summed in float32: exact up to 2²⁴ entries) and the float32
   * objective (0 when `objectiveTol` is 0), read in one transfer.
   */
  const stopStats = async (): Promise<[number, number, number]> => {
    const c = tf.tidy(() => {
      const v = tf.mul(u, w) as tf.Tensor2D;
      const a = tf.abs(v);
      const obj =
        o.objectiveTol > 0 ? tf.add(tf.mul(tf.sum(tf.square(residual(v))), 1 / (2 * n)), tf.mul(tf.sum(a), o.lambda)) : tf.scalar(0);
      return tf.stack([tf.sum(tf.cast(tf.lessEqual(a, t1), 'float32')), tf.sum(tf.cast(tf.lessEqual(a, t2), 'float32')), obj]);
    });
    const data = await c.data();
    c.dispose();
    return [data[0], data[1], data[2]];
  };
  // Asynchronous reads: a GPU backend (webgpu in Node) cannot read a tensor synchronously.
  const currentValues = async (): Promise<{ vt: Float32Array; rt: Float32Array }> => {
    const [v, r] = tf.tidy(() => {
      const v = tf.mul(u, w) as tf.Tensor2D;
      return [v, residual(v)];
    });
    const [vt, rt] = (await Promise.all([v.data(), r.data()])) as Float32Array[];
    tf.dispose([v, r]);
    return { vt, rt };
  };

  const trace: TracePoint[] = [];
  let stop: SpredSolveResult['stop'] = 'budget';
  let seconds = 0;
  const rule = new ZeroRateRule({ patience: o.patience, objectiveTol: o.objectiveTol });
  let steps = 0;
  let vt: Float32Array = new Float32Array(0);
  const check = async (zc: readonly number[]): Promise<boolean> => {
    // Off the clock: the objective trace and the event loop.
    await yieldToEventLoop();
    const cur = await currentValues();
    vt = cur.vt;
    const objective = o.objective ? o.objective(cur.vt, cur.rt) : lassoObjectiveFromResidual(Float64Array.from(cur.rt), cur.vt, n, o.lambda);
    const point: TracePoint = { step: steps, seconds, zeroRate1: zc[0] / total, zeroRate2: zc[1] / total, objective };
    trace.push(point);
    if (o.onCheck?.(point)) {
      stop = 'interrupted';
      return true;
    }
    if (!Number.isFinite(objective) || !Number.isFinite(zc[2])) {
      stop = 'diverged';
      return true;
    }
    return stop === 'converged';
  };

  try {
    let t0 = performance.now();
    let zc = await stopStats();
    seconds += (performance.now() - t0) / 1000;
    if (!(await check(zc))) {
      for (steps = 1; steps <= o.maxSteps; steps++) {
        t0 = performance.now();
        step();
        const checking = steps % o.checkEvery === 0 || steps === o.maxSteps;
        if (checking) {
          zc = await stopStats();
          if (rule.update([zc[0]], [zc[1]], zc[2])) stop = 'converged';
        }
        seconds += (performance.now() - t0) / 1000;
        if (checking && (await check(zc))) break;
      }
      if (steps > o.maxSteps) steps = o.maxSteps;
    }
  } finally {
    opt.dispose();
    tf.dispose([u, w, minusInvN, t1, t2]);
  }
  // vt is [m, d]; the result is d×m row-major like every other solver's.
  const coef = new Float64Array(total);
  for (let c = 0; c < m; c++) for (let j = 0; j < d; j++) coef[j * m + c] = vt[c * d + j];
  return { coef, steps, seconds, stop, trace };
}
