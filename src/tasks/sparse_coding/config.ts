import { z } from 'zod';
import { commonFields, positive, positiveInt } from '../../config/common';

/**
 * Config of the sparse-coding experiment (paper §4.1 "Sparse coding", Eq. 6, Eq. 10, Figure 3,
 * Appendix A.3; issue 12).
 *
 * Orientation: patches are ROWS here (X is N×d, d = p², as src/data/patches.ts makes it), the
 * dictionary D is k×d with one atom per row, and a patch is reconstructed as s·D. The paper's
 * B (d×k) is Dᵀ and its S (k×N) is our codes' transpose.
 *
 * Objective (per patch, averaged over patches; scikit-learn's `DictionaryLearning` convention):
 *
 *   F(D, S) = (1/N) Σ_i [ ½‖x_i − s_i·D‖² + α‖s_i‖₁ ],   every atom ‖D_j‖ = 1.
 *
 * `alpha` is scikit-learn's `alpha`. The paper's Eq. 6 writes ‖X − BS‖² + κ‖S‖₁ without the ½, so its
 * κ is 2α; its Eq. 10 writes ‖X − B(W⊙V)‖² + κ(‖W‖² + ‖V‖²), whose κ is α. spred minimises
 * (1/N) Σ_i [½‖x_i − (w_i⊙v_i)·D‖² + (α/2)(‖w_i‖² + ‖v_i‖²)] — the project's κ = α/2 on the loss
 * ½‖·‖², L1 strength 2κ = α (src/spred/conventions.ts) — which has the minima of F.
 */
export const SPARSE_CODING_METHODS = ['spred', 'fista', 'naive-l1', 'pca', 'initial'] as const;
export type SparseCodingMethod = (typeof SPARSE_CODING_METHODS)[number];

export const sparseCodingConfigSchema = z.strictObject({
  task: z.literal('sparse-coding'),
  ...commonFields,
  data: z
    .strictObject({
      /** Folder of PNG/JPEG photographs (src/data/images.ts); relative to the working directory. */
      images: z.string().min(1).default('data/images'),
      /** Patch side p (patches are p×p). Paper: 16. */
      patchSize: z.number().int().min(2).max(64).default(16),
      /** Training patches N. Paper: 2×10⁵. */
      patches: positiveInt().default(200_000),
      /** Held-out patches (another seeded draw) on which reconstruction R² and sparsity are measured. */
      heldOut: positiveInt().default(10_000),
      /**
       * Olshausen & Field whitening of every whole image before patches are cut (src/data/whiten.ts).
       * Gabor-like atoms are a property of whitened natural images; unwhitened patches give
       * low-frequency blobs dominated by the 1/f spectrum.
       */
      whiten: z.boolean().default(true),
      /**
       * Roll-off f₀ of the whitening filter in cycles/pixel. Default 0.2 (= 0.4 × Nyquist, what issue 12
       * states and what its scikit-learn calibration used, so our Gabor shares are comparable to it).
       * Olshausen's sparsenet uses 0.4 cycles/pixel (`OLSHAUSEN_FIELD_F0`), which keeps more of the
       * highest frequencies; at 8×8 that gives finer, more checkerboard-prone atoms.
       */
      f0: positive().max(0.5).default(0.2),
      /** Subtract each patch's own mean (default true; the DC component carries no structure to code). */
      removeMean: z.boolean().default(true),
    })
    .prefault({}),
  /** Atoms k. Paper: 2048. */
  atoms: positiveInt().default(2048),
  /**
   * The dictionary every method starts from (the paper does not say):
   * - `patches`: k training patches drawn at random, at unit norm (SPAMS', Mairal et al. 2009);
   * - `pca`: the min(k, d) principal components of the training patches, then seeded N(0, 1) atoms
   *   at unit norm — scikit-learn's `MiniBatchDictionaryLearning` default (SVD components, zero
   *   atoms that its update redraws at random), what issue 12's calibration ran;
   * - `random`: seeded N(0, 1) atoms at unit norm.
   * Whitened natural patches are themselves localised and oriented, so `patches` starts with most
   * atoms already Gabor-like (76.6 % on the smoke config; README, "What the sparse-coding smoke run
   * shows"): the Gabor share then measures the start more than the learning. `random` starts at 0 %,
   * `pca` at about half the PCA basis's share (its random atoms are not Gabor-like).
   */
  dictionaryInit: z.enum(['patches', 'pca', 'random']).default('patches'),
  /** L1 strength α of F (scikit-learn's alpha; the paper's Eq. 10 κ; Eq. 6 κ = 2α). */
  alpha: positive().default(0.4),
  /**
   * Methods run, one fit each (`pca` computes the principal components of the training patches;
   * `initial` reports the starting dictionary itself, untrained: the Gabor share the learning starts from).
   */
  methods: z.array(z.enum(SPARSE_CODING_METHODS)).min(1).default(['spred', 'fista', 'naive-l1', 'pca', 'initial']),
  training: z
    .strictObject({
      /** Passes over the training patches. */
      epochs: positiveInt().default(10),
      /** Patches per minibatch (paper: 5000). Each minibatch: code steps with D fixed, then D steps with the codes fixed. */
      batchSize: positiveInt().default(5000),
      /** spred and naive L1: gradient steps on a minibatch's codes per visit. */
      codeSteps: positiveInt().default(30),
      /**
       * spred and naive L1: learning rate of the code steps, in units of 1/L with L = ‖D‖₂² (the
       * Lipschitz constant of the reconstruction gradient), so the same value works at any k and p.
       */
      codeLearningRate: positive().default(0.5),
      /**
       * spred: σ of the N(0, σ²) initialisation of U and W (codes start at U⊙W, entries ~σ²). Not 0:
       * U = W = 0 is a saddle point of Eq. 10, and near it a code grows only by a factor of about
       * 1 + lr·|∂L/∂s| per step.
       */
      codeInitStd: positive().default(0.1),
      /** Optimizer of the code steps (paper: "simple stochastic gradient descent"). */
      codeOptimizer: z.enum(['sgd', 'momentum']).default('momentum'),
      /** Momentum of `codeOptimizer: momentum`. */
      momentum: z.number().min(0).lt(1).default(0.9),
      /** FISTA: stop a patch's lasso when its duality gap ≤ tol·‖x‖²/d (src/baselines/fista.ts). */
      fistaTol: positive().default(1e-4),
      /** FISTA: cap on iterations per patch and visit. */
      fistaMaxIter: positiveInt().default(500),
      /** L-BFGS iterations on D per minibatch (strong Wolfe; src/optim/lbfgs.ts). */
      dictionarySteps: positiveInt().default(5),
      /** L-BFGS history m. */
      lbfgsHistory: positiveInt().default(10),
      /**
       * "Normalisation of S by the rows" (paper App. A.3; defined nowhere). Our reading: when the atoms
       * are renormalised to unit norm after a D update (D_j ← D_j/‖D_j‖), scale row j of the codes by ‖D_j‖
       * (spred: both w and v by √‖D_j‖) so the reconstruction S·D is unchanged. `false` (default)
       * renormalises D alone and leaves the next code steps to absorb the change. Measured on the smoke
       * config (8 epochs, same steps): it does not help — final objective 3.342 with it against 3.168
       * without for spred (FISTA-alternating: see the smoke config's description). The L1-shrunk codes
       * make the least-squares D's atoms longer than 1, so scaling the codes up by those norms adds to
       * ‖S‖₁ after every batch.
       */
      rowNormalisation: z.boolean().default(false),
    })
    .prefault({}),
  /** spred's final threshold: entries with |w⊙v| < threshold become exactly 0 (then objective and R² are measured). */
  threshold: positive().default(1e-3),
  /** A second, stricter level at which code sparsity is also reported (|s| ≤ this counts as zero). */
  strictThreshold: positive().default(1e-6),
  /** A basis counts as Gabor-like when its least-squares 2-D Gabor fit has R² ≥ this. */
  gaborR2: z.number().gt(0).lt(1).default(0.7),
  /** Write the training patches (N×d), held-out patches and each learned dictionary (k×d) as float32 .npy. */
  exportNpy: z.boolean().default(false),
});

export type SparseCodingConfig = z.infer<typeof sparseCodingConfigSchema>;
export type TrainingConfig = SparseCodingConfig['training'];
