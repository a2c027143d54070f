import { mean } from '../../numeric/statistics';
import { lineChart, renderSvg } from '../../report/plot';
import type { GeneSelectionConfig } from './config';
import { chooseOnDev, TABLE_HEAD, type AccuracyRow, type SummaryRow } from './summarise';

const pct = (x: number) => (100 * x).toFixed(2);

/**
 * Table 1's layout: one row per data set, one column per method (its `in_table` head), each cell the
 * mean ± standard error of test accuracy in percent over splits, with the mean number of genes the
 * model uses; then the majority-class rate and, with `labels: authors`, the one-answer-per-input bound.
 */
export function table1Markdown(summary: readonly SummaryRow[], config: GeneSelectionConfig): string {
  const methods = config.models.filter((m) => m !== 'majority');
  const authors = config.datasets.some((d) => d.source === 'soft' && d.labels === 'authors');
  const head = ['Dataset', ...methods.map((m) => (TABLE_HEAD[m] ? `${m} (${TABLE_HEAD[m]})` : m)), 'Majority', ...(authors ? ['Bound (1/k)'] : [])];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const ds of config.datasets) {
    const of = (m: string) => summary.find((s) => s.dataset === ds.name && s.method === m && s.in_table);
    const cells = methods.map((m) => {
      const s = of(m);
      return s ? `${pct(s.test_acc_mean)} ± ${pct(s.test_acc_se)} (${s.n_selected_mean.toFixed(0)} genes)` : '–';
    });
    const any = summary.find((s) => s.dataset === ds.name);
    const maj = of('majority') ?? any;
    lines.push(`| ${[ds.name, ...cells, maj ? pct(maj.majority_rate) : '–', ...(authors ? [any?.bound != null ? pct(any.bound) : '–'] : [])].join(' | ')} |`);
  }
  const splits = Math.max(0, ...summary.map((s) => s.splits));
  lines.push(
    '',
    `Test accuracy (%), mean ± standard error over ${splits} split${splits === 1 ? '' : 's'}, at the κ and learning rate chosen on dev accuracy per split; ` +
      `in parentheses the mean number of genes the model uses.${authors ? ' labels: authors — every subset of every subset type is a class and each sample appears once per subset type, so one answer per input is right on at most the bound (Table 1 was measured this way; see README).' : ''}`,
    '',
  );
  return lines.join('\n');
}

/**
 * Test accuracy against genes used, one line per method (its table head) along the κ grid: per split
 * and κ the learning rate is chosen on dev, then both are averaged over splits.
 */
export async function accuracyVsGenesPlot(rows: readonly AccuracyRow[]): Promise<string> {
  const inTable = rows.filter((r) => r.method !== 'majority' && (TABLE_HEAD[r.method] ?? r.head) === r.head);
  const chosen = chooseOnDev(inTable, true).map((i) => inTable[i]);
  const groups = new Map<string, AccuracyRow[]>();
  for (const r of chosen) {
    const key = `${r.dataset}\u0000${r.method}\u0000${r.kappa}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const data = [...groups.values()].map((g) => ({
    dataset: g[0].dataset,
    method: g.length > 0 ? `${g[0].dataset} ${g[0].method}` : '',
    kappa: g[0].kappa ?? 0,
    genes_used: mean(g.map((r) => r.n_selected)),
    test_acc: mean(g.map((r) => r.test_acc)),
  }));
  data.sort((a, b) => (a.method < b.method ? -1 : a.method > b.method ? 1 : a.genes_used - b.genes_used));
  return renderSvg(
    lineChart({
      data,
      x: 'genes_used',
      y: 'test_acc',
      color: 'method',
      xScale: 'log',
      points: true,
      title: 'Test accuracy against genes used (one point per κ; lr chosen on dev)',
      xTitle: 'genes used (mean over splits)',
      yTitle: 'test accuracy (mean over splits)',
    }),
  );
}
