import * as tf from '@tensorflow/tfjs';
import { loadImageDataset, type ImageClassificationData } from '../../data/image_classification';
import { SpredError, UsageError } from '../../errors';
import type { MlpNodeSparsityConfig } from './config';
import type { MlpData } from './train';

/** The images as read from disk (plain arrays: they can be handed to worker threads). */
export interface MlpImages {
  train: ImageClassificationData;
  test: ImageClassificationData;
  /** Folder the IDX files were read from. */
  dir: string;
}

export interface LoadedMlpData extends MlpData {
  /** Pixels per image (784 for 28×28). */
  inputs: number;
  classes: number;
  trainCount: number;
  testCount: number;
}

/**
 * Reads and checks the training and test images of `data.dataset` (first `trainLimit` / `testLimit`
 * of each split). A relative `data.path` resolves against the working directory. Errors name the
 * config field that pointed at the files.
 */
export function readMlpImages(data: MlpNodeSparsityConfig['data']): MlpImages {
  const field = data.path !== undefined ? `data.path (${data.path})` : `data.dataset (${data.dataset})`;
  try {
    const train = loadImageDataset(data.dataset, { split: 'train', limit: data.trainLimit, path: data.path });
    const test = loadImageDataset(data.dataset, { split: 'test', limit: data.testLimit, path: data.path });
    return { train, test, dir: train.dir };
  } catch (e) {
    if (e instanceof SpredError) throw new UsageError(`${field}: ${e.message}`);
    throw e;
  }
}

/** The images as tensors: flattened pixels in [0, 1], one-hot training labels, integer test labels. The caller disposes them. */
export function uploadMlpData(images: MlpImages): LoadedMlpData {
  const { train, test } = images;
  const inputs = train.rows * train.cols;
  const classes = train.numClasses;
  return tf.tidy(() => ({
    xTrain: tf.tensor2d(train.images, [train.n, inputs]),
    yTrain: tf.oneHot(tf.tensor1d(train.labels, 'int32'), classes).toFloat() as tf.Tensor2D,
    xTest: tf.tensor2d(test.images, [test.n, inputs]),
    labelsTest: tf.tensor1d(test.labels, 'int32'),
    inputs,
    classes,
    trainCount: train.n,
    testCount: test.n,
  }));
}

export function disposeMlpData(d: MlpData): void {
  tf.dispose([d.xTrain, d.yTrain, d.xTest, d.labelsTest]);
}
