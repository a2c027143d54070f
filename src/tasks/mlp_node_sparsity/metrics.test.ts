import { neuronNorms, sparsityMetrics } from './metrics';

// 2 inputs → 3 hidden → 2 classes, tfjs layout: W₁ [in, hidden], W₂ [hidden, out].
const w1 = Float32Array.from([1, 0, 5e-5, -1, 0, 1e-5]);
const w2 = Float32Array.from([2, 0, 2e-5, -2e-5, 0.5, 0.5]);

test('per-unit norms: outgoing rows of W₂, incoming columns of W₁', () => {
  const n = neuronNorms(w1, w2, 2, 3, 2);
  expect(Array.from(n.outgoingMeanAbs)).toEqual([1, expect.closeTo(2e-5, 9), 0.5]);
  expect(n.outgoingNorm[0]).toBeCloseTo(2, 12);
  expect(n.outgoingNorm[2]).toBeCloseTo(Math.SQRT1_2, 7);
  expect(Array.from(n.incomingMeanAbs)).toEqual([1, 0, expect.closeTo(3e-5, 9)]);
  expect(n.incomingNorm[0]).toBeCloseTo(Math.SQRT2, 7);
});

test('node, incoming, both-sides and weight sparsity at the paper threshold 1e-4', () => {
  const m = sparsityMetrics(neuronNorms(w1, w2, 2, 3, 2), w1, w2, 1e-4, 1e-2);
  expect(m.nodeSparsity).toBeCloseTo(1 / 3, 12); // unit 1
  expect(m.incomingNodeSparsity).toBeCloseTo(2 / 3, 12); // units 1 and 2
  expect(m.bothSidesSparsity).toBeCloseTo(1 / 3, 12);
  expect(m.weightSparsity).toBeCloseTo(7 / 12, 12); // 4 of W₁'s 6 entries, 3 of W₂'s 6
  expect(m.nearZeroMass).toBeCloseTo(1 / 3, 12);
});
