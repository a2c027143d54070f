import type * as tf from '@tensorflow/tfjs';
import { effectiveKernel, prunableLayers } from './model';

/** weights.csv: the distribution of one layer's V at one stage (Fig. 5 left, Fig. 8). */
export interface WeightHistogramRow {
  variant: string;
  stage: WeightStage;
  layer: string;
  /** Bin centre as a fraction of the layer's largest |V| (bins over [−1, 1]). */
  relative_weight: number;
  fraction: number;
}

/** Where in a fit a distribution was measured: before training, after each training epoch, after training. */
export type WeightStage = 'init' | 'training' | 'trained';

/** weight_concentration.csv: how peaked at zero a layer's V is. */
export interface ConcentrationRow {
  variant: string;
  stage: WeightStage;
  /** Training epochs done (init: 0; trained: null when the network was loaded with `from`). */
  epoch: number | null;
  layer: string;
  weights: number;
  max_abs: number;
  /** Share of |V| below `near_zero_fraction` of the layer's largest |V|. */
  near_zero_share: number;
  near_zero_fraction: number;
}

/** Names of the `count` largest conv layers (by weight count; ties in model order). */
export function largestConvLayers(model: tf.LayersModel, count: number): string[] {
  const convs = prunableLayers(model).filter((l) => l.name !== 'fc');
  const size = (l: tf.layers.Layer) => l.trainableWeights[0].shape.reduce((a, b) => (a as number) * (b as number), 1) as number;
  return convs
    .map((l, i) => ({ name: l.name, n: size(l), i }))
    .sort((a, b) => b.n - a.n || a.i - b.i)
    .slice(0, count)
    .map((x) => x.name);
}

/** Histograms and near-zero shares of the named layers' V. */
// Asynchronous reads: a GPU backend (webgpu in Node) cannot read a tensor synchronously.
export async function weightDistribution(
  model: tf.LayersModel,
  layers: readonly string[],
  meta: { variant: string; stage: WeightStage; epoch: number | null },
  bins: number,
  nearZeroFraction: number,
): Promise<{ histogram: WeightHistogramRow[]; concentration: ConcentrationRow[] }> {
  const histogram: WeightHistogramRow[] = [];
  const concentration: ConcentrationRow[] = [];
  for (const layer of prunableLayers(model).filter((l) => layers.includes(l.name))) {
    const t = effectiveKernel(layer);
    const v = (await t.data()) as Float32Array;
    t.dispose();
    let max = 0;
    for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]));
    const counts = new Array<number>(bins).fill(0);
    let near = 0;
    for (let i = 0; i < v.length; i++) {
      const r = max > 0 ? v[i] / max : 0;
      counts[Math.min(bins - 1, Math.floor(((r + 1) / 2) * bins))]++;
      if (Math.abs(v[i]) < nearZeroFraction * max) near++;
    }
    counts.forEach((c, i) => histogram.push({ variant: meta.variant, stage: meta.stage, layer: layer.name, relative_weight: -1 + (2 * (i + 0.5)) / bins, fraction: c / v.length }));
    concentration.push({ ...meta, layer: layer.name, weights: v.length, max_abs: max, near_zero_share: near / v.length, near_zero_fraction: nearZeroFraction });
  }
  return { histogram, concentration };
}

