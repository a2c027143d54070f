import * as tf from '@tensorflow/tfjs';
import { lipschitzConstant } from '../../baselines/fista';
import { matrix } from '../../numeric/matrix';
import { createRng } from '../../numeric/prng';
import type { SparseCodingConfig } from './config';
import { pcaBasis } from './pca';
import { minimizeLbfgs, type LbfgsResult } from '../../optim/minimize_lbfgs';

/**
 * The dictionary D (k×d, one unit-norm atom per row) and its update with the codes fixed: L-BFGS with
 * the strong Wolfe line search (src/optim/minimize_lbfgs.ts) on the minibatch's mean reconstruction error
 * (1/n)·½‖X_b − S_b·D‖², then every atom renormalised to unit norm — the paper's "we normalize B by its
 * columns" (App. A.3; B = Dᵀ). The L1 term does not depend on D, so it is left out of this step.
 */

/** k atoms drawn as k distinct training patches (seeded), each scaled to unit norm (SPAMS' and Mairal et al.'s start). */
export function initialDictionary(X: Float32Array, count: number, dim: number, atoms: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const rows = atoms <= count ? rng.sample(count, atoms) : Int32Array.from({ length: atoms }, () => rng.int(count));
  const D = new Float32Array(atoms * dim);
  rows.forEach((r, j) => {
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += X[r * dim + i] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < dim; i++) D[j * dim + i] = norm > 0 ? X[r * dim + i] / norm : rng.normal() / Math.sqrt(dim);
  });
  return D;
}

/** `atoms` seeded N(0, 1) atoms of length `dim`, each at unit norm, written into D from atom `from` on. */
function fillRandomAtoms(D: Float32Array, from: number, atoms: number, dim: number, seed: number): void {
  const rng = createRng(seed);
  for (let j = from; j < atoms; j++) {
    const atom = D.subarray(j * dim, (j + 1) * dim);
    let norm = 0;
    for (let i = 0; i < dim; i++) {
      atom[i] = rng.normal();
      norm += atom[i] ** 2;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < dim; i++) atom[i] /= norm;
  }
}

/** The starting dictionary `kind` (config.ts `dictionaryInit`) of k unit-norm atoms. */
export function startingDictionary(kind: SparseCodingConfig['dictionaryInit'], X: Float32Array, count: number, dim: number, atoms: number, seed: number): Float32Array {
  if (kind === 'patches') return initialDictionary(X, count, dim, atoms, seed);
  const D = new Float32Array(atoms * dim);
  let from = 0;
  if (kind === 'pca') {
    const { basis, components } = pcaBasis(X, count, dim, atoms);
    D.set(basis.subarray(0, components * dim));
    from = components;
  }
  fillRandomAtoms(D, from, atoms, dim, seed);
  return D;
}

/** ‖D‖₂² = σ_max(D)², the Lipschitz constant of the codes' reconstruction gradient (power iteration). */
export function dictionaryLipschitz(D: Float32Array, atoms: number, dim: number): number {
  // lipschitzConstant(X) is σ_max(X)²/rows: pass Dᵀ-shaped rows so it returns σ_max²/dim.
  const Dt = matrix(dim, atoms);
  for (let j = 0; j < atoms; j++) for (let i = 0; i < dim; i++) Dt.data[i * atoms + j] = D[j * dim + i];
  return lipschitzConstant(Dt, { maxIter: 200, tol: 1e-8 }) * dim;
}

export interface DictionaryStep {
  lbfgs: LbfgsResult;
  /** Each atom's norm before renormalisation, [k] (the caller owns it). */
  norms: tf.Tensor1D;
}

/** L-BFGS steps on D with the codes S_b fixed, then unit-norm atoms. Returns the norms it divided by. */
export async function updateDictionary(D: tf.Variable, Xb: tf.Tensor2D, Sb: tf.Tensor2D, steps: number, historySize: number): Promise<DictionaryStep> {
  const n = Xb.shape[0];
  const loss = () => tf.tidy(() => tf.div(tf.mul(0.5, tf.sum(tf.square(tf.sub(Xb, tf.matMul(Sb, D))))), n) as tf.Scalar);
  const lbfgs = await minimizeLbfgs(loss, [D], { maxIterations: steps, historySize });
  const norms = tf.tidy(() => {
    const nrm = tf.maximum(tf.norm(D, 'euclidean', 1), 1e-12) as tf.Tensor1D;
    D.assign(tf.div(D, tf.expandDims(nrm, 1)));
    return nrm;
  });
  return { lbfgs, norms };
}
