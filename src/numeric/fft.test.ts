import { fft, fft2, fftFrequency, ifft, ifft2 } from './fft';
import { createRng } from './prng';

/** The textbook O(n²) DFT, the reference the FFT is checked against. */
function naiveDft(re: Float64Array, im: Float64Array, inverse = false): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  const sign = inverse ? 1 : -1;
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const a = (sign * 2 * Math.PI * ((j * k) % n)) / n;
      sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
      si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
    }
    outRe[k] = inverse ? sr / n : sr;
    outIm[k] = inverse ? si / n : si;
  }
  return [outRe, outIm];
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function randomArray(n: number, seed: number): Float64Array {
  return createRng(seed).fillNormal(new Float64Array(n));
}

describe('fft', () => {
  // Powers of two take the radix-2 path; the others (including primes) Bluestein's.
  it.each([1, 2, 3, 5, 8, 12, 16, 17, 64, 100, 451])('matches the naive DFT on random real input, n = %i', (n) => {
    const x = randomArray(n, n);
    const re = x.slice();
    const im = new Float64Array(n);
    fft(re, im);
    const [wantRe, wantIm] = naiveDft(x, new Float64Array(n));
    const tol = 1e-12 * Math.max(1, n);
    expect(maxAbsDiff(re, wantRe)).toBeLessThan(tol);
    expect(maxAbsDiff(im, wantIm)).toBeLessThan(tol);
  });

  it.each([8, 12, 16])('matches the naive DFT on complex input, forward and inverse, n = %i', (n) => {
    const xr = randomArray(n, 100 + n);
    const xi = randomArray(n, 200 + n);
    const re = xr.slice();
    const im = xi.slice();
    fft(re, im);
    const [fr, fi] = naiveDft(xr, xi);
    expect(maxAbsDiff(re, fr)).toBeLessThan(1e-12 * n);
    expect(maxAbsDiff(im, fi)).toBeLessThan(1e-12 * n);
    ifft(re, im);
    expect(maxAbsDiff(re, xr)).toBeLessThan(1e-13 * n);
    expect(maxAbsDiff(im, xi)).toBeLessThan(1e-13 * n);
    const [br, bi] = naiveDft(fr, fi, true);
    expect(maxAbsDiff(br, xr)).toBeLessThan(1e-13 * n);
    expect(maxAbsDiff(bi, xi)).toBeLessThan(1e-13 * n);
  });

  it('the spectrum of a real input is Hermitian', () => {
    const n = 12;
    const re = randomArray(n, 7);
    const im = new Float64Array(n);
    fft(re, im);
    for (let k = 1; k < n; k++) {
      expect(re[k]).toBeCloseTo(re[n - k], 12);
      expect(im[k]).toBeCloseTo(-im[n - k], 12);
    }
  });

  it('round-trips a long Bluestein length', () => {
    const n = 1000;
    const x = randomArray(n, 3);
    const re = x.slice();
    const im = new Float64Array(n);
    fft(re, im);
    ifft(re, im);
    expect(maxAbsDiff(re, x)).toBeLessThan(1e-11);
    expect(Math.max(...Array.from(im, Math.abs))).toBeLessThan(1e-11);
  });
});

describe('fft2', () => {
  it.each([
    [8, 16],
    [12, 8],
    [5, 7],
  ])('matches the naive 2-D DFT, %i×%i', (rows, cols) => {
    const x = randomArray(rows * cols, rows * 31 + cols);
    const re = x.slice();
    const im = new Float64Array(rows * cols);
    fft2(re, im, rows, cols);
    // Naive 2-D DFT: X[u, v] = Σ_{r,c} x[r, c] e^{−2πi (ur/rows + vc/cols)}.
    for (let u = 0; u < rows; u++) {
      for (let v = 0; v < cols; v++) {
        let sr = 0;
        let si = 0;
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) {
            const a = -2 * Math.PI * (((u * r) % rows) / rows + ((v * c) % cols) / cols);
            sr += x[r * cols + c] * Math.cos(a);
            si += x[r * cols + c] * Math.sin(a);
          }
        }
        expect(Math.abs(re[u * cols + v] - sr)).toBeLessThan(1e-11);
        expect(Math.abs(im[u * cols + v] - si)).toBeLessThan(1e-11);
      }
    }
    ifft2(re, im, rows, cols);
    expect(maxAbsDiff(re, x)).toBeLessThan(1e-12);
  });

  it('rejects arrays of the wrong size', () => {
    expect(() => fft2(new Float64Array(6), new Float64Array(6), 2, 4)).toThrow('do not hold 2×4');
  });
});

describe('fftFrequency', () => {
  it('is numpy fftfreq', () => {
    expect(Array.from({ length: 8 }, (_, k) => fftFrequency(k, 8))).toEqual([0, 0.125, 0.25, 0.375, -0.5, -0.375, -0.25, -0.125]);
    expect(Array.from({ length: 5 }, (_, k) => fftFrequency(k, 5))).toEqual([0, 0.2, 0.4, -0.4, -0.2]);
  });
});
