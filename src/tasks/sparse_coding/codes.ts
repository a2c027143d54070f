import * as tf from '@tensorflow/tfjs';
import { fista } from '../../baselines/fista';
import { Design, matrix, type Matrix } from '../../numeric/matrix';
import { createOptimizer, type ScheduledOptimizer } from '../../optim/optimizers';
import { deriveSeed } from '../../spred/init';
import { RedundantParameter } from '../../spred/redundant_parameter';
import type { TrainingConfig } from './config';

/**
 * The three ways of finding a minibatch's codes S_b (n×k) for a fixed dictionary D (k×d), all on the
 * per-patch objective ½‖x − s·D‖² + α‖s‖₁ of config.ts:
 *
 * - `spred`: S_b = U ⊙ W (a RedundantParameter with κ = α/2), gradient steps on
 *   ½‖X_b − (U⊙W)·D‖² + κ(‖U‖² + ‖W‖²) (Eq. 10) — smooth, so plain (momentum) SGD applies.
 * - `naive-l1`: gradient steps on S_b itself with the subgradient α·sign(S) of the L1 term (tfjs' abs
 *   gradient); the same optimizer, rate and step count as spred.
 * - `fista`: each patch's lasso solved by FISTA to a duality-gap tolerance (src/baselines/fista.ts),
 *   warm-started from its previous codes: the classical alternating scheme (Lee et al. 2006, Mairal et
 *   al. 2009). That solver's objective is 1/(2d)‖x − Dᵀs‖² + λ‖s‖₁, i.e. ours divided by d with λ = α/d.
 *
 * Losses are summed over the patches of the batch (not averaged): every code enters only its own
 * patch's term, so its curvature, and the step size 1/L with L = ‖D‖₂², do not depend on the batch size.
 * Each minibatch keeps its codes between visits (warm start); a method object holds the codes of every
 * minibatch.
 */
export interface CodeSolver {
  /** Improves batch b's codes for the current D (D's Lipschitz constant L given). */
  visit(b: number, Xb: tf.Tensor2D, D: tf.Variable, lipschitz: number): Promise<void>;
  /** Batch b's codes S_b (a new tensor, n×k). */
  codes(b: number): tf.Tensor2D;
  /** Multiplies column j of batch b's codes by scale[j] (the row normalisation of S, config.ts). */
  scaleAtoms(b: number, scale: tf.Tensor1D): Promise<void>;
  dispose(): void;
}

/** Shape of the batches: batch b holds rows sizes[0] + … + sizes[b−1] onwards. */
export interface BatchLayout {
  sizes: number[];
  atoms: number;
}

function makeOptimizer(t: TrainingConfig, lr: number): ScheduledOptimizer {
  return t.codeOptimizer === 'momentum' ? createOptimizer({ kind: 'momentum', learningRate: lr, momentum: t.momentum }) : createOptimizer({ kind: 'sgd', learningRate: lr });
}

/** G = ∂/∂S ½‖X_b − S·D‖² = (S·D − X_b)·Dᵀ, written out (no tape: two products instead of four). */
function reconstructionGradient(Xb: tf.Tensor2D, S: tf.Tensor, D: tf.Tensor): tf.Tensor2D {
  return tf.matMul(tf.sub(tf.matMul(S as tf.Tensor2D, D as tf.Tensor2D), Xb), D as tf.Tensor2D, false, true);
}

/** `steps` optimizer steps with the gradients `grads()` gives; a fresh optimizer per visit (a batch's momentum is stale after D moved). */
function gradientSteps(t: TrainingConfig, lr: number, steps: number, grads: () => tf.NamedTensorMap): void {
  const opt = makeOptimizer(t, lr);
  try {
    for (let s = 0; s < steps; s++) tf.tidy(() => opt.applyGradients(grads()));
  } finally {
    opt.dispose();
  }
}

/** spred's codes: one RedundantParameter per minibatch. */
export class SpredCodes implements CodeSolver {
  private readonly params: RedundantParameter[];

  /** U and W start independent N(0, codeInitStd²) (config.ts); `steps` code steps per visit. */
  constructor(layout: BatchLayout, alpha: number, private readonly t: TrainingConfig, seed: number, private readonly steps = t.codeSteps) {
    this.params = layout.sizes.map(
      (n, b) => new RedundantParameter({ shape: [n, layout.atoms], kappa: alpha / 2, init: 'independent', initStd: t.codeInitStd, seed: deriveSeed(seed, b) }),
    );
  }

  async visit(b: number, Xb: tf.Tensor2D, D: tf.Variable, lipschitz: number): Promise<void> {
    const p = this.params[b];
    gradientSteps(this.t, this.t.codeLearningRate / lipschitz, this.steps, () => {
      const g = p.gradients(reconstructionGradient(Xb, p.value(), D));
      // The reconstruction term's curvature in the pair (u, w) of one code is about L·(u² + w²)
      // (Hessian of ½L(a − uw)²), so a step of 1/L is stable only while u² + w² ≲ 1: large codes
      // (|s| ≈ 14 on whitened 8×8 patches) made plain GD diverge. Their steps are divided by
      // u² + w² — a diagonal preconditioner that leaves every code with u² + w² ≤ 1 on plain GD.
      const scale = tf.maximum(tf.add(tf.square(p.u), tf.square(p.w)), 1);
      return { [p.u.name]: tf.div(g.u, scale), [p.w.name]: tf.div(g.w, scale) };
    });
  }

  codes(b: number): tf.Tensor2D {
    return this.params[b].value() as tf.Tensor2D;
  }

  async scaleAtoms(b: number, scale: tf.Tensor1D): Promise<void> {
    const p = this.params[b];
    tf.tidy(() => {
      const root = tf.sqrt(scale);
      p.u.assign(tf.mul(p.u, root));
      p.w.assign(tf.mul(p.w, root));
    });
  }

  /** Batch b's codes with every |u⊙w| < threshold set to exactly 0 (the final threshold). */
  thresholded(b: number, threshold: number): tf.Tensor2D {
    return this.params[b].export(threshold) as tf.Tensor2D;
  }

  dispose(): void {
    for (const p of this.params) p.dispose();
  }
}

/** Naive L1: (sub)gradient steps on the codes themselves, from S = 0. */
export class NaiveL1Codes implements CodeSolver {
  private readonly codesOf: tf.Variable[];

  constructor(layout: BatchLayout, private readonly alpha: number, private readonly t: TrainingConfig, private readonly steps = t.codeSteps) {
    this.codesOf = layout.sizes.map((n) => tf.tidy(() => tf.variable(tf.zeros([n, layout.atoms]))));
  }

  async visit(b: number, Xb: tf.Tensor2D, D: tf.Variable, lipschitz: number): Promise<void> {
    const S = this.codesOf[b];
    // The subgradient α·sign(S) of the L1 term (0 at S = 0, as tfjs' abs gradient).
    gradientSteps(this.t, this.t.codeLearningRate / lipschitz, this.steps, () => ({
      [S.name]: tf.add(reconstructionGradient(Xb, S, D), tf.mul(this.alpha, tf.sign(S))),
    }));
  }

  codes(b: number): tf.Tensor2D {
    return tf.clone(this.codesOf[b]) as tf.Tensor2D;
  }

  async scaleAtoms(b: number, scale: tf.Tensor1D): Promise<void> {
    tf.tidy(() => this.codesOf[b].assign(tf.mul(this.codesOf[b], scale)));
  }

  dispose(): void {
    tf.dispose(this.codesOf);
  }
}

/** What FISTA did on one visit (for the log). */
export interface FistaVisit {
  iterations: number;
  converged: boolean;
}

/** FISTA's codes: host float64, k×n per batch (the solver's orientation: one column per patch). */
export class FistaCodes implements CodeSolver {
  private readonly coef: Matrix[];
  last: FistaVisit = { iterations: 0, converged: true };

  constructor(layout: BatchLayout, private readonly alpha: number, private readonly t: TrainingConfig) {
    this.coef = layout.sizes.map((n) => matrix(layout.atoms, n));
  }

  async visit(b: number, Xb: tf.Tensor2D, D: tf.Variable): Promise<void> {
    const [n, dim] = Xb.shape;
    const k = D.shape[0];
    const [x, d] = await Promise.all([Xb.data(), D.data()]);
    // Dᵀ (dim×k) column-major is D row-major: atom j is column j of the design.
    const design = Design.fromColumns(dim, k, Float64Array.from(d));
    const Y = matrix(dim, n);
    for (let c = 0; c < n; c++) for (let i = 0; i < dim; i++) Y.data[i * n + c] = x[c * dim + i];
    const sol = fista(design, Y, this.alpha / dim, { tol: this.t.fistaTol, maxIter: this.t.fistaMaxIter, coefInit: this.coef[b] });
    this.coef[b] = sol.coef;
    this.last = { iterations: sol.nIter, converged: sol.converged };
  }

  codes(b: number): tf.Tensor2D {
    const C = this.coef[b];
    return tf.tidy(() => tf.transpose(tf.tensor2d(Float32Array.from(C.data), [C.rows, C.cols])) as tf.Tensor2D);
  }

  async scaleAtoms(b: number, scale: tf.Tensor1D): Promise<void> {
    const s = await scale.data();
    const C = this.coef[b];
    for (let j = 0; j < C.rows; j++) for (let c = 0; c < C.cols; c++) C.data[j * C.cols + c] *= s[j];
  }

  dispose(): void {}
}
