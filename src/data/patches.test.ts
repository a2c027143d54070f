import * as path from 'node:path';
import { DataError } from '../errors';
import { readImageFolder } from './images';
import { extractPatches, preprocessImages, samplePatches } from './patches';
import { ImageArray } from './whiten';

const IMAGES = path.join(__dirname, '..', '..', 'data', 'images');

/** A deterministic test image whose pixel (r, c) is r·1000 + c, so a patch's origin can be read off it. */
function ramp(file: string, height: number, width: number): ImageArray {
  const data = new Float64Array(height * width);
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) data[r * width + c] = r * 1000 + c;
  return { file, height, width, data };
}

function sameBytes(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('samplePatches', () => {
  const images = [ramp('a.png', 20, 30), ramp('b.png', 9, 12)];

  it('cuts row-major p×p windows at the recorded origins', () => {
    const m = samplePatches(preprocessImages(images), { patchSize: 4, count: 200, seed: 1, removeMean: false });
    expect(m.X).toBeInstanceOf(Float32Array);
    expect([m.count, m.patchSize, m.dim, m.X.length, m.origins.length]).toEqual([200, 4, 16, 200 * 16, 600]);
    expect(m.files).toEqual(['a.png', 'b.png']);
    const used = new Set<number>();
    for (let j = 0; j < m.count; j++) {
      const [k, top, left] = m.origins.subarray(3 * j, 3 * j + 3);
      used.add(k);
      expect(top).toBeGreaterThanOrEqual(0);
      expect(left).toBeGreaterThanOrEqual(0);
      expect(top + 4).toBeLessThanOrEqual(images[k].height);
      expect(left + 4).toBeLessThanOrEqual(images[k].width);
      for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) expect(m.X[j * 16 + r * 4 + c]).toBe((top + r) * 1000 + left + c);
    }
    expect(used).toEqual(new Set([0, 1]));
  });

  it('is deterministic for a seed and changes with it', () => {
    // (removeMean off: on a ramp every mean-free window is the same.)
    const opts = { patchSize: 5, count: 300, seed: 42, removeMean: false };
    const a = samplePatches(preprocessImages(images), opts);
    const b = samplePatches(preprocessImages(images), opts);
    const c = samplePatches(preprocessImages(images), { ...opts, seed: 43 });
    expect(sameBytes(a.X, b.X)).toBe(true);
    expect(a.origins).toEqual(b.origins);
    expect(sameBytes(a.X, c.X)).toBe(false);
    expect(a.origins).not.toEqual(c.origins);
    expect(a.seed).toBe(42);
    // Golden origins pin the sampling rule (image uniform, then top, then left, one xoshiro128** stream).
    expect(Array.from(a.origins.subarray(0, 9))).toEqual([0, 0, 13, 1, 2, 2, 1, 1, 3]);
  });

  it('removes each patch mean by default', () => {
    const m = samplePatches(preprocessImages(images), { patchSize: 6, count: 100, seed: 3 });
    for (let j = 0; j < m.count; j++) {
      let s = 0;
      for (let i = 0; i < m.dim; i++) s += m.X[j * m.dim + i];
      // Values reach ±2.5e3 here; float32 rounding of each bounds the mean by ~1e-4.
      expect(Math.abs(s / m.dim)).toBeLessThan(1e-3);
    }
    expect(m.steps.map((s) => s.name)).toEqual(['grayscale', 'sample', 'remove-mean']);
    expect(m.steps[1].detail).toContain('seed 3');
  });

  it('an image smaller than the patch is a DataError naming it', () => {
    expect(() => samplePatches(preprocessImages(images), { patchSize: 10, count: 5, seed: 0 })).toThrow(
      new DataError('b.png: the image (12×9) is smaller than the 10×10 patch size'),
    );
    expect(() => extractPatches(images, { patchSize: 13, count: 5, seed: 0, whiten: true })).toThrow(
      new DataError('b.png: the image (12×9) is smaller than the 13×13 patch size'),
    );
  });

  it('rejects a bad patch size or count', () => {
    expect(() => samplePatches(preprocessImages(images), { patchSize: 0, count: 5, seed: 0 })).toThrow(RangeError);
    expect(() => samplePatches(preprocessImages(images), { patchSize: 2.5, count: 5, seed: 0 })).toThrow(RangeError);
    expect(() => samplePatches(preprocessImages(images), { patchSize: 2, count: 0, seed: 0 })).toThrow(RangeError);
  });
});

describe('extractPatches on the photographs', () => {
  const { images } = readImageFolder(IMAGES);

  it('unwhitened 12×12 patches: zero mean, values in [−1, 1], steps recorded', () => {
    const m = extractPatches(images, { patchSize: 12, count: 2000, seed: 7 });
    expect(m.X.length).toBe(2000 * 144);
    let maxAbsMean = 0;
    let maxAbs = 0;
    for (let j = 0; j < m.count; j++) {
      let s = 0;
      for (let i = 0; i < m.dim; i++) {
        s += m.X[j * m.dim + i];
        maxAbs = Math.max(maxAbs, Math.abs(m.X[j * m.dim + i]));
      }
      maxAbsMean = Math.max(maxAbsMean, Math.abs(s / m.dim));
    }
    expect(maxAbsMean).toBeLessThan(1e-6);
    expect(maxAbs).toBeLessThanOrEqual(1);
    expect(m.steps.map((s) => s.name)).toEqual(['grayscale', 'sample', 'remove-mean']);
    // Every photograph is drawn from (uniformly: 2000/8 = 250 each, ± a few sd).
    const perImage = new Array(images.length).fill(0);
    for (let j = 0; j < m.count; j++) perImage[m.origins[3 * j]]++;
    for (const n of perImage) expect(Math.abs(n - 250)).toBeLessThan(70);
  });

  it('whitened 8×8 patches: the same windows of the whitened images, steps and f0 recorded', () => {
    const opts = { patchSize: 8, count: 1000, seed: 11 };
    const prepared = preprocessImages(images, { whiten: true });
    const white = samplePatches(prepared, opts);
    const plain = extractPatches(images, opts);
    expect(white.origins).toEqual(plain.origins); // sampling does not depend on preprocessing
    expect(white.steps.map((s) => s.name)).toEqual(['grayscale', 'unit-variance', 'whiten', 'unit-variance', 'sample', 'remove-mean']);
    expect(white.steps[2].detail).toContain('f0 = 0.2 cycles/pixel');
    const k = white.origins[0];
    const [top, left] = [white.origins[1], white.origins[2]];
    const img = prepared.images[k];
    let mean = 0;
    for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) mean += img.data[(top + r) * img.width + left + c] / 64;
    for (let r = 0; r < 8; r++) {
      for (let c = 0; c < 8; c++) expect(white.X[r * 8 + c]).toBeCloseTo(img.data[(top + r) * img.width + left + c] - mean, 5);
    }
    // Whitened images have unit variance, so patches carry most of it (the per-patch mean removes a
    // little); unwhitened gray levels vary far less.
    const variance = (x: Float32Array): number => x.reduce((a, b) => a + b * b, 0) / x.length;
    expect(variance(white.X)).toBeGreaterThan(0.5);
    expect(variance(white.X)).toBeLessThan(1.2);
    const f0 = extractPatches(images.slice(0, 1), { ...opts, whiten: true, f0: 0.4 });
    expect(f0.steps[2].detail).toContain('f0 = 0.4 cycles/pixel');
  });
});
