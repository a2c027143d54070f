import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../../spred/init';
import type { GeneSelectionConfig } from './config';
import type { GeneData, GeneInputs } from './data';
import { prepareSplit, splitFor, type PreparedSplit } from './split';
import type { GeneFit } from './task';

/** One split of one data set, preprocessed on its training rows, as plain arrays and as tensors. */
export interface SplitTensors {
  key: string;
  data: GeneData;
  prepared: PreparedSplit;
  xTrain: tf.Tensor2D;
  yTrain: tf.Tensor2D;
  xDev: tf.Tensor2D;
  yDev: tf.Tensor2D;
  xTest: tf.Tensor2D;
  yTest: tf.Tensor2D;
  labelsTrain: Int32Array;
  labelsDev: Int32Array;
  labelsTest: Int32Array;
}

export interface Shared {
  config: GeneSelectionConfig;
  inputs: GeneInputs;
  /** The last split prepared in this process (fits of a split come in a row). */
  cache: SplitTensors | null;
}

/** The seed of a (data set, split): the same split and initial weights for every model and grid point. */
export function splitSeed(config: GeneSelectionConfig, fit: Pick<GeneFit, 'dataset' | 'split'>): number {
  return deriveSeed(config.seed, fit.dataset * 100_003 + fit.split);
}

export function disposeSplit(t: SplitTensors | null): void {
  if (t) tf.dispose([t.xTrain, t.yTrain, t.xDev, t.yDev, t.xTest, t.yTest]);
}

export function splitTensors(shared: Shared, fit: Pick<GeneFit, 'dataset' | 'split'>): SplitTensors {
  const key = `${fit.dataset}/${fit.split}`;
  if (shared.cache?.key === key) return shared.cache;
  disposeSplit(shared.cache);
  shared.cache = null;
  const data = shared.inputs.datasets[fit.dataset];
  const c = shared.config;
  const split = splitFor(data, c, splitSeed(c, fit));
  const prepared = prepareSplit(data.values, data.d, split, data.rowSample, data.globalScaling);
  const C = data.classes.length;
  const pick = (rows: Int32Array) => Int32Array.from(rows, (r) => data.labels[r]);
  const oneHot = (labels: Int32Array) => tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), C).toFloat() as tf.Tensor2D);
  const labelsTrain = pick(split.train);
  const labelsDev = pick(split.dev);
  const labelsTest = pick(split.test);
  const t: SplitTensors = {
    key,
    data,
    prepared,
    xTrain: tf.tensor2d(prepared.train, [split.train.length, data.d]),
    yTrain: oneHot(labelsTrain),
    xDev: tf.tensor2d(prepared.dev, [split.dev.length, data.d]),
    yDev: oneHot(labelsDev),
    xTest: tf.tensor2d(prepared.test, [split.test.length, data.d]),
    yTest: oneHot(labelsTest),
    labelsTrain,
    labelsDev,
    labelsTest,
  };
  shared.cache = t;
  return t;
}
