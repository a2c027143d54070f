import * as tf from '@tensorflow/tfjs';
import { loadImageDataset } from '../../data/image_classification';
import type { MlpNodeSparsityConfig } from './config';
import type { MlpData } from './train';

export interface LoadedMlpData extends MlpData {
  /** Pixels per image (784 for 28×28). */
  inputs: number;
  classes: number;
  /** Folder the IDX files were read from. */
  dir: string;
  trainCount: number;
  testCount: number;
}

/**
 * The training and test images of `data.dataset` (first `trainLimit` / `testLimit` of each split), as
 * tensors: flattened pixels in [0, 1], one-hot training labels and integer test labels. A relative
 * `data.path` resolves against the working directory. The caller disposes the tensors.
 */
export function loadMlpData(data: MlpNodeSparsityConfig['data']): LoadedMlpData {
  const train = loadImageDataset(data.dataset, { split: 'train', limit: data.trainLimit, path: data.path });
  const test = loadImageDataset(data.dataset, { split: 'test', limit: data.testLimit, path: data.path });
  const inputs = train.rows * train.cols;
  const classes = train.numClasses;
  return tf.tidy(() => ({
    xTrain: tf.tensor2d(train.images, [train.n, inputs]),
    yTrain: tf.oneHot(tf.tensor1d(train.labels, 'int32'), classes).toFloat() as tf.Tensor2D,
    xTest: tf.tensor2d(test.images, [test.n, inputs]),
    labelsTest: tf.tensor1d(test.labels, 'int32'),
    inputs,
    classes,
    dir: train.dir,
    trainCount: train.n,
    testCount: test.n,
  }));
}

export function disposeMlpData(d: MlpData): void {
  tf.dispose([d.xTrain, d.yTrain, d.xTest, d.labelsTest]);
}
