import * as tf from '@tensorflow/tfjs';
import { compressionRatio, countNonzero, groupMagnitudes, groupSparsity, l1Norm, sparseRatio } from './sparsity';

describe('sparsity metrics', () => {
  const values = [0, 1e-5, -0.5, 0, 2, -1e-3];

  it('sparseRatio counts |v| ≤ threshold; threshold 0 counts exact zeros', () => {
    expect(sparseRatio(values)).toBeCloseTo(2 / 6, 15);
    expect(sparseRatio(values, 1e-4)).toBeCloseTo(3 / 6, 15);
    expect(sparseRatio(values, 1e-3)).toBeCloseTo(4 / 6, 15);
    expect(sparseRatio(new Float32Array([0, 0]), 0)).toBe(1);
    expect(sparseRatio([])).toBeNaN();
  });

  it('l1Norm, countNonzero and compressionRatio (total / remaining, over several arrays)', () => {
    expect(l1Norm(values)).toBeCloseTo(2.50101, 12);
    expect(countNonzero(values)).toBe(4);
    expect(compressionRatio(values)).toBeCloseTo(6 / 4, 15);
    expect(compressionRatio([values, [0, 0, 0, 0, 3, 0]], 1e-4)).toBeCloseTo(12 / 4, 15);
    expect(compressionRatio([0, 0])).toBe(Infinity);
  });

  it('works on tensors the same as on arrays, without leaking tensors', () => {
    const t = tf.tensor2d(values, [2, 3]);
    const before = tf.memory().numTensors;
    expect(sparseRatio(t, 1e-4)).toBeCloseTo(0.5, 15);
    expect(l1Norm(t)).toBeCloseTo(2.50101, 6);
    expect(compressionRatio([t, t])).toBeCloseTo(12 / 8, 15);
    expect(groupSparsity(t, 0, 0.1)).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('group magnitudes along an axis: mean |v| (the paper’s node measure) and L2', () => {
    // [in = 3, out = 2] kernel; axis 0 groups rows (input units), axis 1 groups columns (output units).
    const kernel = { values: [3, -4, 0, 0, 1e-5, -3e-5], shape: [3, 2] };
    const rows = groupMagnitudes(kernel, 0);
    expect([rows[0], rows[1]]).toEqual([3.5, 0]);
    expect(rows[2]).toBeCloseTo(2e-5, 15);
    const rowsL2 = groupMagnitudes(kernel, 0, 'l2');
    expect(rowsL2[0]).toBeCloseTo(5, 12);
    expect(rowsL2[2]).toBeCloseTo(Math.hypot(1e-5, 3e-5), 15);
    const cols = groupMagnitudes(kernel, -1);
    expect(cols[0]).toBeCloseTo((3 + 1e-5) / 3, 12);
    expect(cols[1]).toBeCloseTo((4 + 3e-5) / 3, 12);
    // groups with mean |v| < 1e-4: rows 1 and 2 → 2/3; exactly zero: row 1 → 1/3
    expect(groupSparsity(kernel, 0, 1e-4)).toBeCloseTo(2 / 3, 15);
    expect(groupSparsity(kernel, 0, 0)).toBeCloseTo(1 / 3, 15);
    expect(groupSparsity(kernel, 0, 3e-5, 'l2')).toBeCloseTo(1 / 3, 15);
    expect(groupSparsity(kernel, 1, 1e-4)).toBe(0);
  });

  it('rank-3 groups along the middle axis', () => {
    // shape [2, 3, 2]: group g holds entries [i, g, k]
    const values3 = Array.from({ length: 12 }, (_, i) => (Math.floor(i / 2) % 3 === 1 ? 0 : i + 1));
    const m = groupMagnitudes({ values: values3, shape: [2, 3, 2] }, 1);
    // group 0: 1, 2, 7, 8 → 4.5; group 1: zeros; group 2: 5, 6, 11, 12 → 8.5
    expect(Array.from(m)).toEqual([4.5, 0, 8.5]);
    expect(() => groupMagnitudes({ values: [1, 2, 3], shape: [2, 2] }, 0)).toThrow(/shape \[2,2\] holds 4 values, got 3/);
    expect(() => groupMagnitudes({ values: [1, 2], shape: [2] }, 1)).toThrow(/axis 1 is out of range for rank 1/);
  });
});
