import * as tf from '@tensorflow/tfjs';
import { maxAbs, maxAbsDiff } from '../numeric/matrix';

/**
 * Runs `fn` on the cpu backend (tfjs' reference kernels) and returns the values of the tensors it
 * returns; the backend active before is active again afterwards. For checking another backend's
 * kernels, or a hand-written gradient, against tfjs' own numbers. Creates no lasting tensors.
 */
export async function valuesOnCpu(fn: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  const previous = tf.getBackend();
  await tf.setBackend('cpu');
  // The cpu backend's "install the node backend" banner says nothing a caller needs (see src/backend.ts).
  (tf.findBackend('cpu') as unknown as { firstUse?: boolean }).firstUse = false;
  try {
    const out = tf.tidy(fn);
    const list = Array.isArray(out) ? out : [out];
    const values = await Promise.all(list.map(async (t) => (await t.data()) as Float32Array));
    tf.dispose(list);
    return values;
  } finally {
    await tf.setBackend(previous);
  }
}

/** max |a − b| / max |b| (0 when b is all zeros and a equals it). */
export function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const scale = maxAbs(b);
  const diff = maxAbsDiff(a, b);
  return scale > 0 ? diff / scale : diff;
}
