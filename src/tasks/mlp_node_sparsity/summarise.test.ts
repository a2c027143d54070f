import type { NodeSparsityRow } from './rows';
import { compareVariants, summarise } from './summarise';

function row(variant: NodeSparsityRow['variant'], kappa: number, node: number, weight: number, acc: number): NodeSparsityRow {
  return {
    activation: 'relu', variant, kappa, node_sparsity: node, incoming_node_sparsity: 0, both_sides_sparsity: 0, weight_sparsity: weight,
    near_zero_mass: node, test_acc: acc, epochs: 1, hidden: 4, threshold: 1e-4, optimizer: 'sgd', schedule: 'cosine', learning_rate: 0.1,
    final_learning_rate: 0, dead_fraction: 0, dead_outgoing_median: null, dead_outgoing_max: null, seconds: 1, examples_per_second: 1,
  };
}

const rows = [
  row('weight-decay', 0.01, 0, 0.01, 0.85),
  row('weight-decay', 0.02, 0.25, 0.26, 0.8),
  row('weight-decay', 0.04, 0.5, 0.51, 0.7),
  row('spred', 0.04, 1, 1, 0.5),
  row('spred', 0.01, 0.5, 0.4, 0.82),
  row('spred', 0.02, 0.75, 0.7, 0.79),
];

test('one summary per sweep: ρ against κ (rows in any order), R², best node sparsity above the accuracy floor', () => {
  const s = summarise(rows, 0.8);
  expect(s.map((r) => r.variant)).toEqual(['weight-decay', 'spred']);
  expect(s[0]).toMatchObject({ kappas: 3, spearman_node_vs_kappa: 1, max_node_sparsity_at_floor: 0.25, kappa_at_floor: 0.02 });
  expect(s[0].r2_weight_vs_node).toBeCloseTo(1, 12);
  expect(s[0].slope_weight_vs_node).toBeCloseTo(1, 12);
  expect(s[1]).toMatchObject({ spearman_node_vs_kappa: 1, max_node_sparsity_at_floor: 0.5, kappa_at_floor: 0.01, test_acc_at_floor: 0.82 });
  expect(summarise(rows, 0.9)[1].max_node_sparsity_at_floor).toBeNull();
});

test('spred beside weight decay at each κ', () => {
  const c = compareVariants(rows);
  expect(c.map((r) => [r.kappa, r.difference])).toEqual([
    [0.04, 0.5],
    [0.01, 0.5],
    [0.02, 0.5],
  ]);
});
