import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from '../../errors';
import { fileSystem, MODEL_JSON_FILENAME, modelJsonOf, WEIGHTS_BINARY_FILENAME } from '../../io/file_io';
import '../../spred/spred_conv2d';
import '../../spred/spred_dense';

/** Where a run keeps a trained network of a variant, relative to the run directory. */
export function savedModelDir(variant: string, stage: 'trained' | 'init'): string {
  return `models/${variant}${stage === 'init' ? '-init' : ''}`;
}

/**
 * Saves `model` in the tfjs layers format (model.json + weights.bin, the layout `tf.loadLayersModel`
 * reads) through `writeBytes` (the run directory's atomic writer).
 */
export async function saveModel(model: tf.LayersModel, dir: string, writeBytes: (name: string, data: Uint8Array) => string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const { modelJSON, weightData } = modelJsonOf(artifacts);
      writeBytes(`${dir}/${WEIGHTS_BINARY_FILENAME}`, new Uint8Array(weightData));
      writeBytes(`${dir}/${MODEL_JSON_FILENAME}`, new TextEncoder().encode(JSON.stringify(modelJSON)));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON({ ...artifacts, weightData }) };
    }),
  );
}

/** The saved model's file, or undefined when the run directory has none for this variant. */
export function savedModelFile(runDir: string, variant: string, stage: 'trained' | 'init'): string | undefined {
  const file = path.join(runDir, savedModelDir(variant, stage), MODEL_JSON_FILENAME);
  return fs.existsSync(file) ? file : undefined;
}

/** Copies the weights of a saved network into `model` (same architecture); throws naming the file on a mismatch. */
export async function loadWeightsInto(model: tf.LayersModel, file: string): Promise<void> {
  const saved = await tf.loadLayersModel(fileSystem(file));
  try {
    setWeightsChecked(model, saved.getWeights(), file);
  } finally {
    saved.dispose();
  }
}

/** `model.setWeights(weights)` (saved tensors in the model's weight order); throws naming `file` when their shapes differ. */
export function setWeightsChecked(model: tf.LayersModel, weights: tf.Tensor[], file: string): void {
  const shapes = (s: readonly (readonly number[])[]) => s.map((x) => x.join('×')).join(',');
  if (shapes(weights.map((w) => w.shape)) !== shapes(model.weights.map((w) => w.shape as number[]))) {
    throw new DataError(`${file}: its network differs from the config's (other width, depth, classes or variant)`);
  }
  model.setWeights(weights);
}
