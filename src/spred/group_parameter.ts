import * as tf from '@tensorflow/tfjs';
import { balanceScales, PenaltyArgs, PenaltyStrengths, resolvePenalty } from './conventions';
import type { InitScheme } from './init';
import { createPairVariables } from './pair_variables';
import { groupRedundantGradients, type PairGradients } from './redundant_gradient';
import { groupBroadcastShape, normaliseAxis } from './shape';

/**
 * A parameter V whose groups are slices along one axis, written V_g = u_g · W_g with a dense Variable W
 * of V's shape and one scalar u_g per group (Theorem 3, Algorithm 2).
 *
 * Minimising `L(value()) + penalty()`, i.e. L(u·W) + α‖u‖² + β‖W‖² with αβ = κ², solves the group
 * lasso min_V L(V) + 2κ Σ_g ‖V_g‖₂: at every minimum |u_g|·√α = ‖W_g‖₂·√β and the penalties agree.
 *
 * Groups: for a dense kernel [in, out], `groupAxis: 0` gives one scalar per input row (per input unit —
 * the "node" of the previous layer, which becomes prunable when its row is zero); `groupAxis: 1` gives
 * one per output column (per output unit). The same name as SpredDense's `groupAxis`.
 */
export interface GroupRedundantParameterArgs extends PenaltyArgs {
  /** Shape of V and W. */
  shape: readonly number[];
  /** The axis along which slices are groups; u has shape [shape[groupAxis]]. Negative counts from the end. */
  groupAxis?: number;
  /** @deprecated The former name of `groupAxis`; still accepted. */
  axis?: number;
  /** Initialisation scheme (init.ts). Default `'independent'`. Ignored when `initial` is given. */
  init?: InitScheme;
  /** σ, the std a standard init gives the dense V. Default 1. */
  initStd?: number;
  /** Seeds the initialisation. Default: unseeded. */
  seed?: number;
  /** Start from these values instead (copied): u of shape [shape[groupAxis]], w of `shape`. */
  initial?: { u: tf.Tensor; w: tf.Tensor };
  /** Prefix of the variable names (`<name>/u`, `<name>/w`). Default: tfjs picks unique names. */
  name?: string;
  /** Whether optimizers may update u and W. Default true. */
  trainable?: boolean;
}

/** How `export` thresholds: whole groups by ‖V_g‖₂, or single entries by |V_i|. */
export type ThresholdMode = 'group' | 'elementwise';

export class GroupRedundantParameter {
  /** One scalar per group, shape [groups]. */
  readonly u: tf.Variable;
  /** Dense, shape `shape`. */
  readonly w: tf.Variable;
  readonly shape: readonly number[];
  /** Non-negative axis of the groups. */
  readonly groupAxis: number;
  readonly groups: number;
  readonly kappa: number;
  readonly alpha: number;
  readonly beta: number;
  private readonly broadcastShape: number[];
  private readonly otherAxes: number[];

  constructor(args: GroupRedundantParameterArgs) {
    const p: PenaltyStrengths = resolvePenalty(args);
    this.kappa = p.kappa;
    this.alpha = p.alpha;
    this.beta = p.beta;
    this.shape = [...args.shape];
    const { axis: legacyAxis, ...rest } = args;
    const groupAxis = args.groupAxis ?? legacyAxis;
    if (groupAxis === undefined) throw new Error('GroupRedundantParameter: groupAxis is required (the axis whose slices are groups)');
    if (args.groupAxis !== undefined && legacyAxis !== undefined && args.groupAxis !== legacyAxis) {
      throw new Error(`GroupRedundantParameter: groupAxis ${args.groupAxis} and its deprecated alias axis ${legacyAxis} disagree`);
    }
    this.groupAxis = normaliseAxis(groupAxis, this.shape.length);
    this.groups = this.shape[this.groupAxis];
    this.broadcastShape = groupBroadcastShape(this.shape, this.groupAxis);
    this.otherAxes = this.shape.map((_, i) => i).filter((i) => i !== this.groupAxis);
    const { u, w } = createPairVariables({ ...rest, groupAxis: this.groupAxis, alpha: this.alpha, beta: this.beta });
    this.u = u;
    this.w = w;
  }

  /** @deprecated The former name of `groupAxis`. */
  get axis(): number {
    return this.groupAxis;
  }

  /** [u, W], for `optimizer.minimize(f, false, param.variables)`. */
  get variables(): tf.Variable[] {
    return [this.u, this.w];
  }

  /** V = u broadcast along the group axis times W (a new tensor). */
  value(): tf.Tensor {
    return tf.tidy(() => tf.mul(tf.reshape(this.u, this.broadcastShape), this.w));
  }

  /** α‖u‖² + β‖W‖² (a new scalar). */
  penalty(): tf.Scalar {
    return tf.tidy(() => tf.add(tf.mul(this.alpha, tf.sum(tf.square(this.u))), tf.mul(this.beta, tf.sum(tf.square(this.w)))));
  }

  /**
   * ∇_u (shape [groups]) and ∇_W of L(u·W) + α‖u‖² + β‖W‖² given G = ∂L/∂V at V = value() (new
   * tensors), for hand-written loops.
   */
  gradients(gradV: tf.Tensor): PairGradients {
    return groupRedundantGradients(gradV, this.u, this.w, this.groupAxis, this.alpha, this.beta);
  }

  /** ‖V_g‖₂ for every group, shape [groups] (a new tensor). */
  groupNorms(): tf.Tensor1D {
    return tf.tidy(() => tf.sqrt(tf.sum(tf.square(this.value()), this.otherAxes)) as tf.Tensor1D);
  }

  /** 2κ Σ_g ‖V_g‖₂: the group-lasso penalty the spred penalty equals at a balanced point. */
  groupL1Penalty(): tf.Scalar {
    return tf.tidy(() => tf.mul(2 * this.kappa, tf.sum(this.groupNorms())));
  }

  /** The spred objective L(u·W) + α‖u‖² + β‖W‖² for a data loss L (a new scalar). */
  objective(loss: (v: tf.Tensor) => tf.Scalar): tf.Scalar {
    return tf.tidy(() => tf.add(loss(this.value()), this.penalty()));
  }

  /**
   * V with near-zeros set to exactly 0 (a new tensor): in `'group'` mode (default) every group with
   * ‖V_g‖₂ < threshold is zeroed as a whole; in `'elementwise'` mode every |V_i| < threshold. Threshold 0
   * returns V unchanged.
   */
  export(threshold = 0, mode: ThresholdMode = 'group'): tf.Tensor {
    return tf.tidy(() => {
      const v = this.value();
      if (!(threshold > 0)) return v;
      if (mode === 'elementwise') return tf.where(tf.less(tf.abs(v), threshold), tf.zerosLike(v), v);
      const drop = tf.broadcastTo(tf.reshape(tf.less(this.groupNorms(), threshold), this.broadcastShape), v.shape);
      return tf.where(drop, tf.zerosLike(v), v);
    });
  }

  /**
   * Moves (u, W) to the balanced pair with the same V (Theorem 3): |u_g| = √‖V_g‖·(β/α)^{1/4},
   * ‖W_g‖ = √‖V_g‖·(α/β)^{1/4}, keeping the sign of u_g. Groups with V_g = 0 become u_g = 0, W_g = 0.
   */
  rebalance(): void {
    const s = balanceScales(this.alpha, this.beta);
    tf.tidy(() => {
      const v = this.value();
      const root = tf.sqrt(this.groupNorms());
      const sign = tf.where(tf.less(this.u, 0), tf.fill([this.groups], -1), tf.onesLike(this.u));
      const u = tf.mul(tf.mul(sign, root), s.u);
      // W_g = V_g / u_g, written without dividing by zero for empty groups.
      const safe = tf.where(tf.equal(u, 0), tf.onesLike(u), u);
      const w = tf.div(v, tf.reshape(safe, this.broadcastShape));
      this.u.assign(u);
      const empty = tf.broadcastTo(tf.reshape(tf.equal(u, 0), this.broadcastShape), v.shape);
      this.w.assign(tf.where(empty, tf.zerosLike(w), w));
    });
  }

  dispose(): void {
    this.u.dispose();
    this.w.dispose();
  }
}
