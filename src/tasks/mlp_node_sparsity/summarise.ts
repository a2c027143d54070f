import type { Activation, Variant } from './config';
import type { ComparisonRow, NodeSparsityRow, SummaryRow } from './rows';
import { linearFit, spearman } from '../../numeric/statistics';

/** Per activation × variant: ρ(node sparsity, κ), ρ(near-zero mass, κ), R² of weight vs node sparsity. */
export function summarise(rows: readonly NodeSparsityRow[], accuracyFloor: number): SummaryRow[] {
  const groups = new Map<string, NodeSparsityRow[]>();
  for (const r of rows) {
    const key = `${r.activation}|${r.variant}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((rs) => {
    const sorted = [...rs].sort((a, b) => a.kappa - b.kappa);
    const kappas = sorted.map((r) => r.kappa);
    const fit = linearFit(
      sorted.map((r) => r.node_sparsity),
      sorted.map((r) => r.weight_sparsity),
    );
    const ok = sorted.filter((r) => r.test_acc >= accuracyFloor);
    const best = ok.reduce<NodeSparsityRow | null>((a, r) => (a === null || r.node_sparsity > a.node_sparsity ? r : a), null);
    return {
      activation: sorted[0].activation as Activation,
      variant: sorted[0].variant as Variant,
      kappas: sorted.length,
      spearman_node_vs_kappa: spearman(kappas, sorted.map((r) => r.node_sparsity)),
      spearman_near_zero_vs_kappa: spearman(kappas, sorted.map((r) => r.near_zero_mass)),
      r2_weight_vs_node: fit.r2,
      slope_weight_vs_node: fit.slope,
      intercept_weight_vs_node: fit.intercept,
      max_node_sparsity: Math.max(...sorted.map((r) => r.node_sparsity)),
      accuracy_floor: accuracyFloor,
      max_node_sparsity_at_floor: best?.node_sparsity ?? null,
      kappa_at_floor: best?.kappa ?? null,
      test_acc_at_floor: best?.test_acc ?? null,
    };
  });
}

/** spred beside plain weight decay at every (activation, κ) where both were trained. */
export function compareVariants(rows: readonly NodeSparsityRow[]): ComparisonRow[] {
  const out: ComparisonRow[] = [];
  for (const s of rows.filter((r) => r.variant === 'spred')) {
    const p = rows.find((r) => r.variant === 'weight-decay' && r.activation === s.activation && r.kappa === s.kappa);
    if (!p) continue;
    out.push({
      activation: s.activation,
      kappa: s.kappa,
      weight_decay_node_sparsity: p.node_sparsity,
      spred_node_sparsity: s.node_sparsity,
      difference: s.node_sparsity - p.node_sparsity,
      weight_decay_test_acc: p.test_acc,
      spred_test_acc: s.test_acc,
    });
  }
  return out;
}
