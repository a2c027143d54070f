import * as fs from 'node:fs';
import { readExpressionCsv } from '../../data/expression_csv';
import { labelsBySubsetType, readGdsSoft } from '../../data/geo_soft';
import { SpredError, UsageError } from '../../errors';
import { requireMemory } from '../../results/memory';
import { labelMode, splitMode, type GeneDatasetConfig, type GeneSelectionConfig } from './config';
import { authorsAllocation, classAllocation, fitStandardisation, type Standardisation } from './split';

/**
 * The authors' labels (their published loader): every subset of every subset type is a class named
 * `type: description`, and each (sample, subset) pair is a row. Returns per row its sample and label.
 */
function authorsRows(soft: { samples: string[]; subsets: { type: string; description: string; samples: string[] }[] }): { rowSample: number[]; labels: string[] } {
  const index = new Map(soft.samples.map((s, i) => [s, i]));
  const rowSample: number[] = [];
  const labels: string[] = [];
  for (const sub of soft.subsets) {
    for (const gsm of sub.samples) {
      const i = index.get(gsm);
      if (i === undefined) continue; // labelsBySubsetType has already refused unknown samples
      rowSample.push(i);
      labels.push(`${sub.type}: ${sub.description}`);
    }
  }
  return { rowSample, labels };
}

/** Centre each gene over all samples and divide by one global standard deviation (ddof 0, as numpy's X.std()). */
function authorsScaling(values: Float32Array, samples: number, d: number): Standardisation {
  const { mean } = fitStandardisation(values, d, Int32Array.from({ length: samples }, (_, i) => i));
  let ss = 0;
  let count = 0;
  for (let s = 0; s < samples; s++) {
    for (let g = 0; g < d; g++) {
      const v = values[s * d + g];
      if (v === v) {
        ss += (v - mean[g]) ** 2;
        count++;
      }
    }
  }
  const sd = Math.sqrt(ss / Math.max(1, count));
  return { mean, sd: new Float64Array(d).fill(sd) };
}

/**
 * One data set as the fits need it: plain arrays (they reach the workers by structured clone), the
 * expression values already log-transformed when that applies (elementwise, fitted on nothing).
 */
export interface GeneData {
  name: string;
  file: string;
  /** Rows (labelled examples) and genes. A sample is one row, or k rows in `labels: authors` mode. */
  n: number;
  d: number;
  /** samples × d sample-major, each kept sample once; NaN where missing (imputed per split from the training rows). */
  values: Float32Array;
  /** Per row, its sample (row of `values`). */
  rowSample: Int32Array;
  /** Class index per row. */
  labels: Int32Array;
  /** `labels: authors`: samples / rows, the best accuracy of a classifier that gives one answer per input (1/k when every sample is in k subset types); null otherwise. */
  bound: number | null;
  labelMode: 'default' | 'authors';
  splitMode: 'stratified' | 'authors';
  /** `preprocess: authors`: per-gene mean over all samples and one global standard deviation (as `sd` for every gene). */
  globalScaling?: Standardisation;
  classes: string[];
  classCounts: number[];
  probes: string[];
  symbols: string[];
  /** Samples dropped for having no label. */
  dropped: number;
  /** What the log2 step did: e.g. `log2(x+1) (value type count)` or `none (value type log2 ratio)`. */
  transform: string;
  missing: number;
}

export interface GeneInputs {
  datasets: GeneData[];
}

const NEEDED_PER_CLASS = 'one training, one dev and one test sample';

function notFound(field: string, file: string): UsageError {
  const m = /GDS(\d+)/i.exec(file);
  const where = m
    ? `; download it from NCBI GEO (https://ftp.ncbi.nlm.nih.gov/geo/datasets/GDS${m[1].length > 3 ? m[1].slice(0, -3) : ''}nnn/GDS${m[1]}/soft/GDS${m[1]}_full.soft.gz) into ${file} — spred data fetch does not download GEO sets yet`
    : '';
  return new UsageError(`${field} (${file}): file not found${where}`);
}

function applyLog2(values: Float32Array): number {
  let clamped = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (v < 0) clamped++;
    values[i] = Math.log2(Math.max(v, 0) + 1);
  }
  return clamped;
}

function looksRaw(values: Float32Array): boolean {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < 0) return false;
    if (v > max) max = v;
  }
  return max > 100;
}

async function readOne(ds: GeneDatasetConfig, index: number, config: GeneSelectionConfig): Promise<GeneData> {
  const field = `datasets.${index}.path`;
  if (!fs.existsSync(ds.path)) throw notFound(field, ds.path);
  let raw: { samples: string[]; probes: string[]; symbols: string[]; values: Float32Array; missing: number };
  let labelOf: (string | null)[];
  let authors: { rowSample: number[]; labels: string[] } | null = null;
  let isCount: boolean;
  let valueType: string;
  let labelField: string;
  try {
    if (ds.source === 'soft') {
      const soft = await readGdsSoft(ds.path);
      labelField = `datasets.${index}.label.subsetType`;
      try {
        labelOf = labelsBySubsetType(soft, ds.label.subsetType);
      } catch (e) {
        if (e instanceof SpredError) throw new UsageError(`${labelField}: ${e.message}`);
        throw e;
      }
      raw = soft;
      if (ds.labels === 'authors') authors = authorsRows(soft);
      valueType = soft.dataset.valueType || 'not stated';
      isCount = !soft.dataset.isLog && /count/i.test(soft.dataset.valueType);
    } else {
      const csv = await readExpressionCsv(ds.path, { labelColumn: ds.labelColumn, labelColumns: ds.labelColumns, classes: ds.classes });
      labelField = `datasets.${index}.labelColumn`;
      raw = csv;
      labelOf = csv.labels;
      valueType = 'CSV';
      isCount = looksRaw(csv.values);
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof SpredError) throw new UsageError(`${field}: ${e.message}`);
    throw e;
  }
  const d = raw.probes.length;
  // float32 n × d: this copy, its clone in a worker, the split's standardised copy and its tensors.
  requireMemory(`${field} (${raw.samples.length} samples × ${d} genes)`, raw.samples.length * d * 4 * 4);
  const keep = labelOf.flatMap((l, i) => (l === null ? [] : [i]));
  // Rows: one per kept sample (default) or one per (sample, subset) pair (authors), as sample indices into `keep`.
  const rowLabels = authors ? authors.labels : keep.map((i) => labelOf[i]!);
  const keptIndex = new Map(keep.map((s, r) => [s, r]));
  const rowSample = authors ? authors.rowSample.map((s) => keptIndex.get(s) ?? -1) : keep.map((_, r) => r);
  if (rowSample.includes(-1)) throw new UsageError(`${labelField}: a subset names a sample outside the '${ds.source === 'soft' ? ds.label.subsetType : ''}' subsets; with labels: authors every subset's samples must be labelled by the label subset type`);
  const classes = [...new Set(rowLabels)].sort();
  const counts = classes.map((c) => rowLabels.filter((l) => l === c).length);
  const summary = classes.map((c, k) => `${c} ${counts[k]}`).join(', ');
  if (classes.length < 2) throw new UsageError(`${labelField}: ${ds.name} has ${classes.length} class${classes.length === 1 ? '' : 'es'} (${summary || 'no labelled sample'}); classification needs at least 2`);
  for (let k = 0; k < classes.length && splitMode(ds) === 'stratified'; k++) {
    const a = classAllocation(counts[k], config.trainFraction, config.devFraction);
    if (a === null) {
      throw new UsageError(
        `${labelField}: ${ds.name}: class '${classes[k]}' has ${counts[k]} sample${counts[k] === 1 ? '' : 's'}; the stratified split (train ${config.trainFraction}, dev ${config.devFraction}) needs ${NEEDED_PER_CLASS} per class (${summary})`,
      );
    }
  }
  const values = keep.length === raw.samples.length ? raw.values : new Float32Array(keep.length * d);
  if (values !== raw.values) keep.forEach((s, r) => values.set(raw.values.subarray(s * d, (s + 1) * d), r * d));
  const doLog = config.log2 === 'always' || (config.log2 === 'auto' && isCount);
  let transform = `none (${ds.source === 'soft' ? `value type ${valueType}` : 'values look log-scale'})`;
  if (doLog) {
    const clamped = applyLog2(values);
    transform = `log2(x+1) (${config.log2 === 'always' ? 'log2: always' : ds.source === 'soft' ? `value type ${valueType}` : 'raw intensities'}${clamped > 0 ? `; ${clamped} negative values set to 0 first` : ''})`;
  }
  if (splitMode(ds) === 'authors') {
    const parts = authorsAllocation(rowLabels.length);
    if (parts.train < 1 || parts.dev < 1 || parts.test < 1) throw new UsageError(`${labelField}: ${ds.name} has ${rowLabels.length} rows; the authors' 64/16/20 split needs at least one per part`);
  }
  const classIndex = new Map(classes.map((c, k) => [c, k]));
  return {
    name: ds.name,
    file: ds.path,
    n: rowLabels.length,
    d,
    values,
    rowSample: Int32Array.from(rowSample),
    labels: Int32Array.from(rowLabels, (l) => classIndex.get(l)!),
    bound: authors ? keep.length / rowLabels.length : null,
    labelMode: labelMode(ds),
    splitMode: splitMode(ds),
    globalScaling: ds.preprocess === 'authors' ? authorsScaling(values, keep.length, d) : undefined,
    classes,
    classCounts: counts,
    probes: raw.probes,
    symbols: raw.symbols,
    dropped: raw.samples.length - keep.length + ('dropped' in raw ? (raw as { dropped: number }).dropped : 0),
    transform,
    missing: raw.missing,
  };
}

/** The first-layer widths a config's models build on a data set, with the config field that sets each. */
function firstLayerWidths(config: GeneSelectionConfig, data: GeneData): [string, number][] {
  const widths: [string, number][] = [];
  if (config.models.some((m) => m === 'mlp-wd' || m === 'mlp-l1')) widths.push(['mlpHidden', config.mlpHidden]);
  if (config.models.includes('spred-ensemble')) widths.push(['ensembleHidden', data.classes.length + config.ensembleHidden[0]]);
  return widths;
}

/**
 * The first layer of the widest network a fit builds, d × width float32, held about three times during
 * a step (the variable, its gradient, the update): e.g. mlp-wd at 4096 units on 54675 genes ≈ 2.7 GB.
 */
function requireModelMemory(config: GeneSelectionConfig, data: GeneData, index: number): void {
  for (const [field, width] of firstLayerWidths(config, data)) requireMemory(`${field} (datasets.${index}: ${data.d} genes × ${width})`, data.d * width * 4 * 3);
}

/**
 * What one fit process holds at its peak: its copy of every data set (float32 n × d), plus, for the
 * data set and model that need most, the split's standardised copy and its tensors (2 · n × d) and the
 * widest first layer three times (see requireModelMemory). `spred run` multiplies it by `--workers`.
 */
export function memoryPerWorker(config: GeneSelectionConfig, inputs: GeneInputs): { fields: string; bytes: number } {
  const copies = inputs.datasets.reduce((a, d) => a + d.n * d.d * 4, 0);
  let peak = 0;
  let fields = 'datasets';
  inputs.datasets.forEach((data, i) => {
    const widest = firstLayerWidths(config, data).sort((a, b) => b[1] - a[1])[0];
    const need = 2 * data.n * data.d * 4 + (widest ? data.d * widest[1] * 4 * 3 : 0);
    if (need > peak) {
      peak = need;
      fields = `datasets.${i} (${data.n} × ${data.d} genes)${widest ? ` and ${widest[0]} (${data.d} × ${widest[1]})` : ''}`;
    }
  });
  return { fields, bytes: copies + peak };
}

/** Reads and checks every data set of the config (before any run directory exists). */
export async function readGeneInputs(config: GeneSelectionConfig): Promise<GeneInputs> {
  const datasets: GeneData[] = [];
  for (let i = 0; i < config.datasets.length; i++) {
    const data = await readOne(config.datasets[i], i, config);
    requireModelMemory(config, data, i);
    datasets.push(data);
  }
  return { datasets };
}
