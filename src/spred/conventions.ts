/**
 * The one place that states how spred's κ relates to every other regularisation constant.
 *
 * **The spred objective.** For a loss L and a parameter V written as V = U ⊙ W, spred minimises
 *
 *     L(U ⊙ W) + α‖U‖² + β‖W‖²,      αβ = κ²,   default α = β = κ.
 *
 * By AM–GM, α U_i² + β W_i² ≥ 2√(αβ)|U_i W_i| = 2κ|V_i|, with equality iff √α|U_i| = √β|W_i|.
 * Every minimum is balanced in that sense (Lemma 1; for α = β it reads |U_i| = |W_i|), so at a
 * minimum the objective equals
 *
 *     L(V) + 2κ‖V‖₁                                   (Theorem 1)
 *
 * and spred's minima are exactly the minima of this L1 problem (Theorems 1–2).
 *
 * **Against the lasso.** With P(V) = 1/(2N)‖y − XV‖² + λ‖V‖₁ (scikit-learn's `Lasso(alpha=λ)`),
 * λ = 2κ: `kappaFromLambda(λ) = λ/2`, `lambdaFromKappa(κ) = 2κ`. (glmnet's `lambda` is the same λ
 * for the Gaussian family with `alpha = 1` and unstandardised x.)
 *
 * **Against weight decay.** Keras' `regularizers.l2(l2)` (and tfjs' `tf.regularizers.l2({l2})`) adds
 * l2·‖w‖² to the loss, so κ = l2 — spred's penalty on U and W *is* that regulariser. PyTorch's
 * `SGD(weight_decay=wd)` adds wd·w to the gradient, i.e. the penalty (wd/2)‖w‖², so κ = wd/2.
 * Keras' `regularizers.l1(l1)` adds l1·‖w‖₁ = 2κ‖w‖₁, so κ = l1/2.
 *
 * **Groups (Theorem 3).** One scalar u_g per group and a dense W_g, V_g = u_g·W_g:
 *
 *     L(u_g W_g) + α u_g² + β‖W_g‖²   ≥   L(V_g) + 2κ‖V_g‖₂,
 *
 * with equality iff α u_g² = β‖W_g‖², i.e. |u_g|·√α = ‖W_g‖₂·√β (for α = β: |u_g| = ‖W_g‖₂). So spred
 * with groups solves the group lasso 1/(2N)‖y − XV‖² + λ Σ_g ‖V_g‖₂ with λ = 2κ as well. (The paper's
 * Eq. (4) writes the group penalty as κ‖V_s‖₂ and Theorem 3(a) as |u| = ‖W‖₂; the factor is 2κ, as
 * above, and the balance |u| = ‖W‖ holds only for α = β.)
 *
 * **α ≠ β.** Substituting U = (κ/α)^{1/2} U′, W = (κ/β)^{1/2} W′ turns the objective into the α = β = κ
 * one in (U′, W′) and leaves U ⊙ W unchanged up to the constant κ/√(αβ) = 1. Equivalently, multiplying U by
 * (β/α)^{1/4} and W by (α/β)^{1/4} (`balanceScales`) maps a pair balanced for α = β to one balanced for
 * (α, β) without changing V. Initialisation and `rebalance()` use this.
 */

/** λ of the lasso / group lasso (1/(2N)‖y − XV‖² + λ‖V‖₁) to spred's κ: κ = λ/2. */
export function kappaFromLambda(lambda: number): number {
  return lambda / 2;
}

/** spred's κ to the lasso's λ: λ = 2κ. */
export function lambdaFromKappa(kappa: number): number {
  return 2 * kappa;
}

/** Keras / tfjs `regularizers.l2({l2})` (adds l2·‖w‖²) to κ: κ = l2. */
export function kappaFromKerasL2(l2: number): number {
  return l2;
}

/** Keras / tfjs `regularizers.l1({l1})` (adds l1·‖w‖₁ = 2κ‖w‖₁) to κ: κ = l1/2. */
export function kappaFromKerasL1(l1: number): number {
  return l1 / 2;
}

/** PyTorch `weight_decay=wd` (gradient += wd·w, penalty (wd/2)‖w‖²) to κ: κ = wd/2. */
export function kappaFromTorchWeightDecay(weightDecay: number): number {
  return weightDecay / 2;
}

/** The penalty strengths of U (α) and W (β), with αβ = κ². */
export interface PenaltyStrengths {
  kappa: number;
  alpha: number;
  beta: number;
}

/** How a caller may give the penalty: κ alone (α = β = κ), κ with α or β, or α and β. */
export interface PenaltyArgs {
  /** The L1 strength is 2κ. Needed unless both `alpha` and `beta` are given; then κ = √(αβ). */
  kappa?: number;
  /** Penalty on U (or on the group scalars u). Default κ, or κ²/β when only β is given. */
  alpha?: number;
  /** Penalty on W. Default κ, or κ²/α when only α is given. */
  beta?: number;
}

const RELATIVE_TOLERANCE = 1e-9;

function assertNonNegative(name: string, v: number): void {
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be a finite number ≥ 0, got ${v}`);
}

/**
 * Resolves (κ, α, β) with αβ = κ². Throws a RangeError for negative values, for α·β ≠ κ² when all three
 * are given (relative tolerance 1e-9), and for α = 0 or β = 0 with κ > 0 (no finite partner exists).
 */
export function resolvePenalty(args: PenaltyArgs): PenaltyStrengths {
  const { kappa, alpha, beta } = args;
  for (const [name, v] of [['kappa', kappa], ['alpha', alpha], ['beta', beta]] as const) {
    if (v !== undefined) assertNonNegative(name, v);
  }
  if (alpha !== undefined && beta !== undefined) {
    const k = Math.sqrt(alpha * beta);
    if (kappa !== undefined && Math.abs(k - kappa) > RELATIVE_TOLERANCE * Math.max(kappa, k)) {
      throw new RangeError(`alpha·beta must equal kappa²: ${alpha}·${beta} = ${alpha * beta} ≠ ${kappa}² = ${kappa * kappa}`);
    }
    return { kappa: kappa ?? k, alpha, beta };
  }
  if (kappa === undefined) throw new RangeError('give kappa, or both alpha and beta');
  if (alpha === undefined && beta === undefined) return { kappa, alpha: kappa, beta: kappa };
  const given = (alpha ?? beta) as number;
  if (given === 0) {
    if (kappa > 0) throw new RangeError(`${alpha !== undefined ? 'alpha' : 'beta'} = 0 cannot satisfy alpha·beta = kappa² with kappa = ${kappa}`);
    return { kappa, alpha: 0, beta: 0 };
  }
  const other = (kappa * kappa) / given;
  return alpha !== undefined ? { kappa, alpha, beta: other } : { kappa, alpha: other, beta: given };
}

/** α = κ√r, β = κ/√r for a ratio r = α/β > 0 (so αβ = κ²). */
export function splitKappa(kappa: number, alphaOverBeta = 1): PenaltyStrengths {
  assertNonNegative('kappa', kappa);
  if (!(alphaOverBeta > 0) || !Number.isFinite(alphaOverBeta)) {
    throw new RangeError(`alphaOverBeta must be a finite number > 0, got ${alphaOverBeta}`);
  }
  const root = Math.sqrt(alphaOverBeta);
  return { kappa, alpha: kappa * root, beta: kappa / root };
}

/**
 * Scale factors that map a pair balanced for α = β (|U| = |W|) to one balanced for (α, β)
 * (√α|U| = √β|W|) without changing U ⊙ W: U·(β/α)^{1/4}, W·(α/β)^{1/4}. Both are 1 when α = β or
 * when α = β = 0.
 */
export function balanceScales(alpha: number, beta: number): { u: number; w: number } {
  if (alpha === beta) return { u: 1, w: 1 };
  if (!(alpha > 0 && beta > 0)) throw new RangeError(`alpha and beta must both be > 0 when they differ, got ${alpha}, ${beta}`);
  const r = Math.pow(alpha / beta, 0.25);
  return { u: 1 / r, w: r };
}
