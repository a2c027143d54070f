import { DataError } from '../errors';
import { createRng } from '../numeric/prng';
import { LUMA_BT601 } from './images';
import { ImageArray, WHITEN_F0, whitenImage } from './whiten';

/**
 * Image patches for sparse coding (issue 12 part 1): optional whitening of each whole image
 * (src/data/whiten.ts), seeded random sampling of p×p patches, per-patch mean removal.
 *
 * Layout of the result: X is a Float32Array [count, p·p], row-major — ROW i IS PATCH i, and within a
 * row pixel (r, c) of the patch sits at r·p + c. The paper's Eq. 6 writes X ∈ R^{d₀×N} with patches as
 * COLUMNS (‖X − BS‖², B ∈ R^{d₀×k}, S ∈ R^{k×N}); the paper's X is this matrix's transpose — the same
 * bytes read column-major. The solver states which orientation it uses.
 *
 * Sampling: patch j draws an image uniformly (every photograph weighs the same whatever its size), then a
 * top-left corner uniformly among the (height − p + 1)·(width − p + 1) positions, all from one
 * xoshiro128** stream seeded with `seed` (src/numeric/prng.ts), in that order. Patches are drawn with
 * replacement: two draws may give the same window. The same images, options and seed give the same
 * bytes on every machine.
 */

/** One preprocessing step, in the order applied. `name` is the config-level name; `detail` says exactly what. */
export interface PatchStep {
  name: 'grayscale' | 'unit-variance' | 'whiten' | 'sample' | 'remove-mean';
  detail: string;
}

export interface PreprocessOptions {
  /** Olshausen & Field whitening of each whole image (default false). */
  whiten?: boolean;
  /** The filter's roll-off frequency in cycles/pixel (default WHITEN_F0 = 0.2, see whiten.ts). */
  f0?: number;
}

/** Images ready for sampling, with the steps that made them. */
export interface PreparedImages {
  images: ImageArray[];
  steps: PatchStep[];
}

const GRAYSCALE_STEP: PatchStep = {
  name: 'grayscale',
  detail: `ITU-R BT.601 luma ${LUMA_BT601[0]} R + ${LUMA_BT601[1]} G + ${LUMA_BT601[2]} B of values scaled to [0, 1], alpha ignored`,
};

/** Whitens each image (unit variance, filter, unit variance) when asked; records the steps. */
export function preprocessImages(images: readonly ImageArray[], options: PreprocessOptions = {}): PreparedImages {
  if (images.length === 0) throw new RangeError('preprocessImages: no images');
  if (!options.whiten) return { images: [...images], steps: [GRAYSCALE_STEP] };
  const f0 = options.f0 ?? WHITEN_F0;
  const whitened = images.map((img) => ({ ...img, data: whitenImage(img, f0) }));
  return {
    images: whitened,
    steps: [
      GRAYSCALE_STEP,
      { name: 'unit-variance', detail: 'each whole image: subtract its mean, divide by its standard deviation' },
      {
        name: 'whiten',
        detail: `each whole image, before patches are cut (as Olshausen & Field): DFT amplitude × f·exp(−(f/f0)^4), f0 = ${f0} cycles/pixel, circular`,
      },
      { name: 'unit-variance', detail: 'each whitened image again: mean 0, standard deviation 1' },
    ],
  };
}

export interface SampleOptions {
  /** Patch side p in pixels (patches are p×p). */
  patchSize: number;
  /** Number of patches N. */
  count: number;
  /** Seed of the sampling stream (a non-negative safe integer). */
  seed: number;
  /** Subtract each patch's own mean from it (default true). */
  removeMean?: boolean;
}

/** The patch matrix and everything needed to say how it was made. */
export interface PatchMatrix {
  /** [count, dim] row-major float32: row i is patch i (see the module comment for the convention). */
  X: Float32Array;
  count: number;
  patchSize: number;
  /** p·p, the length of a row. */
  dim: number;
  seed: number;
  /** [count, 3] int32: image index (into `files`), top row, left column of each patch. */
  origins: Int32Array;
  files: string[];
  /** Every step applied, preprocessing first, then 'sample' and (unless turned off) 'remove-mean'. */
  steps: PatchStep[];
}

/** A DataError naming the first image smaller than p×p. */
export function assertPatchFits(images: readonly ImageArray[], p: number): void {
  for (const img of images) {
    if (img.width < p || img.height < p) {
      throw new DataError(`${img.file}: the image (${img.width}×${img.height}) is smaller than the ${p}×${p} patch size`);
    }
  }
}

/** Draws `count` p×p patches from prepared images (see the module comment for the sampling rule). */
export function samplePatches(prepared: PreparedImages, options: SampleOptions): PatchMatrix {
  const { patchSize: p, count, seed } = options;
  const removeMean = options.removeMean ?? true;
  if (!Number.isInteger(p) || p < 1) throw new RangeError(`samplePatches: patchSize must be a positive integer, got ${p}`);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`samplePatches: count must be a positive integer, got ${count}`);
  const images = prepared.images;
  if (images.length === 0) throw new RangeError('samplePatches: no images');
  assertPatchFits(images, p);
  const rng = createRng(seed);
  const dim = p * p;
  const X = new Float32Array(count * dim);
  const origins = new Int32Array(count * 3);
  const patch = new Float64Array(dim);
  for (let j = 0; j < count; j++) {
    const k = rng.int(images.length);
    const img = images[k];
    const top = rng.int(img.height - p + 1);
    const left = rng.int(img.width - p + 1);
    origins[3 * j] = k;
    origins[3 * j + 1] = top;
    origins[3 * j + 2] = left;
    let mean = 0;
    for (let r = 0; r < p; r++) {
      const src = (top + r) * img.width + left;
      for (let c = 0; c < p; c++) {
        const v = img.data[src + c];
        patch[r * p + c] = v;
        mean += v;
      }
    }
    mean = removeMean ? mean / dim : 0;
    // The mean is removed in float64, then rounded once to float32.
    for (let i = 0; i < dim; i++) X[j * dim + i] = patch[i] - mean;
  }
  const steps: PatchStep[] = [
    ...prepared.steps,
    {
      name: 'sample',
      detail: `${count} patches of ${p}×${p}, seed ${seed}: image uniform, then top-left corner uniform, with replacement (xoshiro128**)`,
    },
  ];
  if (removeMean) steps.push({ name: 'remove-mean', detail: 'each patch minus its own mean' });
  return { X, count, patchSize: p, dim, seed, origins, files: images.map((i) => i.file), steps };
}

/** preprocessImages then samplePatches: the whole path from decoded images to the patch matrix. */
export function extractPatches(images: readonly ImageArray[], options: PreprocessOptions & SampleOptions): PatchMatrix {
  assertPatchFits(images, options.patchSize); // before the (slower) whitening
  return samplePatches(preprocessImages(images, options), options);
}
