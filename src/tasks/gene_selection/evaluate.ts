import type { GeneData } from './data';
import type { SplitTensors } from './split_tensors';
import type { AccuracyRow, GeneHit } from './summarise';
import type { GeneFit } from './task';

/** What every fit returns: one accuracy row per head, and the genes its model selects. */
export interface GeneResult {
  rows: AccuracyRow[];
  /** The fit's `fitGenes` largest gene weights at or above the threshold. */
  genes: GeneHit[];
}

export function accuracy(pred: ArrayLike<number>, labels: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) ok++;
  return labels.length > 0 ? ok / labels.length : NaN;
}

/** The training part's most frequent class (the lowest index among ties). */
export function majorityClass(labels: Int32Array, classes: number): number {
  const counts = new Array<number>(classes).fill(0);
  for (const l of labels) counts[l]++;
  return counts.indexOf(Math.max(...counts));
}

/** The columns every row of a fit shares. */
export function baseRow(fit: GeneFit, data: GeneData, t: SplitTensors) {
  const maj = majorityClass(t.labelsTrain, data.classes.length);
  return {
    dataset: data.name,
    label_mode: data.labelMode,
    method: fit.model,
    split: fit.split,
    kappa: fit.kappa,
    lr: fit.lr,
    majority_rate: accuracy(new Int32Array(t.labelsTest.length).fill(maj), t.labelsTest),
    bound: data.bound,
    genes: data.d,
  };
}

/** Genes with weight ≥ threshold: how many, and the `k` largest with their probe ids and symbols. */
export function topGenes(weights: ArrayLike<number>, data: GeneData, threshold: number, k: number): { count: number; genes: GeneHit[] } {
  const idx: number[] = [];
  for (let i = 0; i < weights.length; i++) if (weights[i] >= threshold) idx.push(i);
  idx.sort((a, b) => weights[b] - weights[a]);
  return { count: idx.length, genes: idx.slice(0, k).map((i) => ({ probe: data.probes[i], symbol: data.symbols[i], weight: weights[i] })) };
}

export function exactZeros(weights: ArrayLike<number>): number {
  let z = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i] === 0) z++;
  return z;
}
