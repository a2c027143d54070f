import { createRng } from '../../numeric/prng';
import { fitGabor, topEnergyFraction } from './gabor';

/** A p×p Gabor patch with the parametrisation of gabor.ts. */
function gabor(p: number, q: { A: number; x0: number; y0: number; theta: number; f: number; phase: number; sx: number; sy: number }): Float64Array {
  const a = new Float64Array(p * p);
  const c = Math.cos(q.theta);
  const s = Math.sin(q.theta);
  for (let y = 0; y < p; y++)
    for (let x = 0; x < p; x++) {
      const xr = (x - q.x0) * c + (y - q.y0) * s;
      const yr = -(x - q.x0) * s + (y - q.y0) * c;
      a[y * p + x] = q.A * Math.exp(-(xr * xr) / (2 * q.sx * q.sx) - (yr * yr) / (2 * q.sy * q.sy)) * Math.cos(2 * Math.PI * q.f * xr + q.phase);
    }
  return a;
}

describe('fitGabor', () => {
  test('recovers a Gabor atom (R² ≈ 1, its frequency and orientation)', () => {
    const truth = { A: 1.3, x0: 3.6, y0: 4.2, theta: 0.7, f: 0.22, phase: 1.1, sx: 1.4, sy: 2.1 };
    const fit = fitGabor(gabor(8, truth), 8);
    expect(fit.r2).toBeGreaterThan(0.999);
    expect(fit.frequency).toBeCloseTo(0.22, 2);
    // θ and θ + π describe the same carrier up to the phase's sign.
    expect(Math.min(Math.abs(fit.orientation - 0.7), Math.abs(fit.orientation - 0.7 - Math.PI))).toBeLessThan(0.02);
  });

  test('a noisy Gabor at 12×12 still fits well; white noise and a checkerboard do not', () => {
    const rng = createRng(1);
    const clean = gabor(12, { A: 1, x0: 5, y0: 6, theta: 2.0, f: 0.15, phase: 0, sx: 2, sy: 3 });
    const noisy = clean.map((v) => v + 0.05 * rng.normal());
    expect(fitGabor(noisy, 12).r2).toBeGreaterThan(0.9);
    const noise = Float64Array.from({ length: 64 }, () => rng.normal());
    expect(fitGabor(noise, 8).r2).toBeLessThan(0.5);
    // A full-field checkerboard (the PCA-like pattern): the bounded envelope cannot cover it.
    const checker = Float64Array.from({ length: 64 }, (_, i) => ((Math.floor(i / 8) + (i % 8)) % 2 === 0 ? 1 : -1) * Math.cos((Math.PI * (i % 8)) / 16));
    expect(fitGabor(checker, 8).r2).toBeLessThan(0.7);
  });
});

test('topEnergyFraction: a single spike holds all energy; a flat patch holds 10 %', () => {
  const spike = new Float64Array(100);
  spike[37] = -2;
  expect(topEnergyFraction(spike)).toBe(1);
  expect(topEnergyFraction(new Float64Array(100).fill(0.5))).toBeCloseTo(0.1, 12);
});
