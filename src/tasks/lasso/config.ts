import { z } from 'zod';
import { commonFields, positive, positiveInt } from '../../config/common';

/**
 * Config of the orthogonal-design lasso experiment (paper §4.1 "1D output and orthogonal input",
 * Figure 2 left, Appendix A.1–A.2, Figures 6–7).
 *
 * The objective, for every method and every grid point λ:
 *   P(V) = 1/(2N)·‖y − XV‖² + λ‖V‖₁,   XᵀX = N·I,
 * whose minimiser is the soft threshold S_λ(Xᵀy/N). spred minimises
 *   1/(2N)·‖y − X(U⊙W)‖² + α‖U‖² + β‖W‖²  with αβ = κ², κ = λ/2  (Theorem 1).
 * The paper gives no problem sizes for this experiment; ours are stated in configs/lasso.json.
 */
export const lassoConfigSchema = z.strictObject({
  task: z.literal('lasso'),
  ...commonFields,
  problem: z
    .strictObject({
      /** Rows N of the design; must be ≥ features for orthonormal columns. */
      samples: positiveInt().default(1000),
      /** Columns d (the number of coefficients). */
      features: positiveInt().default(500),
      /** Standard deviation of the Gaussian noise added to y = X·v* + ε. */
      noise: z.number().nonnegative().default(0.1),
      /** Ground-truth coefficients: dense N(0, 1) draws, so a λ grid up to ~3 spans sparse ratios 0 → ~1. */
      coefficients: z.enum(['gaussian', 'laplace']).default('gaussian'),
    })
    .prefault({}),
  /** Regularisation strengths λ of the lasso P(V) above (κ = λ/2 for spred). */
  lambdas: z.array(positive()).min(1).default([0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3]),
  /** `closed-form` is the exact soft threshold; `l1` is gradient descent on P directly; `spred` is U⊙W. */
  methods: z.array(z.enum(['closed-form', 'l1', 'spred'])).min(1).default(['closed-form', 'l1', 'spred']),
  /** Both are run for every iterative method (paper: "both gradient descent and Adam"). */
  optimizers: z.array(z.enum(['gd', 'adam'])).min(1).default(['gd', 'adam']),
  /** Each (method, optimizer, λ) keeps the rate with the lowest final objective (paper §4.1). */
  learningRates: z.array(positive()).min(1).default([1, 0.1, 0.01, 0.001]),
  /** Step budget per run. */
  iterations: positiveInt().default(5000),
  /**
   * Two thresholds below which |V_i| counts as zero at the stopping point (footnote 3). The run stops
   * early once the sparse ratios at both agree and have not changed for `patience` checks.
   */
  thresholds: z.tuple([positive(), positive()]).default([1e-3, 1e-6]),
  /** Check the stopping rule and log a trajectory row every this many steps. */
  checkEvery: positiveInt().default(50),
  /** Checks without change (both thresholds agreeing) before stopping early; 0 never stops early. */
  patience: z.number().int().nonnegative().default(10),
  spred: z
    .strictObject({
      /** §3 "two implementation caveats": W from a standard init and U ~ N(0,1), or both with √ of its scale. */
      init: z.enum(['independent', 'sqrt', 'balanced']).default('independent'),
      /** Standard deviation of the dense parameter's standard init that the schemes start from. */
      initScale: positive().default(0.1),
      /** Ratio α/β of the two penalties (αβ = κ² always holds); 1 gives α = β = κ. */
      alphaOverBeta: positive().default(1),
    })
    .prefault({}),
});

export type LassoConfig = z.infer<typeof lassoConfigSchema>;
