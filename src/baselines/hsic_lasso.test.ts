import * as fs from 'fs';
import * as path from 'path';
import { hsicLasso, hsicLassoMemory, matrixColumns } from './hsic_lasso';
import { matrix, type Matrix } from '../numeric/matrix';
import { createRng } from '../numeric/prng';

// The reference implementation's own test data, read in place (../shared/data/hsic-lasso, see its README):
// 62 samples, column `class` (±1) then 2000 features v1..v2000.
const DATA = path.join(__dirname, '..', '..', '..', 'shared', 'data', 'hsic-lasso');

interface Expected {
  runs: Record<string, { selected_0based: number[]; beta: number[] }>;
}

function readReference(): { X: Matrix; y: Float64Array } {
  const lines = fs.readFileSync(path.join(DATA, 'csv_data.csv'), 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  expect(header[0]).toBe('class');
  const n = lines.length - 1;
  const d = header.length - 1;
  const X = matrix(n, d);
  const y = new Float64Array(n);
  lines.slice(1).forEach((line, i) => {
    const v = line.split(',').map(Number);
    y[i] = v[0];
    for (let j = 0; j < d; j++) X.data[i * d + j] = v[j + 1];
  });
  return { X, y };
}

const overlap = (a: number[], b: number[]): number => a.filter((j) => b.includes(j)).length;

describe('hsicLasso on the reference data of pyHSICLasso 1.4.2', () => {
  const { X, y } = readReference();
  const expected = (JSON.parse(fs.readFileSync(path.join(DATA, 'expected.json'), 'utf8')) as Expected).runs;

  it('reads 62 samples × 2000 features, two classes', () => {
    expect([X.rows, X.cols]).toEqual([62, 2000]);
    expect(new Set(y)).toEqual(new Set([-1, 1]));
  });

  // expected.json's runs: B = 0, k ∈ {5, 10, 20}, discrete_x = 1 (delta feature kernel) or 0 (Gaussian),
  // labels always the normalised delta kernel (pyHSICLasso's `classification`).
  it.each(Object.keys(expected))('selects the same features in the same order: %s', (key) => {
    const m = /^B0_discrete([01])_k(\d+)$/.exec(key);
    expect(m).not.toBeNull();
    const featureKernel = m![1] === '1' ? 'delta' : 'gaussian';
    const k = Number(m![2]);
    const res = hsicLasso(X, y, k, { blockSize: 0, featureKernel, outputKernel: 'delta' });
    expect(res.selected).toEqual(expected[key].selected_0based);
    expect(res.stop).toBe('k');
    expect([res.blocks, res.permutations, res.discarded]).toEqual([1, 1, 0]);
    // Scores agree with the reference's float32 β to ~1e-5 relative (largest gap measured: 1.3e-6 absolute).
    res.scores.forEach((s, t) => expect(Math.abs(s - expected[key].beta[t])).toBeLessThan(5e-6));
  });

  it('gives the same selection when every column is recomputed per pass (memory budget 0)', () => {
    const stored = hsicLasso(X, y, 10, { blockSize: 0 });
    const recomputed = hsicLasso(X, y, 10, { blockSize: 0, memoryBudgetBytes: 0 });
    expect(stored.storedFeatures).toBe(2000);
    expect(recomputed.storedFeatures).toBe(0);
    expect(recomputed.selected).toEqual(stored.selected);
    expect(recomputed.selected).toEqual(expected.B0_discrete0_k10.selected_0based);
    recomputed.scores.forEach((s, t) => expect(Math.abs(s - stored.scores[t])).toBeLessThan(1e-6));
    expect(recomputed.passes).toBe(11); // Xᵀy, then one Gram column per entering feature
  });

  it('runs the block form (B = 20, M = 3) deterministically for a seed, close to the vanilla selection', () => {
    const opts = { blockSize: 20, permutations: 3, seed: 0 } as const;
    const a = hsicLasso(X, y, 20, opts);
    const b = hsicLasso(X, y, 20, opts);
    expect(b.selected).toEqual(a.selected);
    expect(b.scores).toEqual(a.scores);
    expect([a.blocks, a.permutations, a.discarded]).toEqual([3, 3, 2]);
    expect(a.selected.length).toBe(20);
    // Measured overlap with the vanilla top-k (Gaussian features): seed 0 shares 14 of the top 20 and
    // 10 of the top 10; over seeds 0–9 the range was 14–17 of 20 and 7–10 of 10 (chance: 0.2 of 20).
    expect(overlap(a.selected, expected.B0_discrete0_k20.selected_0based)).toBeGreaterThanOrEqual(12);
    const a10 = hsicLasso(X, y, 10, opts);
    expect(overlap(a10.selected, expected.B0_discrete0_k10.selected_0based)).toBeGreaterThanOrEqual(8);
    // Another seed draws other blocks.
    expect(hsicLasso(X, y, 20, { ...opts, seed: 1 }).scores).not.toEqual(a.scores);
  });
});

describe('hsicLasso', () => {
  it('finds features that matter only nonlinearly', () => {
    // Class = [x₃² + x₇² > 1.4]: no linear correlation with either feature, found by the kernels.
    const n = 120;
    const d = 30;
    const rng = createRng(3);
    const X = matrix(n, d, rng.fillNormal(new Float64Array(n * d)));
    const y = Float64Array.from({ length: n }, (_, i) => (X.data[i * d + 3] ** 2 + X.data[i * d + 7] ** 2 > 1.4 ? 1 : 0));
    const res = hsicLasso(X, y, 2, { blockSize: 0 });
    expect(new Set(res.selected)).toEqual(new Set([3, 7]));
    const block = hsicLasso(X, y, 2, { blockSize: 20, permutations: 3, seed: 5 });
    expect(new Set(block.selected)).toEqual(new Set([3, 7]));
  });

  it('selects by a Gaussian output kernel for a real response (regression)', () => {
    const n = 100;
    const d = 20;
    const rng = createRng(4);
    const X = matrix(n, d, rng.fillNormal(new Float64Array(n * d)));
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(2 * X.data[i * d + 11]) + 0.1 * rng.normal());
    expect(hsicLasso(X, y, 1, { blockSize: 0, outputKernel: 'gaussian' }).selected).toEqual([11]);
  });

  it('reads a row subset through matrixColumns without copying it', () => {
    const n = 40;
    const d = 12;
    const rng = createRng(6);
    const X = matrix(n, d, rng.fillNormal(new Float64Array(n * d)));
    const y = Float64Array.from({ length: n }, (_, i) => (X.data[i * d + 2] > 0 ? 1 : 0));
    const rows = Array.from({ length: 30 }, (_, i) => (i * 7) % n);
    const sub = matrix(30, d, new Float64Array(30 * d));
    rows.forEach((r, i) => sub.data.set(X.data.subarray(r * d, r * d + d), i * d));
    const ySub = Float64Array.from(rows, (r) => y[r]);
    expect(hsicLasso(matrixColumns(X, rows), ySub, 3, { blockSize: 10 })).toEqual(hsicLasso(sub, ySub, 3, { blockSize: 10 }));
  });

  it('estimates its memory: within 4 GB at 606 samples × 54675 genes, B = 20, M = 3', () => {
    const big = hsicLassoMemory(606, 54675, 50, { blockSize: 20, permutations: 3 });
    expect(big.vectorLength).toBe(30 * 3 * 210); // 30 blocks, 3 orderings, 20·21/2 packed entries
    expect(big.denseBytes).toBe(606 * 20 * 3 * 54675 * 4); // pyHSICLasso's flat float32 design: 7.95 GB
    expect(big.denseBytes).toBeGreaterThan(7.9e9);
    expect(big.fullStoreBytes).toBe(54675 * 18900 * 4); // 4.13 GB: too much, so part is recomputed
    expect(big.storedFeatures).toBe(Math.floor(2 ** 31 / (4 * 18900)));
    expect(big.storedFeatures).toBeLessThan(54675);
    expect(big.bytes).toBe(big.storedFeatures * 4 * 18900 + 54 * 54675 * 8 + 4 * 18900 * 8 + 2 * 400 * 8);
    expect(big.bytes).toBeLessThan(2.2e9);
    // A smaller budget stores fewer columns; the rest is O((k + 4)·d).
    expect(hsicLassoMemory(606, 54675, 50, { memoryBudgetBytes: 0 }).bytes).toBeLessThan(3e7);
    // The reference data, vanilla: everything stored, 2000 columns of 62·63/2.
    const small = hsicLassoMemory(62, 2000, 20, { blockSize: 0 });
    expect(small.storedFeatures).toBe(2000);
    expect(small.fullStoreBytes).toBe(2000 * 1953 * 4);
  });

  it('rejects bad arguments with one-line errors', () => {
    const X = matrix(10, 3, Float64Array.from({ length: 30 }, (_, i) => i % 7));
    const y = Float64Array.from({ length: 10 }, (_, i) => i % 2);
    expect(() => hsicLasso(X, y, 4, { blockSize: 0 })).toThrow(/k must be/);
    expect(() => hsicLasso(X, y.subarray(1), 1, { blockSize: 0 })).toThrow(/9 outputs for 10 samples/);
    expect(() => hsicLasso(X, y, 1, { blockSize: 11 })).toThrow(/block size/);
    const Xnan = matrix(10, 3, X.data.slice());
    Xnan.data[4] = NaN;
    expect(() => hsicLasso(Xnan, y, 1, { blockSize: 0 })).toThrow(/feature 1, sample 1 is not a finite number/);
  });
});
