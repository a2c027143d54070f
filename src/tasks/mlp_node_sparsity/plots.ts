import { lineChart, renderSvg } from '../../report/plot';
import type { NeuronNormRow, NodeSparsityRow } from './rows';

export interface HistogramPoint {
  activation: string;
  variant: string;
  kappa: number;
  /** log10 of the bin's geometric centre. */
  log10_norm: number;
  fraction: number;
}

/**
 * Histogram of the outgoing row norms per network, `bins` log-spaced bins over [lo, hi]; norms below
 * lo (exact zeros included) count in the first bin, above hi in the last.
 */
export function normHistogram(rows: readonly NeuronNormRow[], bins: number, lo: number, hi: number): HistogramPoint[] {
  const groups = new Map<string, NeuronNormRow[]>();
  for (const r of rows) {
    const key = `${r.activation}|${r.variant}|${r.kappa}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const a = Math.log10(lo);
  const width = (Math.log10(hi) - a) / bins;
  const out: HistogramPoint[] = [];
  for (const rs of groups.values()) {
    const counts = new Array<number>(bins).fill(0);
    for (const r of rs) {
      const x = r.outgoing_norm > 0 ? Math.log10(r.outgoing_norm) : -Infinity;
      counts[Math.min(bins - 1, Math.max(0, Math.floor((x - a) / width)))]++;
    }
    counts.forEach((c, i) =>
      out.push({ activation: rs[0].activation, variant: rs[0].variant, kappa: rs[0].kappa, log10_norm: a + (i + 0.5) * width, fraction: c / rs.length }),
    );
  }
  return out;
}

/** Fig. 4 left: distribution of the hidden units' outgoing norms, one line per κ, dashed by variant. */
export async function normDistributionPlot(points: readonly HistogramPoint[], activation: string, lo: number): Promise<string> {
  const data = points
    .filter((p) => p.activation === activation)
    .map((p) => ({ log10_norm: p.log10_norm, fraction: p.fraction, kappa: `κ = ${p.kappa}`, variant: p.variant }));
  return renderSvg(
    lineChart({
      data,
      x: 'log10_norm',
      y: 'fraction',
      color: 'kappa',
      strokeDash: 'variant',
      title: `Outgoing norms of hidden units, ${activation} (paper Fig. 4 left; first bin holds all < ${lo})`,
      xTitle: 'log10 ‖W₂[j, :]‖₂',
      yTitle: 'fraction of hidden units',
    }),
  );
}

/** Fig. 4 mid: node sparsity against κ, per activation and variant. */
export async function nodeSparsityPlot(rows: readonly NodeSparsityRow[], threshold: number): Promise<string> {
  return renderSvg(
    lineChart({
      data: rows.map((r) => ({ kappa: r.kappa, node_sparsity: r.node_sparsity, activation: r.activation, variant: r.variant })),
      x: 'kappa',
      y: 'node_sparsity',
      color: 'activation',
      strokeDash: 'variant',
      xScale: 'log',
      points: true,
      title: `Node sparsity vs weight decay κ (mean |outgoing| < ${threshold}; paper Fig. 4 mid)`,
      xTitle: 'κ (Keras l2; spred L1 strength 2κ)',
      yTitle: 'node sparsity',
    }),
  );
}

/** Fig. 4 right: weight sparsity against node sparsity (one point per κ). */
export async function weightVsNodePlot(rows: readonly NodeSparsityRow[], threshold: number): Promise<string> {
  return renderSvg(
    lineChart({
      data: [...rows]
        .sort((a, b) => a.node_sparsity - b.node_sparsity)
        .map((r) => ({ node_sparsity: r.node_sparsity, weight_sparsity: r.weight_sparsity, activation: r.activation, variant: r.variant })),
      x: 'node_sparsity',
      y: 'weight_sparsity',
      color: 'activation',
      strokeDash: 'variant',
      points: true,
      title: `Weight sparsity vs node sparsity (|w| < ${threshold}; paper Fig. 4 right)`,
      xTitle: 'node sparsity',
      yTitle: 'weight sparsity',
    }),
  );
}
