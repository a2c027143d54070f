import * as tf from '@tensorflow/tfjs';
import { balanceScales } from './conventions';
import { normaliseAxis } from './shape';

/**
 * Initialisation of the redundant pair (U, W) with V = U ⊙ W (or V_g = u_g·W_g for groups), given σ,
 * the standard deviation a standard init (Glorot, He, …) would give the dense parameter V.
 *
 * The paper (§3, "two implementation caveats") names two schemes; a third is kept to show a pitfall.
 *
 * - `'independent'` — W ~ N(0, σ²) (the standard init) and U ~ N(0, 1), independent; U ⊙ W has std σ.
 *   Groups: W ~ N(0, σ²), u_g ~ N(0, 1).
 * - `'sqrt'` — both factors with the same scale: U, W ~ N(0, σ) (std √σ), independent; U ⊙ W again has
 *   std σ. Groups of d entries: W ~ N(0, σ/√d) and u_g ~ N(0, σ√d) (stds √σ·d^{-1/4} and √σ·d^{1/4}),
 *   so E u_g² = E‖W_g‖² (balanced on average) and u_g W_g has std σ per entry.
 * - `'balanced'` — exactly balanced from the start: U ~ N(0, σ) and W = |U|. **A pitfall, kept only to
 *   demonstrate it.** With α = β the updates preserve U = ±W coordinatewise: U + W and U − W are
 *   multiplied by (1 − η(g + 2κ)) and (1 + η(g − 2κ)) under a gradient step (g = ∂L/∂V), so a
 *   coordinate with U = W stays there and V = U² ≥ 0, and one with U = −W keeps V = −U² ≤ 0. Every
 *   coordinate's sign of V is fixed forever by the sign of its initial U; a coordinate whose optimum
 *   has the other sign ends at 0 instead. (Exactly so for plain gradient descent, also in float arithmetic;
 *   Adam and momentum act coordinatewise on U and W alike and keep it too.) Groups: W ~ as in `'sqrt'`,
 *   u_g = ‖W_g‖₂ > 0; u_g² − ‖W_g‖² then stays 0 under gradient flow, which fixes u_g ≥ 0 but not the
 *   direction of V_g, so for groups the pitfall is mild.
 *
 * All schemes are stated for α = β. For α ≠ β, U (or u) is then multiplied by (β/α)^{1/4} and W by
 * (α/β)^{1/4} (`balanceScales`), which leaves V unchanged and maps |U| = |W| to √α|U| = √β|W|.
 */
export type InitScheme = 'independent' | 'sqrt' | 'balanced';
export const INIT_SCHEMES: readonly InitScheme[] = ['independent', 'sqrt', 'balanced'];

/** Standard dense inits by name: the std σ each gives a [fanIn, fanOut] kernel (untruncated normal). */
export type StandardInit = 'glorot' | 'he' | 'lecun';

/** σ of a standard init: Glorot √(2/(fanIn+fanOut)), He √(2/fanIn), LeCun √(1/fanIn). */
export function standardInitStd(kind: StandardInit, fanIn: number, fanOut: number): number {
  switch (kind) {
    case 'glorot':
      return Math.sqrt(2 / (fanIn + fanOut));
    case 'he':
      return Math.sqrt(2 / fanIn);
    case 'lecun':
      return Math.sqrt(1 / fanIn);
  }
}

export interface RedundantInitArgs {
  /** Which scheme (see the module comment). */
  scheme: InitScheme;
  /** Shape of W, which is also the shape of V. */
  shape: readonly number[];
  /** σ: the std the dense parameter V would get from a standard init. Must be > 0. */
  std: number;
  /**
   * Omit for elementwise redundancy (U has W's shape). Otherwise the axis of W whose slices are the
   * groups: U has shape [shape[groupAxis]], one scalar per slice.
   */
  groupAxis?: number;
  /** Seeds both draws; omitted means unseeded (Math.random). Default: unseeded. */
  seed?: number;
  /** Penalty on U; with `beta`, sets the balance the scheme is scaled to. Default: α = β. */
  alpha?: number;
  /** Penalty on W. Default: α = β. */
  beta?: number;
}

/**
 * Derives independent stream seeds from one seed (a 32-bit integer mix, so that seeds s and s+1 of two
 * layers do not share a stream).
 */
export function deriveSeed(seed: number, stream: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function normal(shape: number[], std: number, seed: number | undefined, stream: number): tf.Tensor {
  return tf.randomNormal(shape, 0, std, 'float32', seed === undefined ? undefined : deriveSeed(seed, stream));
}

/** Returns fresh tensors u and w (the caller owns and disposes them). */
export function initRedundantPair(args: RedundantInitArgs): { u: tf.Tensor; w: tf.Tensor } {
  const { scheme, std, seed } = args;
  const shape = [...args.shape];
  if (!(std > 0) || !Number.isFinite(std)) throw new RangeError(`init std must be a finite number > 0, got ${std}`);
  const scales = balanceScales(args.alpha ?? 1, args.beta ?? 1);
  return tf.tidy(() => {
    let u: tf.Tensor;
    let w: tf.Tensor;
    if (args.groupAxis === undefined) {
      if (scheme === 'independent') {
        u = normal(shape, 1, seed, 0);
        w = normal(shape, std, seed, 1);
      } else {
        u = normal(shape, Math.sqrt(std), seed, 0);
        w = scheme === 'sqrt' ? normal(shape, Math.sqrt(std), seed, 1) : tf.abs(u);
      }
    } else {
      const axis = normaliseAxis(args.groupAxis, shape.length);
      const groups = shape[axis];
      const d = shape.reduce((a, b) => a * b, 1) / groups;
      if (scheme === 'independent') {
        u = normal([groups], 1, seed, 0);
        w = normal(shape, std, seed, 1);
      } else {
        w = normal(shape, Math.sqrt(std) * Math.pow(d, -0.25), seed, 1);
        if (scheme === 'sqrt') {
          u = normal([groups], Math.sqrt(std) * Math.pow(d, 0.25), seed, 0);
        } else {
          const others = shape.map((_, i) => i).filter((i) => i !== axis);
          u = tf.sqrt(tf.sum(tf.square(w), others));
        }
      }
    }
    return { u: tf.mul(u, scales.u), w: tf.mul(w, scales.w) };
  });
}
