import * as tf from '@tensorflow/tfjs';
import { SpredEnsembleNet } from './nets';

// The ensemble's `average` head, log(½(p_linear + p_mlp)), computed from the two heads' log-probabilities.

test('spred-ensemble average head: equals log(½(p_l + p_n)) and stays finite when both heads are confident', async () => {
  const net = new SpredEnsembleNet(30, 3, [8], 0.1, 1e-4, 7);
  const x = tf.randomNormal([6, 30], 0, 1, 'float32', 1) as tf.Tensor2D;
  const mask = tf.ones([30]) as tf.Tensor1D;
  const [avg, lpL, lpN] = net.logProbs(x, mask);
  const plain = tf.tidy(() => tf.log(tf.mul(0.5, tf.add(tf.exp(lpL), tf.exp(lpN)))));
  const [a, p] = await Promise.all([avg.data(), plain.data()]);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(p[i], 5);

  // Inputs 1e4 times larger: the heads' logits differ by thousands, exp underflows to 0 for the classes
  // both heads rule out, and the plain form gives −∞ there (and NaN in the cross-entropy, 0·−∞).
  const big = tf.mul(x, 1e4) as tf.Tensor2D;
  const [avgBig, lpLBig, lpNBig] = net.logProbs(big, mask);
  const plainBig = tf.tidy(() => tf.log(tf.mul(0.5, tf.add(tf.exp(lpLBig), tf.exp(lpNBig)))));
  const [ab, pb, l, n] = await Promise.all([avgBig.data(), plainBig.data(), lpLBig.data(), lpNBig.data()]);
  expect([...pb].some((v) => v === -Infinity)).toBe(true);
  for (let i = 0; i < ab.length; i++) {
    expect(Number.isFinite(ab[i])).toBe(true);
    // log(½(e^a + e^b)) lies between max(a, b) − ln 2 and max(a, b).
    const m = Math.max(l[i], n[i]);
    expect(ab[i]).toBeLessThanOrEqual(m + 1e-3);
    expect(ab[i]).toBeGreaterThanOrEqual(m - Math.LN2 - 1e-3);
  }
  tf.dispose([x, mask, avg, lpL, lpN, plain, big, avgBig, lpLBig, lpNBig, plainBig]);
  net.dispose();
});
