import { z } from 'zod';
import { commonFields, positive, positiveInt } from '../../config/common';

/**
 * Config of the gene-selection experiment (paper §4.2, Eq. 7, Table 1, Table 2, Appendix A.5; issue 11),
 * first slice: the `spred-linear` model (f_l of Eq. 7 alone) and the majority-class reference row.
 *
 * Protocol (§4.2): per data set, `splits` random stratified splits into train / dev / test
 * (`trainFraction`, `devFraction`, the rest test); every (data set, split, model, κ, lr) is one fit;
 * κ and the learning rate are chosen per split on dev accuracy, never on test; training stops early on
 * dev accuracy with `patience`, and the test accuracy is read at the best dev epoch.
 */
const name = z.string().regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, ".", "_" or "-" only');

const softDataset = z.strictObject({
  /** Names the data set in every output row, e.g. `GDS507`. */
  name,
  /** A GEO DataSet SOFT file (`GDSnnnn.soft.gz` or `GDSnnnn_full.soft.gz`). */
  source: z.literal('soft'),
  path: z.string().min(1),
  /** The class variable: the subsets of this type (`disease state`, `cell type`, …); samples in none are dropped. */
  label: z.strictObject({ subsetType: z.string().min(1) }),
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
});

export const MODELS = ['spred-linear', 'majority'] as const;
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
    models: z.array(z.enum(MODELS)).min(1).default(['spred-linear', 'majority']),
    /** κ of the penalty κ(‖U‖² + ‖W‖²) (an L1 penalty 2κ on the rows of diag(U)·W). */
    kappas: z.array(positive()).min(1).max(100).default(PAPER_GRID),
    learningRates: z.array(positive()).min(1).max(100).default(PAPER_GRID),
    /** Plain SGD (the paper: "spread models are optimized by SGD"). */
    optimizer: z.enum(['sgd', 'adam']).default('sgd'),
    /** Most epochs (passes over the training part). */
    epochs: positiveInt().max(1_000_000).default(500),
    /**
     * Stop after this many epochs without a strictly higher dev accuracy (src/optim EarlyStopping). Dev
     * accuracy on a few dozen samples plateaus early; the result is read at the latest epoch of the
     * plateau, so the patience is also how long the penalty gets to zero genes once dev accuracy peaks.
     */
    patience: positiveInt().default(100),
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
