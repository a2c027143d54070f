import * as fs from 'node:fs';
import { readExpressionCsv } from '../../data/expression_csv';
import { labelsBySubsetType, readGdsSoft } from '../../data/geo_soft';
import { SpredError, UsageError } from '../../errors';
import { requireMemory } from '../../results/memory';
import type { GeneDatasetConfig, GeneSelectionConfig } from './config';
import { classAllocation } from './split';

/**
 * One data set as the fits need it: plain arrays (they reach the workers by structured clone), the
 * expression values already log-transformed when that applies (elementwise, fitted on nothing).
 */
export interface GeneData {
  name: string;
  file: string;
  /** Kept (labelled) samples and genes. */
  n: number;
  d: number;
  /** n × d sample-major; NaN where missing (imputed per split from the training rows). */
  values: Float32Array;
  /** Class index per kept sample. */
  labels: Int32Array;
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
  const classes = [...new Set(keep.map((i) => labelOf[i]!))].sort();
  const counts = classes.map((c) => keep.filter((i) => labelOf[i] === c).length);
  const summary = classes.map((c, k) => `${c} ${counts[k]}`).join(', ');
  if (classes.length < 2) throw new UsageError(`${labelField}: ${ds.name} has ${classes.length} class${classes.length === 1 ? '' : 'es'} (${summary || 'no labelled sample'}); classification needs at least 2`);
  for (let k = 0; k < classes.length; k++) {
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
  const classIndex = new Map(classes.map((c, k) => [c, k]));
  return {
    name: ds.name,
    file: ds.path,
    n: keep.length,
    d,
    values,
    labels: Int32Array.from(keep, (i) => classIndex.get(labelOf[i]!)!),
    classes,
    classCounts: counts,
    probes: raw.probes,
    symbols: raw.symbols,
    dropped: raw.samples.length - keep.length + ('dropped' in raw ? (raw as { dropped: number }).dropped : 0),
    transform,
    missing: raw.missing,
  };
}

/** Reads and checks every data set of the config (before any run directory exists). */
export async function readGeneInputs(config: GeneSelectionConfig): Promise<GeneInputs> {
  const datasets: GeneData[] = [];
  for (let i = 0; i < config.datasets.length; i++) datasets.push(await readOne(config.datasets[i], i, config));
  return { datasets };
}
