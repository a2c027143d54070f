import { lambdaMax } from '../../baselines/lasso_objective';
import { Design, type Matrix } from '../../numeric/matrix';
import { syntheticProblem } from '../../data/synthetic_lasso';
import { encodeNpy, readProblemNpy, type NpyDtype, type NpyProblem } from '../../data/npy';
import type { LassoScalingConfig } from './config';

/** One problem of the experiment, X kept column-major only (the row-major copy is dropped at once). */
export interface ScalingProblem {
  /** Where it came from, for the log: `synthetic seed 0` or the two file names. */
  label: string;
  X: Design;
  /** N×m row-major. */
  Y: Matrix;
  /** max |XᵀY|/N. */
  lambdaMax: number;
}

/** The (d, m) grid of a config: the synthetic sizes, or the one problem of the `.npy` files. */
export function problemSizes(problem: LassoScalingConfig['problem']): { d: number; m: number }[] | null {
  if (problem.source === 'npy') return null;
  return problem.features.flatMap((d) => problem.outputs.map((m) => ({ d, m })));
}

/** The seeded synthetic problem of size (d, m) (src/data/synthetic_lasso.ts). */
export function makeSyntheticProblem(problem: Extract<LassoScalingConfig['problem'], { source: 'synthetic' }>, d: number, m: number, seed: number): ScalingProblem {
  const p = syntheticProblem({
    n: problem.samples,
    d,
    m,
    k: Math.min(problem.nonzeros, d),
    noise: problem.noise,
    design: problem.design,
    seed,
  });
  return { label: `synthetic seed ${seed}`, X: Design.fromMatrix(p.X), Y: p.Y, lambdaMax: p.lambdaMax };
}

/** X and Y from `.npy` files; bad files are one-line DataErrors (exit 2) from src/data/npy.ts. */
export function loadNpyProblem(xPath: string, yPath: string): ScalingProblem {
  return npyProblem(readProblemNpy(xPath, yPath), xPath, yPath);
}

/** The problem of two `.npy` files already read (and checked) by `readProblemNpy`. */
export function npyProblem(p: NpyProblem, xPath: string, yPath: string): ScalingProblem {
  const X = Design.fromMatrix(p.X);
  return { label: `${xPath} (${p.dtypes.X}), ${yPath} (${p.dtypes.Y})`, X, Y: p.Y, lambdaMax: lambdaMax(X, p.Y) };
}

/**
 * A problem as the bytes of two `.npy` files, X (N, d) and Y (N, m), C order (X goes back from the
 * solvers' column order to rows), in `dtype`: float64 is the problem exactly; float32 rounds X and Y
 * as the tfjs backend does.
 */
export function problemAsNpy(p: ScalingProblem, dtype: 'float32' | 'float64'): { x: Uint8Array; y: Uint8Array } {
  const { n, d, columns } = p.X;
  const rows = new Float64Array(n * d);
  for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) rows[i * d + j] = columns[j * n + i];
  const npyDtype: NpyDtype = dtype === 'float32' ? '<f4' : '<f8';
  return { x: encodeNpy(rows, [n, d], { dtype: npyDtype }), y: encodeNpy(p.Y.data, [p.Y.rows, p.Y.cols], { dtype: npyDtype }) };
}
