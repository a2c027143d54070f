import { fitGabor, topEnergyFraction } from './gabor';
import type { FilterRow } from './rows';

/** filters.csv rows of `count` p×p bases (rows of `basis`): Gabor fit and top-10 % energy of each. */
export function filterRows(method: string, basis: Float32Array | Float64Array, count: number, p: number, gaborR2: number): FilterRow[] {
  const rows: FilterRow[] = [];
  for (let j = 0; j < count; j++) {
    const atom = basis.subarray(j * p * p, (j + 1) * p * p);
    const g = fitGabor(atom, p);
    rows.push({
      method,
      basis: j,
      top10_energy: topEnergyFraction(atom),
      gabor_r2: g.r2,
      gabor_like: g.r2 >= gaborR2,
      orientation: g.orientation,
      frequency: g.frequency,
      sigma_x: g.sigmaX,
      sigma_y: g.sigmaY,
      x0: g.x0,
      y0: g.y0,
      phase: g.phase,
    });
  }
  return rows;
}
