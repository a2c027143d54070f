import * as os from 'node:os';
import { readImageFolder } from '../../data/images';
import { assertPatchFits, preprocessImages, samplePatches, type PatchStep } from '../../data/patches';
import type { ImageArray } from '../../data/whiten';
import { SpredError, UsageError } from '../../errors';
import { deriveSeed } from '../../spred/init';
import type { SparseCodingConfig } from './config';

/** The patch matrices a run codes (plain arrays: they are handed to worker threads as they are). */
export interface SparseCodingPatches {
  /** Training patches, [count, dim] row-major float32 (row = patch). */
  train: Float32Array;
  /** Held-out patches (another seeded draw from the same images), [heldOutCount, dim]. */
  heldOut: Float32Array;
  count: number;
  heldOutCount: number;
  patchSize: number;
  dim: number;
  /** The image files, in the order patches index them. */
  files: string[];
  /** Every preprocessing step applied (for the log and the manifest). */
  steps: PatchStep[];
}

/** The photographs of `data.images`, decoded and checked (what `checkInputs` hands to the run). */
export interface SparseCodingImages {
  images: ImageArray[];
  dir: string;
}

/** Bytes the run holds per float of patches and codes, with a margin for the backend's copies. */
const BYTES_PER_FLOAT = 4;

/**
 * The checks before a run directory exists: memory for the patches and codes, every image of
 * `data.images` decoded and at least p×p. Errors name the config field. Whitening and sampling are
 * left to `extractPatches` (in the run's set-up: they take seconds on large photographs, and Ctrl-C
 * should find a run directory to mark).
 */
export function readSparseCodingImages(config: SparseCodingConfig): SparseCodingImages {
  const d = config.data;
  const dim = d.patchSize * d.patchSize;
  // Patches, codes (spred: two factors), their gradients and optimizer slots: ~6 copies of N×k, 3 of N×d.
  const need = BYTES_PER_FLOAT * ((d.patches + d.heldOut) * (3 * dim + 6 * config.atoms));
  if (need > 0.8 * os.totalmem()) {
    throw new UsageError(
      `data.patches (${d.patches}) × atoms (${config.atoms}): the run needs about ${(need / 2 ** 30).toFixed(1)} GiB, ` +
        `more than this machine's ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    );
  }
  let folder;
  try {
    folder = readImageFolder(d.images);
  } catch (e) {
    if (e instanceof SpredError) throw new UsageError(`data.images: ${e.message}`);
    throw e;
  }
  try {
    assertPatchFits(folder.images, d.patchSize);
  } catch (e) {
    if (e instanceof SpredError) throw new UsageError(`data.patchSize (${d.patchSize}): ${e.message}`);
    throw e;
  }
  return { images: folder.images.map(({ file, width, height, data }) => ({ file, width, height, data })), dir: d.images };
}

/**
 * Whitens the images when asked and draws the training and held-out patches (seeds derived from
 * `seed`, so the two draws are independent streams).
 */
export function extractSparseCodingPatches(config: SparseCodingConfig, images: readonly ImageArray[]): SparseCodingPatches {
  const d = config.data;
  let prepared;
  try {
    prepared = preprocessImages(images, { whiten: d.whiten, f0: d.f0 });
  } catch (e) {
    if (e instanceof SpredError) throw new UsageError(`data.f0 (${d.f0}): whitening: ${e.message}`);
    throw e;
  }
  const train = samplePatches(prepared, { patchSize: d.patchSize, count: d.patches, seed: deriveSeed(config.seed, 1), removeMean: d.removeMean });
  const heldOut = samplePatches(prepared, { patchSize: d.patchSize, count: d.heldOut, seed: deriveSeed(config.seed, 2), removeMean: d.removeMean });
  return {
    train: train.X,
    heldOut: heldOut.X,
    count: d.patches,
    heldOutCount: d.heldOut,
    patchSize: d.patchSize,
    dim: d.patchSize * d.patchSize,
    files: train.files,
    steps: train.steps,
  };
}

/** Both steps at once (for the benchmark and scripts). */
export function readSparseCodingPatches(config: SparseCodingConfig): SparseCodingPatches {
  return extractSparseCodingPatches(config, readSparseCodingImages(config).images);
}
