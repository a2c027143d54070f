/**
 * End to end: `spred run configs/mlp-node-sparsity-smoke.yaml` on the wasm backend (Fashion-MNIST from
 * ../shared/data), then issue 5's "done means" read back from the CSVs: asserted for ReLU; for swish
 * (the paper: "approximately" the same) the numbers are asserted only where the smoke scale meets them
 * and otherwise checked against their measured values in reference/mlp-node-sparsity-smoke.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveTaskConfig } from '../src/tasks/registry';
import { checkRun } from '../src/report/check';
import { csvRows, readJson, ROOT, runConfig, tempDir, type Row } from './harness';

let runDir: string;
let tmp: string;
let rows: Row[];
let summary: Row[];

beforeAll(async () => {
  tmp = tempDir('mlp');
  ({ dir: runDir } = await runConfig(path.join(ROOT, 'configs/mlp-node-sparsity-smoke.yaml'), tmp, ['--backend', 'wasm']));
  rows = csvRows(runDir, 'node_sparsity.csv');
  summary = csvRows(runDir, 'summary.csv');
}, 600_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const ACTIVATIONS = ['relu', 'swish'];
const HIDDEN = 96;
const EPOCHS = 4;
const NETWORKS = 2 * 2 * 5; // activations × variants × κ
const sweep = (variant: string, activation = 'relu') =>
  rows.filter((r) => r.activation === activation && r.variant === variant).sort((a, b) => a.kappa - b.kappa);
const summaryOf = (variant: string, activation = 'relu') => summary.find((r) => r.activation === activation && r.variant === variant)!;

function squaredCorrelation(xs: number[], ys: number[]): number {
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const [mx, my] = [mean(xs), mean(ys)];
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i] - my);
    sxx += (x - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  });
  return (sxy * sxy) / (sxx * syy);
}

test('both configs validate; the run writes the CSVs and the three panels of Fig. 4', () => {
  expect(resolveTaskConfig(path.join(ROOT, 'configs/mlp-node-sparsity.yaml'))).toMatchObject({
    model: { hidden: 1000, activations: ['relu', 'swish'] },
    data: { dataset: 'mnist' },
    training: { optimizer: 'adam', epochs: 50 },
    threshold: 1e-4,
  });
  for (const f of ['node_sparsity.csv', 'neuron_norms.csv', 'epochs.csv', 'summary.csv', 'comparison.csv']) {
    expect(fs.existsSync(path.join(runDir, f))).toBe(true);
  }
  for (const f of ['norm_distribution.svg', 'node_sparsity.svg', 'weight_vs_node.svg']) {
    expect(fs.readFileSync(path.join(runDir, f), 'utf8')).toMatch(/^<svg/);
  }
  expect(readJson(path.join(runDir, 'manifest.json')).status).toBe('completed');
  expect(rows).toHaveLength(NETWORKS);
  expect([...new Set(rows.map((r) => r.activation))].sort()).toEqual(ACTIVATIONS);
  for (const r of rows) {
    expect(r).toMatchObject({ threshold: 1e-4, epochs: EPOCHS, hidden: HIDDEN });
    for (const c of ['node_sparsity', 'incoming_node_sparsity', 'weight_sparsity', 'near_zero_mass']) {
      expect(r[c]).toBeGreaterThanOrEqual(0);
      expect(r[c]).toBeLessThanOrEqual(1);
    }
  }
});

test('every network learned: test accuracy ≥ 0.7 (chance is 0.1)', () => {
  // Measured at seed 0 on wasm: 0.760 (swish, spred, κ = 0.02) to 0.836 (swish, spred, κ = 2e-3); the
  // floor leaves 0.06 for other machines and seeds while still failing a network that did not train.
  for (const r of rows) {
    expect(r.test_acc).toBeGreaterThanOrEqual(0.7);
    expect(r.test_acc).toBeLessThanOrEqual(1);
  }
});

test('spred reaches ≥ 50 % node sparsity at a κ where test accuracy is ≥ 0.8', () => {
  const ok = sweep('spred').filter((r) => r.test_acc >= 0.8 && r.node_sparsity >= 0.5);
  expect(ok.length).toBeGreaterThanOrEqual(1);
  expect(summaryOf('spred').max_node_sparsity_at_floor).toBeGreaterThanOrEqual(0.5);
});

test('spred has at least the node sparsity of plain weight decay at every κ, for both activations', () => {
  for (const activation of ACTIVATIONS) {
    const plain = sweep('weight-decay', activation);
    const spred = sweep('spred', activation);
    expect(spred.map((r) => r.kappa)).toEqual(plain.map((r) => r.kappa));
    expect(spred.length).toBeGreaterThanOrEqual(5);
    spred.forEach((r, i) => expect(r.node_sparsity).toBeGreaterThanOrEqual(plain[i].node_sparsity));
  }
});

test('ReLU, weight decay: node sparsity and near-zero mass rise with κ (Spearman ρ ≥ 0.8 over ≥ 5 κ)', () => {
  // At this scale the rise is how completely the penalty has zeroed the units that died early (see the
  // config's description), not a rise in how many die; the numbers are in node_sparsity.csv.
  const s = summaryOf('weight-decay');
  expect(s.kappas).toBeGreaterThanOrEqual(5);
  expect(s.spearman_node_vs_kappa).toBeGreaterThanOrEqual(0.8);
  expect(s.spearman_near_zero_vs_kappa).toBeGreaterThanOrEqual(0.8);
  const plain = sweep('weight-decay');
  expect(plain[plain.length - 1].node_sparsity).toBeGreaterThan(plain[0].node_sparsity);
});

test('R² of weight sparsity against node sparsity: the squared correlation of the rows; > 0.5 for ReLU and spred; NaN when node sparsity is flat', () => {
  for (const activation of ACTIVATIONS) {
    for (const variant of ['weight-decay', 'spred']) {
      const s = summaryOf(variant, activation);
      expect(s).toBeDefined();
      const networks = sweep(variant, activation);
      const nodes = networks.map((r) => r.node_sparsity);
      if (new Set(nodes).size === 1) {
        // No line to judge when node sparsity is the same at every κ (swish under plain weight decay
        // leaves no unit below 1e-4 here): R² and ρ are NaN, not a made-up number.
        expect(s.r2_weight_vs_node).toBeNaN();
        expect(s.spearman_node_vs_kappa).toBeNaN();
      } else {
        // R² of the least-squares line = squared Pearson r, recomputed here from node_sparsity.csv.
        expect(s.r2_weight_vs_node).toBeCloseTo(squaredCorrelation(nodes, networks.map((r) => r.weight_sparsity)), 12);
        if (activation === 'relu' || variant === 'spred') expect(s.r2_weight_vs_node).toBeGreaterThan(0.5);
      }
    }
  }
});

test('swish: spred makes units node sparse where plain weight decay does not (reported, paper: "approximately")', () => {
  const s = summaryOf('spred', 'swish');
  expect(s.spearman_node_vs_kappa).toBeGreaterThanOrEqual(0.8);
  expect(s.max_node_sparsity).toBeGreaterThanOrEqual(0.5);
  for (const r of sweep('weight-decay', 'swish')) expect(r.dead_fraction).toBe(0);
});

test('neuron_norms.csv: one row per hidden unit and network, consistent with node sparsity', () => {
  const norms = csvRows(runDir, 'neuron_norms.csv');
  expect(norms).toHaveLength(NETWORKS * HIDDEN);
  for (const r of rows) {
    const units = norms.filter((n) => n.activation === r.activation && n.variant === r.variant && n.kappa === r.kappa);
    expect(units).toHaveLength(HIDDEN);
    expect(units.filter((n) => n.node_sparse === true).length / HIDDEN).toBeCloseTo(r.node_sparsity, 12);
    for (const n of units) expect(n.node_sparse).toBe(n.outgoing_mean_abs < 1e-4);
  }
});

test('tensor count is flat across the epochs of every network', () => {
  const epochs = csvRows(runDir, 'epochs.csv');
  expect(epochs).toHaveLength(NETWORKS * EPOCHS);
  for (const r of rows) {
    const counts = epochs
      .filter((e) => e.activation === r.activation && e.variant === r.variant && e.kappa === r.kappa)
      .map((e) => e.num_tensors);
    expect(counts).toHaveLength(EPOCHS);
    expect(new Set(counts).size).toBe(1);
  }
});

test('spred check passes the run against reference/mlp-node-sparsity-smoke.json', () => {
  const report = checkRun(runDir, path.join(ROOT, 'reference'));
  expect(report.results.filter((r) => !r.pass)).toEqual([]);
  expect(report.passed).toBe(true);
});
