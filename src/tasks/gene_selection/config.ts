import { z } from 'zod';
import { commonFields, positive, positiveInt } from '../../config/common';

/**
 * Config of the gene-selection experiment (paper §4.2, Eq. 7, Table 1, Table 2, Appendix A.5; issue 11):
 * the models of Table 1 (`nets.ts`, `l1-logistic`, `hsic-svm`) and the majority-class reference row.
 *
 * Protocol (§4.2): per data set, `splits` random stratified splits into train / dev / test
 * (`trainFraction`, `devFraction`, the rest test); every (data set, split, model, κ, lr) is one fit;
 * κ and the learning rate are chosen per split on dev accuracy, never on test; training stops early on
 * dev accuracy with `patience`, and the test accuracy is read at the best dev epoch.
 */
const name = z.string().regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, ".", "_" or "-" only');

/** How a data set is labelled, split and preprocessed (per data set, so one run can compare the modes). */
const protocolFields = {
  /** `stratified` (default): per class by `trainFraction`/`devFraction`. `authors`: unstratified 64/16/20 (the authors' loader). */
  split: z.enum(['stratified', 'authors']).optional(),
  /**
   * `train` (default): per split, missing values imputed and each gene standardised with training
   * statistics only. `authors`: centre each gene and divide by one global standard deviation,
   * computed on all samples (the authors' loader; it lets dev/test statistics into training).
   */
  preprocess: z.enum(['train', 'authors']).default('train'),
};

const softDataset = z.strictObject({
  /** Names the data set in every output row, e.g. `GDS507`. */
  name,
  /** A GEO DataSet SOFT file (`GDSnnnn.soft.gz` or `GDSnnnn_full.soft.gz`). */
  source: z.literal('soft'),
  path: z.string().min(1),
  /** The class variable: the subsets of this type (`disease state`, `cell type`, …); samples in none are dropped. */
  label: z.strictObject({ subsetType: z.string().min(1) }),
  /**
   * `default`: one label per sample from `label.subsetType`. `authors`: the authors' published loader —
   * every subset of every subset type is a class, so a sample in k subset types appears k times with
   * k labels and the same expression values; a classifier giving one answer per input is then right
   * on at most ~1/k of the rows (the `bound` column). Implies `split: authors` unless `split` is given.
   */
  labels: z.enum(['default', 'authors']).default('default'),
  ...protocolFields,
});

const csvDataset = z.strictObject({
  name,
  /** An expression-matrix CSV: one row per sample, label columns and one column per gene (src/data/expression_csv.ts). */
  source: z.literal('csv'),
  path: z.string().min(1),
  /** The column holding the class. */
  labelColumn: z.string().min(1),
  /** Other phenotype columns (not genes). */
  labelColumns: z.array(z.string().min(1)).optional(),
  /** Keep only samples of these classes (default: every label value is a class). */
  classes: z.array(z.string().min(1)).min(2).optional(),
  ...protocolFields,
});

export const MODELS = ['spred-linear', 'spred-ensemble', 'l1-logistic', 'mlp-wd', 'mlp-l1', 'hsic-svm', 'majority'] as const;
export type GeneModel = (typeof MODELS)[number];

/** The grid of §4.2: "the learning rate and κ are both selected from {7e-1, 5e-1, 3e-1, 1e-1, 5e-2, 3e-2, 1e-2}". */
export const PAPER_GRID = [0.7, 0.5, 0.3, 0.1, 0.05, 0.03, 0.01];

const fraction = () => z.number().gt(0).lt(1);

export const geneSelectionConfigSchema = z
  .strictObject({
    task: z.literal('gene-selection'),
    ...commonFields,
    datasets: z
      .array(z.discriminatedUnion('source', [softDataset, csvDataset]))
      .min(1)
      .refine((ds) => new Set(ds.map((d) => d.name)).size === ds.length, 'two data sets share a name'),
    /**
     * `auto` (default): log2(max(x, 0) + 1) when a SOFT file's `!dataset_value_type` is `count` (not a
     * log ratio or transformed count), or when a CSV's values are all ≥ 0 with a maximum above 100 (raw
     * intensities; log2 intensities stay below ~20). Elementwise, so it leaks nothing between splits.
     */
    log2: z.enum(['auto', 'always', 'never']).default('auto'),
    /** Random stratified splits per data set (§4.2: 20). */
    splits: positiveInt().max(1000).default(20),
    /** Per class, round(n·trainFraction) samples train, round(n·devFraction) dev (each ≥ 1), the rest test (§4.2: 60/20/20). */
    trainFraction: fraction().default(0.6),
    devFraction: fraction().default(0.2),
    models: z.array(z.enum(MODELS)).min(1).default(['spred-linear', 'spred-ensemble', 'l1-logistic', 'mlp-wd', 'mlp-l1', 'hsic-svm', 'majority']),
    /**
     * Penalty strength of every penalised model, one grid: κ of spred's κ(‖U‖² + ‖W‖²) (an L1 penalty 2κ
     * on the rows of diag(U)·W), of l1-logistic's 2κ Σ‖V_i‖₂, of mlp-l1's 2κ‖W₁‖₁, mlp-wd's κ‖W‖².
     */
    kappas: z.array(positive()).min(1).max(100).default(PAPER_GRID),
    learningRates: z.array(positive()).min(1).max(100).default(PAPER_GRID),
    /**
     * Per model, a grid replacing `kappas` / `learningRates` (e.g. a smaller one for the costly MLPs), and
     * `epochs` / `earlyStoppingFrom` replacing the top-level ones (e.g. a longer budget and warm-up for the
     * cheap spred-linear, whose slowest grid point needs the most epochs for its penalty to act).
     */
    grids: z
      .partialRecord(
        z.enum(MODELS),
        z.strictObject({
          kappas: z.array(positive()).min(1).max(100).optional(),
          learningRates: z.array(positive()).min(1).max(100).optional(),
          epochs: positiveInt().max(1_000_000).optional(),
          earlyStoppingFrom: z.number().int().min(0).max(1_000_000).optional(),
        }),
      )
      .default({}),
    /** Early stopping on dev accuracy (§4.2). `false`: train all `epochs` and read the last epoch (Theorem-1 checks). */
    earlyStopping: z.boolean().default(true),
    /** mlp-wd / mlp-l1: the hidden layer (§4.2: "MLP contains one hidden layer of 4096 neurons"). */
    mlpHidden: positiveInt().max(65536).default(4096),
    /** spred-ensemble: f_n's hidden layers (§4.2: "f_n contains two hidden layers of 1024 neurons"). */
    ensembleHidden: z.array(positiveInt().max(65536)).min(1).max(8).default([1024, 1024]),
    /** Weight decay on the layers after the first (f_n's, and mlp-l1's output layer): the paper's caveat against divergence. */
    tailDecay: z.number().min(0).max(100).default(1e-4),
    /** l1-logistic (FISTA): stop when the gradient-mapping norm is at most this, or after `maxIter` steps. */
    l1Logistic: z.strictObject({ tol: positive().default(1e-6), maxIter: positiveInt().max(10_000_000).default(20000) }).prefault({}),
    /** hsic-svm: HSIC Lasso (block form of pyHSICLasso) to the top `k` genes, then scikit-learn's SVC() (RBF, C = 1, gamma 'scale'). */
    hsic: z
      .strictObject({
        k: positiveInt().max(10000).default(50),
        blockSize: z.number().int().min(0).max(10000).default(20),
        permutations: positiveInt().max(100).default(3),
        /** Bytes of HSIC design columns kept between LARS passes; the rest are recomputed (src/baselines/hsic_lasso.ts). */
        memoryBudgetBytes: positiveInt().default(1 << 30),
      })
      .prefault({}),
    /**
     * Plain SGD (the paper: "spread models are optimized by SGD"), Adam, or full-batch L-BFGS with a
     * strong Wolfe line search (src/optim; one iteration per epoch, the learning rate unused) — the
     * paper notes spred's smooth objective suits second-order methods; used to solve to high precision.
     */
    optimizer: z.enum(['sgd', 'adam', 'lbfgs']).default('sgd'),
    /** Most epochs (passes over the training part). */
    epochs: positiveInt().max(1_000_000).default(500),
    /**
     * Stop after this many epochs without a strictly higher dev accuracy (src/optim EarlyStopping). Dev
     * accuracy on a few dozen samples plateaus early; the result is read at the latest epoch of the
     * plateau, so the patience is also how long the penalty gets to zero genes once dev accuracy peaks.
     */
    patience: positiveInt().default(100),
    /**
     * An epoch whose dev accuracy equals the best so far (src/optim EarlyStopping `ties`): `latest`
     * becomes the read-out epoch but patience counts on from the last strictly higher one; `restart`
     * also restarts patience, so training goes on while dev accuracy holds its best; `first` (Keras)
     * keeps the first of the ties.
     */
    earlyStoppingTies: z.enum(['first', 'latest', 'restart']).default('latest'),
    /**
     * Warm-up epochs before early stopping watches dev accuracy (Keras' `start_from_epoch`): until then
     * the read-out is the latest epoch and patience does not count. 0 = from the first epoch (§4.2).
     * A warm-up lets spred's penalty act before the model is read: full-batch SGD shrinks the weight of
     * a gene the data do not support by (1 − 2κ·lr)² per epoch, so from 1 to below `threshold` in
     * ⌈ln(threshold) / (2 ln(1 − 2κ·lr))⌉ epochs (18 at κ = lr = 0.3, 56 at κ 0.1 / lr 0.3, 171 at
     * κ = lr = 0.1); genes the data weakly support shrink more slowly.
     */
    earlyStoppingFrom: z.number().int().min(0).max(1_000_000).default(0),
    /** Minibatch size; absent = full batch (one step per epoch; the training parts here are 10–400 samples). */
    batchSize: positiveInt().optional(),
    /** A gene is selected when its effective weight |U_i|·‖W_i,:‖₂ (row i of diag(U)·W) is at least this. */
    threshold: positive().default(1e-3),
    /** genes.csv: this many genes per data set and method, by selection frequency over splits, then mean weight. */
    topGenes: positiveInt().max(100_000).default(50),
    /**
     * Each fit returns at most this many of its selected genes (largest effective weight first) for the
     * selection frequencies of genes.csv; keeps the journal small when a small κ selects thousands.
     */
    fitGenes: positiveInt().max(1_000_000).default(1000),
  })
  .superRefine((c, ctx) => {
    c.datasets.forEach((ds, i) => {
      if (ds.source === 'soft' && ds.split === 'stratified' && ds.labels === 'authors') {
        ctx.addIssue({ code: 'custom', path: ['datasets', i, 'split'], message: "labels: authors makes classes of single samples; use split: authors (the authors' unstratified split)" });
      }
    });
    for (const [model, grid] of Object.entries(c.grids)) {
      for (const k of ['kappas', 'learningRates'] as const) {
        const xs = grid?.[k];
        if (xs && new Set(xs).size !== xs.length) ctx.addIssue({ code: 'custom', path: ['grids', model, k], message: 'a value is listed twice' });
      }
    }
    if (c.trainFraction + c.devFraction >= 1) {
      ctx.addIssue({ code: 'custom', path: ['devFraction'], message: `trainFraction + devFraction must be < 1 (the rest is test), got ${c.trainFraction} + ${c.devFraction}` });
    }
    for (const k of ['models', 'kappas', 'learningRates'] as const) {
      const xs: readonly unknown[] = c[k];
      if (new Set(xs).size !== xs.length) ctx.addIssue({ code: 'custom', path: [k], message: 'a value is listed twice' });
    }
  });

export type GeneSelectionConfig = z.infer<typeof geneSelectionConfigSchema>;
export type GeneDatasetConfig = GeneSelectionConfig['datasets'][number];

/** The split in force for a data set: `split`, or `authors` when `labels: authors` and `split` is not given. */
export function splitMode(ds: GeneDatasetConfig): 'stratified' | 'authors' {
  return ds.split ?? (labelMode(ds) === 'authors' ? 'authors' : 'stratified');
}

export function labelMode(ds: GeneDatasetConfig): 'default' | 'authors' {
  return ds.source === 'soft' ? ds.labels : 'default';
}

/** The κ and learning-rate grid of a model, its most epochs and its early-stopping warm-up. */
export function gridOf(
  config: GeneSelectionConfig,
  model: GeneModel,
): { kappas: number[]; learningRates: number[]; epochs: number; earlyStoppingFrom: number } {
  const g = config.grids[model];
  return {
    kappas: g?.kappas ?? config.kappas,
    learningRates: g?.learningRates ?? config.learningRates,
    epochs: g?.epochs ?? config.epochs,
    earlyStoppingFrom: g?.earlyStoppingFrom ?? config.earlyStoppingFrom,
  };
}
