import { z } from 'zod';
import { commonFields, positive, positiveInt } from '../../config/common';

/**
 * Config of the high-dimensional lasso timing experiment (paper §4.1 "High-dimensional Lasso",
 * Figure 2 right; issue 4): spred against coordinate descent, LARS and FISTA on the same problems.
 *
 * Every method minimises P(V) = 1/(2N)·‖Y − XV‖²_F + λ‖V‖₁ (stated once, with its relation to
 * scikit-learn, glmnet and spred's κ = λ/2, in src/baselines/lasso_objective.ts).
 */
const syntheticSource = z.strictObject({
  /** Seeded problems from src/data/synthetic_lasso.ts, one per (features, outputs). */
  source: z.literal('synthetic'),
  /** Rows N (the authors' script: 1000). */
  samples: positiveInt().default(1000),
  /** Dimensions d to time (paper: 10³ to 10⁵). */
  features: z.array(positiveInt()).min(1).default([1000, 10000, 100000]),
  /** Output counts m (paper: "different input and output dimensions"). */
  outputs: z.array(positiveInt()).min(1).default([1, 16]),
  /** Non-zero rows k of the ground truth V* (capped at d). */
  nonzeros: z.number().int().nonnegative().default(10),
  /** Standard deviation of the Gaussian noise (the authors' script: 0.1). */
  noise: z.number().nonnegative().default(0.1),
  /** `gaussian`: i.i.d. entries, columns standardised; `orthogonal`: XᵀX = N·I (needs N ≥ d). */
  design: z.enum(['gaussian', 'orthogonal']).default('gaussian'),
});

const npySource = z.strictObject({
  /** X (N, d) and Y (N,) or (N, m) from NumPy `.npy` files: float32 or float64, C order. */
  source: z.literal('npy'),
  /** Path of X, relative to the working directory. */
  x: z.string().min(1),
  /** Path of Y, relative to the working directory. */
  y: z.string().min(1),
});

export const lassoScalingConfigSchema = z.strictObject({
  task: z.literal('lasso-scaling'),
  ...commonFields,
  /** `source` defaults to `synthetic`: only `npy` problems need to say where they come from. */
  problem: z
    .preprocess(
      (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) && !('source' in v) ? { source: 'synthetic', ...v } : v),
      z.discriminatedUnion('source', [syntheticSource, npySource]),
    )
    .prefault({}),
  /** λ as fractions of λ_max = max|XᵀY|/N: the 0.1 and a sparser setting. */
  lambdaRatios: z.array(positive().max(1)).min(1).default([0.1, 0.5]),
  /** `cd` coordinate descent, `lars` LARS-lasso, `fista` FISTA (src/baselines/), `spred` on tfjs. */
  methods: z.array(z.enum(['cd', 'lars', 'fista', 'spred'])).min(1).default(['cd', 'lars', 'fista', 'spred']),
  /** Runs per method and problem, on the same problem (spred's init seed is seed + repeat). */
  repeats: positiveInt().default(3),
  /**
   * |v| ≤ thresholds[1] counts as zero for every method's zero-rate and support; spred's stopping rule
   * watches both (paper footnote 3).
   */
  thresholds: z.tuple([positive(), positive()]).default([1e-3, 1e-6]),
  spred: z
    .strictObject({
      /** Both are run (paper §4.1: "both gradient descent and Adam"). */
      optimizers: z.array(z.enum(['gd', 'adam'])).min(1).default(['gd', 'adam']),
      /** Learning rate per optimizer (full batch). */
      learningRates: z
        .strictObject({ gd: positive().default(0.3), adam: positive().default(0.03) })
        .prefault({}),
      /**
       * Adam's ε (tfjs default 1e-7). Near the solution, where |gradient| < ε, Adam acts as gradient
       * descent with step lr/ε; with the default ε it oscillates at amplitude ~lr instead and loses
       * zeros after ~10³ steps (measured on the smoke problems: zero-rate 0.94 against 0.997).
       */
      adamEpsilon: positive().default(0.1),
      /** Step budget; a run that hits it is reported with stop = budget. */
      maxSteps: positiveInt().default(5000),
      /** Stopping rule checked (and a trace point taken) every this many steps. */
      checkEvery: positiveInt().default(10),
      /** Checks with both zero counts agreeing and unchanged (and the objective flat) before stopping. */
      patience: positiveInt().default(5),
      /** Relative objective change between checks that counts as flat; 0: zero-rates alone (the paper's rule). */
      objectiveTol: z.number().nonnegative().default(1e-6),
      /** Init scheme of U and W (§3 "two implementation caveats"); V₀ = U₀⊙W₀ has std `initScale`. */
      init: z.enum(['independent', 'sqrt', 'balanced']).default('sqrt'),
      initScale: positive().default(1e-4),
    })
    .prefault({}),
  baselines: z
    .strictObject({
      /** Duality-gap tolerance of CD and FISTA: gap ≤ tol·‖y‖²/N (scikit-learn's default 1e-4). */
      tol: positive().default(1e-4),
    })
    .prefault({}),
  /**
   * Also write each synthetic problem into the run directory as `problems/d<d>-m<m>-X.npy` (N, d) and
   * `-Y.npy` (N, m), C order, in this dtype, so other tools can be timed on identical data (numpy.load,
   * or back here with `problem: { source: 'npy' }`); float64 is exact. Off by default: at d = 10⁵ X
   * alone is 0.8 GB in float64.
   */
  saveProblems: z.enum(['float32', 'float64']).optional(),
  /** Relative duality-gap tolerance of the reference optimum P* (coordinate descent). */
  referenceTol: positive().default(1e-12),
});

export type LassoScalingConfig = z.infer<typeof lassoScalingConfigSchema>;
