import { loadCifar } from '../../data/cifar';
import { loadImageDataset } from '../../data/image_classification';
import { SpredError, UsageError } from '../../errors';
import type { ResnetPruningConfig } from './config';

/** Side of the images the network sees: CIFAR's, and Fashion-MNIST / MNIST zero-padded from 28. */
export const IMAGE_SIZE = 32;

/** One split as NHWC pixels (plain arrays: they cross into worker threads as structured clones). */
export interface ImageSplit {
  /** n × size × size × channels, standardised per channel with the training split's mean and std. */
  images: Float32Array;
  labels: Int32Array;
  n: number;
}

export interface PruningImages {
  train: ImageSplit;
  test: ImageSplit;
  size: number;
  channels: number;
  classes: number;
  /** Per channel: the standardised value of a black (0) pixel, what the crop's padding is filled with. */
  black: number[];
  /** Folder the files were read from. */
  dir: string;
}

/** Gray rows × cols images into the centre of size × size (zero border), one channel. */
function padGray(src: Float32Array, n: number, rows: number, cols: number, size: number): Float32Array {
  const out = new Float32Array(n * size * size);
  const top = Math.floor((size - rows) / 2);
  const left = Math.floor((size - cols) / 2);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < rows; r++) {
      const from = (i * rows + r) * cols;
      out.set(src.subarray(from, from + cols), (i * size + top + r) * size + left);
    }
  }
  return out;
}

/** Per-channel mean and std of NHWC pixels. */
function channelStats(images: Float32Array, channels: number): { mean: number[]; std: number[] } {
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  for (let i = 0; i < images.length; i++) {
    const c = i % channels;
    sum[c] += images[i];
    sq[c] += images[i] * images[i];
  }
  const count = images.length / channels;
  const mean = Array.from(sum, (s) => s / count);
  const std = Array.from(sq, (s, c) => Math.sqrt(Math.max(s / count - mean[c] * mean[c], 1e-12)));
  return { mean, std };
}

function standardise(images: Float32Array, channels: number, stats: { mean: number[]; std: number[] }): void {
  for (let i = 0; i < images.length; i++) {
    const c = i % channels;
    images[i] = (images[i] - stats.mean[c]) / stats.std[c];
  }
}

/**
 * Reads and checks both splits of `data.dataset`. Errors name the config field that pointed at the
 * files. Pixels are standardised per channel with the training split's statistics.
 */
export function readPruningImages(data: ResnetPruningConfig['data']): PruningImages {
  const field = data.path !== undefined ? `data.path (${data.path})` : `data.dataset (${data.dataset})`;
  try {
    let result: PruningImages;
    if (data.dataset === 'cifar10' || data.dataset === 'cifar100') {
      const train = loadCifar(data.dataset, { split: 'train', limit: data.trainLimit, path: data.path });
      const test = loadCifar(data.dataset, { split: 'test', limit: data.testLimit, path: data.path });
      result = {
        black: [],
        train: { images: train.images, labels: train.labels, n: train.n },
        test: { images: test.images, labels: test.labels, n: test.n },
        size: IMAGE_SIZE,
        channels: train.channels,
        classes: train.numClasses,
        dir: train.dir,
      };
    } else {
      const train = loadImageDataset(data.dataset, { split: 'train', limit: data.trainLimit, path: data.path });
      const test = loadImageDataset(data.dataset, { split: 'test', limit: data.testLimit, path: data.path });
      const pad = (d: typeof train): ImageSplit => ({ images: padGray(d.images, d.n, d.rows, d.cols, IMAGE_SIZE), labels: d.labels, n: d.n });
      result = { black: [], train: pad(train), test: pad(test), size: IMAGE_SIZE, channels: 1, classes: train.numClasses, dir: train.dir };
    }
    const stats = channelStats(result.train.images, result.channels);
    standardise(result.train.images, result.channels, stats);
    standardise(result.test.images, result.channels, stats);
    result.black = stats.mean.map((m, c) => -m / stats.std[c]);
    return result;
  } catch (e) {
    if (e instanceof SpredError) throw new UsageError(`${field}: ${e.message}`);
    throw e;
  }
}

/**
 * Copies the images `indices` of `split` into one NHWC batch; with `rng`, each is first shifted by a
 * random crop of its 4-pixel zero-padded version (offsets 0..8, uniform) and flipped left–right with
 * probability ½ (the authors' `RandomCrop(32, padding=4)` + `RandomHorizontalFlip()`).
 */
export function assembleBatch(
  images: Pick<PruningImages, 'size' | 'channels' | 'black'>,
  split: ImageSplit,
  indices: ArrayLike<number>,
  rng?: { int(n: number): number },
): Float32Array {
  const { size, channels, black } = images;
  const PAD = 4;
  const plane = size * size * channels;
  const out = new Float32Array(indices.length * plane);
  for (let b = 0; b < indices.length; b++) {
    const src = indices[b] * plane;
    const dst = b * plane;
    if (rng === undefined) {
      out.set(split.images.subarray(src, src + plane), dst);
      continue;
    }
    const dy = rng.int(2 * PAD + 1) - PAD;
    const dx = rng.int(2 * PAD + 1) - PAD;
    const flip = rng.int(2) === 1;
    for (let i = 0; i < plane; i++) out[dst + i] = black[i % channels];
    for (let r = 0; r < size; r++) {
      const sr = r + dy;
      if (sr < 0 || sr >= size) continue;
      for (let c = 0; c < size; c++) {
        const sc = (flip ? size - 1 - c : c) + dx;
        if (sc < 0 || sc >= size) continue;
        const from = src + (sr * size + sc) * channels;
        const to = dst + (r * size + c) * channels;
        for (let k = 0; k < channels; k++) out[to + k] = split.images[from + k];
      }
    }
  }
  return out;
}
