import * as tf from '@tensorflow/tfjs';
import type { StopReason } from './stop_reason';
import { strongWolfe, type LineSearchRecord } from './strong_wolfe';

/**
 * L-BFGS, step-wise (Nocedal & Wright, *Numerical Optimization*, 2nd ed., Alg. 7.4 and 7.5) over a list of
 * float32 tf.Variables, minimising a scalar loss given as a function (evaluated with tf.variableGrads).
 *
 * - All variables are treated as one flat float32 vector x on the backend; the history keeps the last
 *   `historySize` pairs s = x_{k+1} − x_k, y = g_{k+1} − g_k as backend tensors.
 * - Direction by the two-loop recursion, entirely on the backend (its coefficients stay scalar
 *   tensors), with initial Hessian H₀ = γI, γ = sᵀy/yᵀy of the newest pair (γ = 1 with no pair).
 * - A pair is skipped when sᵀy ≤ curvatureEps·‖s‖‖y‖ (it would spoil positive definiteness).
 * - Step by the strong Wolfe line search of strong_wolfe.ts (c1 = 1e-4, c2 = 0.9). First trial step 1,
 *   except with an empty history, where it is min(1, 1/‖g‖₁) (as PyTorch) since −g has no scale.
 * - If the direction is not a descent direction (round-off), the history is dropped and −g is used.
 * - Numbers are read back only where the algorithm branches: per evaluation φ(t) and φ'(t) in one read;
 *   per iteration ‖g‖∞, ‖g‖₁, gᵀd, ‖d‖∞ in one read, and sᵀy, yᵀy, ‖s‖, ‖y‖ in another.
 *
 * Stopping (checked by `minimizeLbfgs`, reported by `step`):
 * - `tolGrad`: ‖g‖∞ ≤ tolGrad (default 1e-7);
 * - `tolChange`: the step ‖x_{k+1} − x_k‖∞ ≤ tolChange, or |f_{k+1} − f_k| ≤ tolChange·max(1, |f_k|)
 *   after a step that met the exact Wolfe conditions (default 1e-9; in float32 the second fires when f
 *   stops changing at all; after an approximate-Wolfe step the change of f is round-off and not tested);
 * - `noProgress`: the line search found no strong Wolfe point within its evaluations (float32 round-off
 *   near the minimum) along −g; a step is only ever taken to a Wolfe point (exact or approximate as in
 *   strong_wolfe.ts), so a failed search leaves x where it was. When it fails along a quasi-Newton
 *   direction, the history is dropped and the next step tries −g (`restarted`) before giving up;
 * - `maxIterations`, `maxEvaluations` (an evaluation is one loss + gradient; the line search never goes
 *   past the evaluation budget);
 * - `diverged`: the loss at the current point is not finite.
 *
 * ## Step-wise use and reset
 *
 * `new Lbfgs(loss, variables, options)` then `step()` does one iteration (line search included) and
 * keeps the history and the loss and gradient at the current point for the next step. That cache is
 * only valid while the objective and the variables stay as the last step left them, so:
 * - when the objective changes (a new minibatch read by the loss closure, a different κ) or the
 *   variables are changed outside `step()` (e.g. columns renormalised, another optimizer's update),
 *   call `reset()` before the next `step()`: it drops the history and the cached loss/gradient, and the
 *   next step starts as a fresh L-BFGS run (one extra evaluation, a cautious first step);
 * - `reset({ keepHistory: true })` drops only the cached loss/gradient and keeps the curvature pairs:
 *   every kept pair has sᵀy > 0, so the direction stays a descent direction, and for minibatches of one
 *   distribution (or a small change of the variables) the old curvature is usually a better H₀ than γI.
 *   Whether it is must be measured; the pairs describe the old objective.
 * Without a reset, a step after such a change starts from a stale loss and gradient and its line search
 * checks the Wolfe conditions against the wrong φ(0), φ'(0).
 *
 * `dispose()` frees the history and cached gradient (the variables are the caller's).
 */
export interface LbfgsOptions {
  /** History size m (default 10). */
  historySize?: number;
  /** Stop when ‖g‖∞ ≤ tolGrad (default 1e-7). */
  tolGrad?: number;
  /** Stop when the step or the objective change is this small (default 1e-9; see the file comment). */
  tolChange?: number;
  /** Most iterations of `minimizeLbfgs` (default 1000). */
  maxIterations?: number;
  /** Most loss + gradient evaluations of `minimizeLbfgs` (default 1.25 × maxIterations). */
  maxEvaluations?: number;
  /** Most evaluations of one line search (default 25). */
  maxLineSearchEvaluations?: number;
  /** Strong Wolfe constants (defaults 1e-4, 0.9). */
  c1?: number;
  c2?: number;
  /** Skip a pair when sᵀy ≤ curvatureEps·‖s‖‖y‖ (default 1e-8). */
  curvatureEps?: number;
  /**
   * Relative round-off of the loss for the line search's approximate sufficient-decrease test
   * (strong_wolfe.ts; default 1e-6, some ulps of float32; 0 for the exact test only).
   */
  fNoise?: number;
  /** Keep every line search's record in the result of `minimizeLbfgs` (default false). */
  recordLineSearches?: boolean;
}

/** Why L-BFGS stopped (see the file comment). */
export type LbfgsStopCause = 'tolGrad' | 'tolChange' | 'noProgress' | 'maxIterations' | 'maxEvaluations' | 'diverged';

/** The project-wide stop reason of each cause. */
export function lbfgsStopReason(cause: LbfgsStopCause): StopReason {
  switch (cause) {
    case 'tolGrad':
    case 'tolChange':
    case 'noProgress':
      return 'converged';
    case 'maxIterations':
    case 'maxEvaluations':
      return 'budget';
    case 'diverged':
      return 'diverged';
  }
}

/** What one `step()` did. */
export interface LbfgsStep {
  /** Loss and ‖g‖∞ at the point the step ended at (the start point when it did not move). */
  f: number;
  gradNorm: number;
  /** Evaluations this step made (an evaluation at the start after a reset included). */
  evaluations: number;
  /** The step moved the variables (an iteration was made). */
  moved: boolean;
  /** The line search's record (absent when the step stopped before searching). */
  lineSearch?: LineSearchRecord;
  /** The line search failed along the quasi-Newton direction, so the history was dropped (no stop). */
  restarted?: boolean;
  /** Whether the curvature pair of this step entered the history. */
  pairAccepted?: boolean;
  /** Set when a stopping test fired at this step (tolGrad, tolChange, noProgress or diverged). */
  stop?: LbfgsStopCause;
}

/** Options whose defaults depend on nothing else. */
interface Resolved {
  historySize: number;
  tolGrad: number;
  tolChange: number;
  maxLineSearchEvaluations: number;
  c1: number;
  c2: number;
  curvatureEps: number;
  fNoise: number;
}

function resolve(options: LbfgsOptions): Resolved {
  const r: Resolved = {
    historySize: options.historySize ?? 10,
    tolGrad: options.tolGrad ?? 1e-7,
    tolChange: options.tolChange ?? 1e-9,
    maxLineSearchEvaluations: options.maxLineSearchEvaluations ?? 25,
    c1: options.c1 ?? 1e-4,
    c2: options.c2 ?? 0.9,
    curvatureEps: options.curvatureEps ?? 1e-8,
    fNoise: options.fNoise ?? 1e-6,
  };
  if (!Number.isInteger(r.historySize) || r.historySize < 1) throw new RangeError(`L-BFGS historySize must be an integer ≥ 1, got ${r.historySize}`);
  if (!(r.tolGrad >= 0)) throw new RangeError(`L-BFGS tolGrad must be ≥ 0, got ${r.tolGrad}`);
  if (!(r.tolChange >= 0)) throw new RangeError(`L-BFGS tolChange must be ≥ 0, got ${r.tolChange}`);
  if (!Number.isInteger(r.maxLineSearchEvaluations) || r.maxLineSearchEvaluations < 1)
    throw new RangeError(`L-BFGS maxLineSearchEvaluations must be an integer ≥ 1, got ${r.maxLineSearchEvaluations}`);
  if (!(r.c1 > 0 && r.c1 < r.c2 && r.c2 < 1)) throw new RangeError(`L-BFGS needs 0 < c1 < c2 < 1, got c1 = ${r.c1}, c2 = ${r.c2}`);
  if (!(r.fNoise >= 0)) throw new RangeError(`L-BFGS fNoise must be ≥ 0, got ${r.fNoise}`);
  if (!(r.curvatureEps >= 0)) throw new RangeError(`L-BFGS curvatureEps must be ≥ 0, got ${r.curvatureEps}`);
  return r;
}

/**
 * The values of the tensor `fn` makes, read back asynchronously (`await data()`: WebGPU in Node cannot
 * read synchronously); the tensor and every temporary are freed.
 */
async function read(fn: () => tf.Tensor): Promise<Float32Array> {
  const t = tf.tidy(fn);
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}

interface Pair {
  s: tf.Tensor1D;
  y: tf.Tensor1D;
  /** 1/sᵀy. */
  rho: number;
}

export class Lbfgs {
  private readonly options: Resolved;
  private readonly variables: tf.Variable[];
  private readonly loss: () => tf.Scalar;
  private history: Pair[] = [];
  /** γ of the newest pair. */
  private gamma = 1;
  /** Loss and flat gradient at the current point (undefined after a reset). */
  private current: { f: number; g: tf.Tensor1D } | undefined;
  /** The loss has been checked to be a scalar once, outside gradient recording. */
  private checked = false;
  private evaluationCount = 0;
  private iterationCount = 0;
  private disposed = false;

  constructor(loss: () => tf.Scalar, variables: tf.Variable[], options: LbfgsOptions = {}) {
    if (typeof loss !== 'function') throw new TypeError('L-BFGS needs a loss function returning a scalar tensor');
    if (!Array.isArray(variables) || variables.length === 0) throw new RangeError('L-BFGS needs at least one variable to optimise, got none');
    variables.forEach((v, i) => {
      if (!(v instanceof tf.Variable)) throw new TypeError(`L-BFGS variable ${i} is not a tf.Variable`);
      if (v.dtype !== 'float32') throw new TypeError(`L-BFGS variable ${i} (${v.name}) must be float32, got ${v.dtype}`);
      if (!v.trainable) throw new TypeError(`L-BFGS variable ${i} (${v.name}) is not trainable`);
      if (v.isDisposed) throw new Error(`L-BFGS variable ${i} (${v.name}) is disposed`);
    });
    if (new Set(variables.map((v) => v.name)).size !== variables.length) throw new RangeError('L-BFGS variables must be distinct');
    this.options = resolve(options);
    this.variables = [...variables];
    this.loss = () => {
      const value = loss();
      if (!(value instanceof tf.Tensor)) throw new TypeError('the L-BFGS loss function must return a tf.Tensor');
      if (value.rank !== 0) throw new RangeError(`the L-BFGS loss must be a scalar, got a tensor of shape [${value.shape.join(', ')}]`);
      return value;
    };
  }

  /** Loss + gradient evaluations so far. */
  get evaluations(): number {
    return this.evaluationCount;
  }

  /** Iterations (steps that moved the variables) so far. */
  get iterations(): number {
    return this.iterationCount;
  }

  /** Curvature pairs held. */
  get historyLength(): number {
    return this.history.length;
  }

  /**
   * Forgets the cached loss and gradient, and (unless `keepHistory`) the curvature pairs: call it when
   * the objective or the variables changed outside `step()` (see the file comment).
   */
  reset(options: { keepHistory?: boolean } = {}): void {
    if (this.current) this.current.g.dispose();
    this.current = undefined;
    if (!options.keepHistory) this.clearHistory();
  }

  /** Frees every tensor this optimizer holds; it cannot step afterwards. */
  dispose(): void {
    this.reset();
    this.disposed = true;
  }

  /**
   * One L-BFGS iteration: direction by the two-loop recursion, step by the strong Wolfe line search,
   * history update. `maxEvaluations` caps this step's evaluations (default: the line search's own cap,
   * plus one when the loss at the current point must be computed first).
   */
  async step(maxEvaluations = Infinity): Promise<LbfgsStep> {
    if (this.disposed) throw new Error('this L-BFGS optimizer has been disposed');
    const o = this.options;
    let evaluations = 0;
    if (!this.current) {
      this.current = await this.evaluate();
      evaluations++;
    }
    const { f: f0, g: g0 } = this.current;
    if (!Number.isFinite(f0)) return { f: f0, gradNorm: NaN, evaluations, moved: false, stop: 'diverged' };

    let direction = this.twoLoop(g0);
    let [gradNorm, gradL1, gtd, dNorm] = await this.readDirection(g0, direction);
    if (gradNorm <= o.tolGrad) {
      direction.dispose();
      return { f: f0, gradNorm, evaluations, moved: false, stop: 'tolGrad' };
    }
    if (!(gtd < 0)) {
      // Round-off made H non-positive along g: start again from steepest descent.
      direction.dispose();
      this.clearHistory();
      direction = tf.neg(g0);
      [gradNorm, gradL1, gtd, dNorm] = await this.readDirection(g0, direction);
      if (!(gtd < 0)) {
        direction.dispose();
        return { f: f0, gradNorm, evaluations, moved: false, stop: 'diverged' };
      }
    }
    const budget = Math.min(o.maxLineSearchEvaluations, maxEvaluations - evaluations);
    if (budget < 1) {
      direction.dispose();
      return { f: f0, gradNorm, evaluations, moved: false };
    }

    const x0 = this.flatVariables();
    let lastT = 0;
    const t1 = this.history.length === 0 ? Math.min(1, 1 / gradL1) : 1;
    let search;
    try {
      search = await strongWolfe(
        async (t) => {
          this.assign(x0, direction, t);
          lastT = t;
          const { f, g, d } = await this.evaluate(direction);
          evaluations++;
          return { f, d, payload: g };
        },
        f0,
        gtd,
        t1,
        { c1: o.c1, c2: o.c2, maxEvaluations: budget, tolChange: o.tolChange, dNorm, fNoise: o.fNoise },
        (g) => g.dispose(),
      );
    } catch (error) {
      this.assign(x0, direction, 0);
      x0.dispose();
      direction.dispose();
      throw error;
    }
    const { payload: g1, ...lineSearch } = search;
    // A step is taken only to a (possibly approximate, see strong_wolfe.ts) strong Wolfe point.
    const accepted = g1 !== undefined && (search.wolfe || search.approximate);
    const tFinal = accepted ? search.t : 0;
    if (lastT !== tFinal) this.assign(x0, direction, tFinal);
    x0.dispose();

    if (!accepted) {
      if (g1 !== undefined) g1.dispose();
      direction.dispose();
      // Out of the caller's evaluation budget is not a failure of the search.
      const outOfBudget = search.reason === 'maxEvaluations' && budget < o.maxLineSearchEvaluations;
      if (outOfBudget) return { f: f0, gradNorm, evaluations, moved: false, lineSearch };
      // A failed search along a quasi-Newton direction: drop the history, the next step tries −g.
      if (this.history.length > 0) {
        this.clearHistory();
        return { f: f0, gradNorm, evaluations, moved: false, lineSearch, restarted: true };
      }
      return { f: f0, gradNorm, evaluations, moved: false, lineSearch, stop: 'noProgress' };
    }

    // s = t·d, y = g1 − g0; the pair enters the history when sᵀy > ε‖s‖‖y‖.
    const s = tf.tidy(() => tf.mul(direction, tFinal) as tf.Tensor1D);
    direction.dispose();
    const y = tf.tidy(() => tf.sub(g1, g0) as tf.Tensor1D);
    const [sy, yy, sNorm, stepNorm, g1Norm] = await read(() =>
      tf.stack([tf.dot(s, y), tf.dot(y, y), tf.norm(s), tf.max(tf.abs(s)), tf.max(tf.abs(g1))]),
    );
    const pairAccepted = sy > o.curvatureEps * sNorm * Math.sqrt(yy) && yy > 0;
    if (pairAccepted) {
      this.history.push({ s, y, rho: 1 / sy });
      this.gamma = sy / yy;
      if (this.history.length > o.historySize) {
        const old = this.history.shift()!;
        old.s.dispose();
        old.y.dispose();
      }
    } else {
      s.dispose();
      y.dispose();
    }
    g0.dispose();
    this.current = { f: search.f, g: g1 };
    this.iterationCount++;

    let stop: LbfgsStopCause | undefined;
    if (!Number.isFinite(search.f)) stop = 'diverged';
    else if (g1Norm <= o.tolGrad) stop = 'tolGrad';
    else if (stepNorm <= o.tolChange) stop = 'tolChange';
    // After an approximate-Wolfe step f − f0 is round-off, not progress: only exact steps test it.
    else if (search.wolfe && Math.abs(search.f - f0) <= o.tolChange * Math.max(1, Math.abs(f0))) stop = 'tolChange';
    return { f: search.f, gradNorm: g1Norm, evaluations, moved: true, lineSearch, pairAccepted, ...(stop ? { stop } : {}) };
  }

  private clearHistory(): void {
    for (const { s, y } of this.history) {
      s.dispose();
      y.dispose();
    }
    this.history = [];
    this.gamma = 1;
  }

  /** Two-loop recursion (N&W Alg. 7.4): d = −H·g, all on the backend. */
  private twoLoop(g: tf.Tensor1D): tf.Tensor1D {
    return tf.tidy(() => {
      const h = this.history;
      let q: tf.Tensor = g;
      const alphas: tf.Tensor[] = new Array(h.length);
      for (let i = h.length - 1; i >= 0; i--) {
        alphas[i] = tf.mul(tf.dot(h[i].s, q), h[i].rho);
        q = tf.sub(q, tf.mul(h[i].y, alphas[i]));
      }
      let r = tf.mul(q, this.gamma);
      for (let i = 0; i < h.length; i++) {
        const beta = tf.mul(tf.dot(h[i].y, r), h[i].rho);
        r = tf.add(r, tf.mul(h[i].s, tf.sub(alphas[i], beta)));
      }
      return tf.neg(r) as tf.Tensor1D;
    });
  }

  /** ‖g‖∞, ‖g‖₁, gᵀd, ‖d‖∞ in one read. */
  private async readDirection(g: tf.Tensor1D, d: tf.Tensor1D): Promise<[number, number, number, number]> {
    const v = await read(() => tf.stack([tf.max(tf.abs(g)), tf.sum(tf.abs(g)), tf.dot(g, d), tf.max(tf.abs(d))]));
    return [v[0], v[1], v[2], v[3]];
  }

  /** The variables as one flat vector (a new tensor). */
  private flatVariables(): tf.Tensor1D {
    return tf.tidy(() => tf.concat(this.variables.map((v) => tf.reshape(v, [-1]))) as tf.Tensor1D);
  }

  /** Sets the variables to x0 + t·d. */
  private assign(x0: tf.Tensor1D, d: tf.Tensor1D, t: number): void {
    tf.tidy(() => {
      const x = t === 0 ? x0 : tf.add(x0, tf.mul(d, t));
      const parts = this.variables.length === 1 ? [x] : tf.split(x, this.variables.map((v) => v.size));
      this.variables.forEach((v, i) => v.assign(tf.reshape(parts[i], v.shape)));
    });
  }

  /**
   * Loss and flat gradient at the variables' current values (counts one evaluation), and with a
   * `direction` the slope gᵀd too, read together with the loss.
   */
  private async evaluate(direction?: tf.Tensor1D): Promise<{ f: number; g: tf.Tensor1D; d: number }> {
    if (!this.checked) {
      // A loss that throws while tfjs records gradients leaks the tensors the tape saved for the
      // backward pass, so the shape is checked once by a plain forward pass first.
      tf.tidy(() => {
        this.loss();
      });
      this.checked = true;
    }
    const { numbers, g } = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(this.loss, this.variables);
      const flat = tf.concat(
        this.variables.map((v) => {
          const gv = grads[v.name];
          return gv ? tf.reshape(gv, [-1]) : tf.zeros([v.size]);
        }),
      ) as tf.Tensor1D;
      return { numbers: direction ? tf.stack([value, tf.dot(flat, direction)]) : value, g: flat };
    });
    this.evaluationCount++;
    let values: Float32Array;
    try {
      values = (await numbers.data()) as Float32Array;
    } catch (error) {
      g.dispose();
      throw error;
    } finally {
      numbers.dispose();
    }
    return { f: values[0], g, d: direction ? values[1] : NaN };
  }
}
