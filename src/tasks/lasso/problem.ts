import { orthogonalDesign } from '../../data/synthetic_lasso';
import { createRng } from '../../numeric/prng';
import type { LassoConfig } from './config';

/**
 * The paper's "1D output and orthogonal input" problem (§4.1): X ∈ R^{N×d} with XᵀX = N·I,
 * y = X·v* + ε, ε ~ N(0, σ²). On this design the lasso P(V) = 1/(2N)‖y − XV‖² + λ‖V‖₁ separates
 * by coordinate and its minimiser is the soft threshold S_λ(z), z = Xᵀy/N.
 */
export interface OrthogonalLassoProblem {
  n: number;
  d: number;
  /** Row-major N×d. */
  x: Float64Array;
  y: Float64Array;
  /** Ground truth v*. */
  truth: Float64Array;
  /** z = Xᵀy/N, the unpenalised least-squares solution. */
  z: Float64Array;
}

export function makeOrthogonalProblem(p: LassoConfig['problem'], seed: number): OrthogonalLassoProblem {
  const { samples: n, features: d } = p;
  const x = orthogonalDesign(n, d, seed);
  const rng = createRng(seed + 1);
  const truth = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    // Laplace(0, 1/√2) has unit variance like N(0, 1), with more mass near zero.
    truth[j] = p.coefficients === 'gaussian' ? rng.normal() : laplace(rng.uniform()) / Math.SQRT2;
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] * truth[j];
    y[i] = s + p.noise * rng.normal();
  }
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) z[j] += x[i * d + j] * y[i];
  for (let j = 0; j < d; j++) z[j] /= n;
  return { n, d, x, y, truth, z };
}

function laplace(u: number): number {
  const c = u - 0.5;
  return -Math.sign(c) * Math.log(1 - 2 * Math.abs(c));
}
