import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../numeric/prng';
import { effectiveKernel, kernelVariables, prunableLayers, type PrunableLayer } from './model';

/**
 * Pruning masks over the conv and dense kernels of a network: 1 keeps a weight, 0 prunes it. `apply()`
 * multiplies every kernel variable by its mask (U and W of a spred layer, the kernel of a plain one), so
 * the pruned weights are exactly 0; calling it after every optimizer step holds them there.
 */
export class Masks {
  private constructor(
    private readonly entries: { layer: PrunableLayer; mask: tf.Tensor; vars: tf.LayerVariable[] }[],
    /** Kept weights (ones in the masks). */
    readonly remaining: number,
    /** Conv and dense weights, each V counted once (SynFlow's convention). */
    readonly total: number,
  ) {}

  /** Masks from 0/1 arrays, one per prunable layer of `model` in order. */
  static fromArrays(model: tf.LayersModel, keep: readonly Uint8Array[]): Masks {
    const layers = prunableLayers(model);
    let remaining = 0;
    let total = 0;
    const entries = layers.map((layer, i) => {
      const vars = kernelVariables(layer);
      const shape = vars[0].shape as number[];
      remaining += keep[i].reduce((a, b) => a + b, 0);
      total += keep[i].length;
      return { layer, vars, mask: tf.tensor(Float32Array.from(keep[i]), shape) };
    });
    return new Masks(entries, remaining, total);
  }

  /** total / remaining. */
  get compressionRatio(): number {
    return this.total / this.remaining;
  }

  apply(): void {
    tf.tidy(() => {
      for (const e of this.entries) for (const v of e.vars) v.write(tf.mul(v.read(), e.mask));
    });
  }

  dispose(): void {
    tf.dispose(this.entries.map((e) => e.mask));
  }
}

/** |V| of every prunable layer, in model order (read once). */
export async function kernelMagnitudes(model: tf.LayersModel): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const l of prunableLayers(model)) {
    const v = effectiveKernel(l);
    out.push(((await v.data()) as Float32Array).map(Math.abs));
    v.dispose();
  }
  return out;
}

/** Keep |V| ≥ threshold (spred: one global threshold on |U⊙W|). */
export function thresholdKeep(magnitudes: readonly Float32Array[], threshold: number): Uint8Array[] {
  return magnitudes.map((m) => {
    const keep = new Uint8Array(m.length);
    for (let i = 0; i < m.length; i++) keep[i] = m[i] >= threshold ? 1 : 0;
    return keep;
  });
}

/** The `keep`-th largest |V| over all layers: the global threshold on |V| that keeps (about) `keep` weights. */
export function globalThreshold(magnitudes: readonly Float32Array[], keep: number): number {
  const all = new Float32Array(magnitudes.reduce((a, m) => a + m.length, 0));
  let at = 0;
  for (const m of magnitudes) {
    all.set(m, at);
    at += m.length;
  }
  all.sort();
  return all[Math.max(0, all.length - Math.min(keep, all.length))];
}

/**
 * Keep the `keep` largest |V| over all layers (global magnitude pruning, Han et al. 2015; ties at the
 * cut broken by position).
 */
export function magnitudeKeep(magnitudes: readonly Float32Array[], keep: number): Uint8Array[] {
  const total = magnitudes.reduce((a, m) => a + m.length, 0);
  const all = new Float32Array(total);
  let at = 0;
  for (const m of magnitudes) {
    all.set(m, at);
    at += m.length;
  }
  const order = Uint32Array.from({ length: total }, (_, i) => i).sort((a, b) => all[b] - all[a] || a - b);
  const flat = new Uint8Array(total);
  for (let i = 0; i < Math.min(keep, total); i++) flat[order[i]] = 1;
  return split(flat, magnitudes);
}

/** Keep `keep` weights chosen uniformly at random over all layers (seeded). */
export function randomKeep(magnitudes: readonly Float32Array[], keep: number, seed: number): Uint8Array[] {
  const total = magnitudes.reduce((a, m) => a + m.length, 0);
  const idx = Uint32Array.from({ length: total }, (_, i) => i);
  const rng = createRng(seed);
  const k = Math.min(keep, total);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(total - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  const flat = new Uint8Array(total);
  for (let i = 0; i < k; i++) flat[idx[i]] = 1;
  return split(flat, magnitudes);
}

function split(flat: Uint8Array, like: readonly Float32Array[]): Uint8Array[] {
  let at = 0;
  return like.map((m) => {
    const part = flat.slice(at, at + m.length);
    at += m.length;
    return part;
  });
}

/**
 * The authors' count: every trainable parameter tensor (both factors of a spred layer, biases, batch
 * norm's γ and β) — total entries and entries that are not exactly 0.
 */
export async function authorsCount(model: tf.LayersModel): Promise<{ total: number; nonzero: number }> {
  let total = 0;
  let nonzero = 0;
  for (const w of model.trainableWeights) {
    const d = await w.read().data();
    total += d.length;
    for (let i = 0; i < d.length; i++) if (d[i] !== 0) nonzero++;
  }
  return { total, nonzero };
}

/** Pruned conv/dense weights (mask 0) whose effective value V is not exactly 0: must be 0 under fixed masks. */
export async function nonzeroPruned(model: tf.LayersModel, keep: readonly Uint8Array[]): Promise<number> {
  const mags = await kernelMagnitudes(model);
  let n = 0;
  mags.forEach((m, l) => m.forEach((x, i) => (n += keep[l][i] === 0 && x !== 0 ? 1 : 0)));
  return n;
}
