import * as tf from '@tensorflow/tfjs';
import { l1Norm as vectorL1Norm } from '../numeric/matrix';
import { normaliseAxis } from './shape';

/**
 * Sparsity metrics on exported parameters. Each reads the values once (one `dataSync` for a tensor —
 * these are for logging, not for the inner loop), computes in float64 and creates no tensors.
 *
 * Thresholds: an entry counts as zero when |v| ≤ threshold (so threshold 0 counts exact zeros). A group
 * counts as zero when its magnitude is < threshold, the paper's definition (§5.1: a node is sparse when
 * the average magnitude of its weights is below 1e-4); threshold 0 there counts groups that are exactly 0.
 */

/** Values with a shape, for callers holding typed arrays rather than tensors (row-major). */
export interface ShapedValues {
  values: ArrayLike<number>;
  shape: readonly number[];
}

export type Values = tf.Tensor | ArrayLike<number>;

function read(v: Values): ArrayLike<number> {
  return v instanceof tf.Tensor ? v.dataSync() : v;
}

function readShaped(v: tf.Tensor | ShapedValues): ShapedValues {
  if (v instanceof tf.Tensor) return { values: v.dataSync(), shape: v.shape };
  const size = v.shape.reduce((a, b) => a * b, 1);
  if (size !== v.values.length) throw new RangeError(`shape [${v.shape}] holds ${size} values, got ${v.values.length}`);
  return v;
}

/** Number of entries with |v| > threshold. */
export function countNonzero(v: Values, threshold = 0): number {
  const a = read(v);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]) > threshold) n++;
  return n;
}

/** Fraction of entries with |v| ≤ threshold (threshold 0: exact zeros). NaN for an empty input. */
export function sparseRatio(v: Values, threshold = 0): number {
  const a = read(v);
  return a.length === 0 ? NaN : (a.length - countNonzero(a, threshold)) / a.length;
}

/** ‖v‖₁ = Σ|v_i|. */
export function l1Norm(v: Values): number {
  return vectorL1Norm(read(v));
}

/**
 * Compression ratio (§5.2): total parameters divided by the remaining ones (|v| > threshold), over one
 * array or several (a whole model's weights). Infinity when nothing remains.
 */
export function compressionRatio(v: Values | readonly Values[], threshold = 0): number {
  const list: readonly Values[] = Array.isArray(v) && (v.length === 0 || typeof v[0] !== 'number') ? (v as Values[]) : [v as Values];
  let total = 0;
  let kept = 0;
  for (const item of list) {
    const a = read(item);
    total += a.length;
    kept += countNonzero(a, threshold);
  }
  return total / kept;
}

/** How a group's magnitude is measured: mean |v| over the group (the paper's §5.1), or ‖v_g‖₂. */
export type GroupMeasure = 'mean-abs' | 'l2';

/**
 * Magnitude of every group, the groups being the slices along `axis` (group g = all entries whose index
 * on `axis` is g; for a [in, out] kernel, axis 0 gives one group per input unit). Float64Array of
 * length shape[axis].
 */
export function groupMagnitudes(v: tf.Tensor | ShapedValues, axis: number, measure: GroupMeasure = 'mean-abs'): Float64Array {
  const { values, shape } = readShaped(v);
  const ax = normaliseAxis(axis, shape.length);
  const groups = shape[ax];
  const inner = shape.slice(ax + 1).reduce((a, b) => a * b, 1);
  const acc = new Float64Array(groups);
  for (let i = 0; i < values.length; i++) {
    const g = Math.floor(i / inner) % groups;
    const x = values[i];
    acc[g] += measure === 'l2' ? x * x : Math.abs(x);
  }
  const perGroup = groups === 0 ? 0 : values.length / groups;
  for (let g = 0; g < groups; g++) acc[g] = measure === 'l2' ? Math.sqrt(acc[g]) : acc[g] / perGroup;
  return acc;
}

/**
 * Fraction of groups (slices along `axis`) whose magnitude is < threshold, or exactly 0 when threshold
 * is 0. Node sparsity of hidden layer h in the paper (§5.1, threshold 1e-4, mean |v|) is
 * `groupSparsity(kernelOfNextLayer, 0, 1e-4)` for tfjs' [in, out] kernels.
 */
export function groupSparsity(
  v: tf.Tensor | ShapedValues,
  axis: number,
  threshold: number,
  measure: GroupMeasure = 'mean-abs',
): number {
  const m = groupMagnitudes(v, axis, measure);
  let zero = 0;
  for (let g = 0; g < m.length; g++) if (threshold > 0 ? m[g] < threshold : m[g] === 0) zero++;
  return m.length === 0 ? NaN : zero / m.length;
}
