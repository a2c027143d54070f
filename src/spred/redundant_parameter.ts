import * as tf from '@tensorflow/tfjs';
import { balanceScales, PenaltyArgs, PenaltyStrengths, resolvePenalty } from './conventions';
import type { InitScheme } from './init';
import { createPairVariables } from './pair_variables';
import { redundantGradients, type PairGradients } from './redundant_gradient';

/**
 * A parameter V written as V = U ⊙ W, two tf.Variables of the same shape (Theorem 1, Algorithm 1).
 *
 * Minimising `L(value()) + penalty()`, i.e. L(U ⊙ W) + α‖U‖² + β‖W‖² with αβ = κ², by any gradient
 * method solves min_V L(V) + 2κ‖V‖₁: at every minimum √α|U_i| = √β|W_i| and the two objectives agree
 * (see conventions.ts for κ against λ and weight decay).
 */
export interface RedundantParameterArgs extends PenaltyArgs {
  /** Shape of V (and of U and W). */
  shape: readonly number[];
  /** Initialisation scheme (init.ts). Default `'independent'`. Ignored when `initial` is given. */
  init?: InitScheme;
  /** σ, the std a standard init gives the dense V. Default 1. */
  initStd?: number;
  /** Seeds the initialisation. Default: unseeded. */
  seed?: number;
  /** Start from these values instead (copied; the caller keeps ownership). Shapes must equal `shape`. */
  initial?: { u: tf.Tensor; w: tf.Tensor };
  /** Prefix of the variable names (`<name>/u`, `<name>/w`). Default: tfjs picks unique names. */
  name?: string;
  /** Whether optimizers may update U and W. Default true. */
  trainable?: boolean;
}

export class RedundantParameter {
  readonly u: tf.Variable;
  readonly w: tf.Variable;
  readonly shape: readonly number[];
  readonly kappa: number;
  readonly alpha: number;
  readonly beta: number;

  constructor(args: RedundantParameterArgs) {
    const p: PenaltyStrengths = resolvePenalty(args);
    this.kappa = p.kappa;
    this.alpha = p.alpha;
    this.beta = p.beta;
    this.shape = [...args.shape];
    const { u, w } = createPairVariables({ ...args, alpha: this.alpha, beta: this.beta });
    this.u = u;
    this.w = w;
  }

  /** [U, W], for `optimizer.minimize(f, false, param.variables)`. */
  get variables(): tf.Variable[] {
    return [this.u, this.w];
  }

  /** V = U ⊙ W (a new tensor; differentiable with respect to U and W). */
  value(): tf.Tensor {
    return tf.mul(this.u, this.w);
  }

  /** α‖U‖² + β‖W‖² (a new scalar). */
  penalty(): tf.Scalar {
    return tf.tidy(() => tf.add(tf.mul(this.alpha, tf.sum(tf.square(this.u))), tf.mul(this.beta, tf.sum(tf.square(this.w)))));
  }

  /**
   * ∇_U and ∇_W of L(U ⊙ W) + α‖U‖² + β‖W‖² given G = ∂L/∂V at V = value() (new tensors), for
   * hand-written loops: `optimizer.applyGradients({[p.u.name]: g.u, [p.w.name]: g.w})`.
   */
  gradients(gradV: tf.Tensor): PairGradients {
    return redundantGradients(gradV, this.u, this.w, this.alpha, this.beta);
  }

  /** 2κ‖U ⊙ W‖₁: the L1 penalty the spred penalty equals at a balanced point, and bounds from above. */
  l1Penalty(): tf.Scalar {
    return tf.tidy(() => tf.mul(2 * this.kappa, tf.sum(tf.abs(this.value()))));
  }

  /** The spred objective L(U ⊙ W) + α‖U‖² + β‖W‖² for a data loss L (a new scalar). */
  objective(loss: (v: tf.Tensor) => tf.Scalar): tf.Scalar {
    return tf.tidy(() => tf.add(loss(this.value()), this.penalty()));
  }

  /**
   * V = U ⊙ W with every |V_i| < threshold set to exactly 0 (a new tensor). Default threshold 0 returns
   * U ⊙ W unchanged.
   */
  export(threshold = 0): tf.Tensor {
    return tf.tidy(() => {
      const v = this.value();
      return threshold > 0 ? tf.where(tf.less(tf.abs(v), threshold), tf.zerosLike(v), v) : v;
    });
  }

  /**
   * Moves (U, W) to the balanced pair with the same V (Lemma 1): |U| = √|V|·(β/α)^{1/4},
   * |W| = √|V|·(α/β)^{1/4}, keeping the signs of U and W. This lowers the penalty to 2κ‖V‖₁ and leaves
   * L unchanged; useful after training or after setting values by hand.
   */
  rebalance(): void {
    const s = balanceScales(this.alpha, this.beta);
    tf.tidy(() => {
      const root = tf.sqrt(tf.abs(this.value()));
      const u = tf.mul(tf.mul(tf.sign(this.u), root), s.u);
      const w = tf.mul(tf.mul(tf.sign(this.w), root), s.w);
      this.u.assign(u);
      this.w.assign(w);
    });
  }

  dispose(): void {
    this.u.dispose();
    this.w.dispose();
  }
}
