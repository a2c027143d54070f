import { DataError } from '../errors';
import { fft2, fftFrequency, ifft2 } from '../numeric/fft';

/**
 * Whitening of natural images with Olshausen & Field's filter (Nature 1996; Vision Research 1997,
 * "Sparse coding with an overcomplete basis set"): natural images have an amplitude spectrum falling
 * roughly as 1/f; multiplying it by f flattens ("whitens") it, and the factor exp(−(f/f₀)⁴) rolls the
 * gain off before the highest frequencies, where sampling artefacts and noise dominate.
 *
 *   gain(f) = f · exp(−(f/f₀)⁴),  f = √(f_x² + f_y²) in cycles per pixel (numpy `fftfreq` of each axis).
 *
 * The filter is applied to the WHOLE image, before any patch is cut — that is what Olshausen & Field did
 * (their `sparsenet` code whitens each 512×512 image, then samples patches from the whitened images) —
 * so a patch is a window of a whitened image, not a whitened window. The product in the frequency domain
 * is a circular convolution (as numpy's `fft2`/`ifft2` in their code): the image wraps around, so pixels
 * within a few of the border see the opposite edge. The filter is zero-phase (real and even), so the
 * output is real.
 *
 * Per image: (1) subtract the mean and divide by the standard deviation ("unit variance"), so that every
 * photograph weighs the same whatever its contrast; (2) filter; (3) unit variance again, so the patch
 * scale does not depend on the units of f or on f₀ (sparsenet likewise rescales after whitening, to
 * variance 0.1 over all images).
 *
 * f₀: issue 12 specifies 0.4 × the Nyquist frequency (0.5 cycles/pixel), i.e. 0.2 cycles/pixel, and its
 * scikit-learn calibration used that; it is the default here. Olshausen's sparsenet uses f_0 = 0.4·N
 * cycles/picture on N×N images = 0.4 cycles/pixel (0.8 × Nyquist), and the 1997 paper's 200 cycles/picture
 * on 512-pixel images is 0.39 cycles/pixel; pass `f0: OLSHAUSEN_FIELD_F0` for that.
 */

/** Default f₀ in cycles per pixel: 0.4 × Nyquist, as issue 12 states. */
export const WHITEN_F0 = 0.2;
/** f₀ of Olshausen's sparsenet code (0.4·N cycles/picture), in cycles per pixel. */
export const OLSHAUSEN_FIELD_F0 = 0.4;

/** The filter's amplitude at radial frequency f (cycles/pixel). */
export function olshausenFieldGain(f: number, f0: number = WHITEN_F0): number {
  const r = f / f0;
  return f * Math.exp(-(r * r * r * r));
}

/** A copy of `data` with mean 0 and (population) variance 1; a constant image is a DataError naming `file`. */
export function toUnitVariance(data: Float64Array, file: string): Float64Array {
  const n = data.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += data[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (data[i] - mean) ** 2;
  const sd = Math.sqrt(ss / n);
  if (!(sd > 1e-12)) throw new DataError(`${file}: the image is constant (every pixel ${mean.toPrecision(4)}): it has no variance to scale`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (data[i] - mean) / sd;
  return out;
}

/**
 * Multiplies the 2-D DFT of a row-major height×width image by gain(f), f the radial frequency in
 * cycles per pixel, and returns the real part of the inverse transform (circular filtering).
 */
export function radialFilter(data: Float64Array, height: number, width: number, gain: (f: number) => number): Float64Array {
  const re = Float64Array.from(data);
  const im = new Float64Array(data.length);
  fft2(re, im, height, width);
  const fx = Float64Array.from({ length: width }, (_, k) => fftFrequency(k, width));
  for (let r = 0; r < height; r++) {
    const fy = fftFrequency(r, height);
    for (let c = 0; c < width; c++) {
      const g = gain(Math.sqrt(fy * fy + fx[c] * fx[c]));
      re[r * width + c] *= g;
      im[r * width + c] *= g;
    }
  }
  ifft2(re, im, height, width);
  return re;
}

/** An image to whiten: its gray levels, size and file (for messages). */
export interface ImageArray {
  file: string;
  width: number;
  height: number;
  data: Float64Array;
}

/** unit variance → Olshausen & Field's filter with this f₀ (cycles/pixel) → unit variance. */
export function whitenImage(image: ImageArray, f0: number = WHITEN_F0): Float64Array {
  if (!(f0 > 0)) throw new RangeError(`whiten: f0 must be positive (cycles/pixel), got ${f0}`);
  const unit = toUnitVariance(image.data, image.file);
  const filtered = radialFilter(unit, image.height, image.width, (f) => olshausenFieldGain(f, f0));
  return toUnitVariance(filtered, image.file);
}

/**
 * The radially averaged power spectrum |DFT|²/(height·width): the mean over the DFT bins whose radial
 * frequency falls in each of `bins` equal bins of [0, 0.5] cycles/pixel (bins past the corner
 * frequencies are left out). Returns each bin's centre and mean power (NaN for an empty bin).
 */
export function radialPowerSpectrum(data: Float64Array, height: number, width: number, bins: number): { freq: Float64Array; power: Float64Array } {
  const re = Float64Array.from(data);
  const im = new Float64Array(data.length);
  fft2(re, im, height, width);
  const sum = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let r = 0; r < height; r++) {
    const fy = fftFrequency(r, height);
    for (let c = 0; c < width; c++) {
      const fx = fftFrequency(c, width);
      const b = Math.floor((Math.sqrt(fx * fx + fy * fy) / 0.5) * bins);
      if (b >= bins) continue;
      const i = r * width + c;
      sum[b] += (re[i] * re[i] + im[i] * im[i]) / (height * width);
      count[b] += 1;
    }
  }
  const freq = Float64Array.from({ length: bins }, (_, b) => ((b + 0.5) / bins) * 0.5);
  const power = Float64Array.from(sum, (s, b) => (count[b] > 0 ? s / count[b] : NaN));
  return { freq, power };
}
