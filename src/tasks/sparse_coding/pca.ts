import { Matrix as MlMatrix, SVD } from 'ml-matrix';

/**
 * The principal components of the patches (rows of X, N×d): the right singular vectors of X, got as the
 * singular vectors of the d×d scatter matrix XᵀX (ml-matrix's SVD; the same directions at a fraction of
 * the cost of an N×d SVD). Returns min(k, d) unit-norm components as rows, largest variance first —
 * what the paper says a non-sparse solution looks like ("chessboard-like patterns that simple PCA would
 * obtain", §4.1).
 */
export function pcaBasis(X: Float32Array, count: number, dim: number, k: number): { basis: Float64Array; components: number } {
  const scatter = new Float64Array(dim * dim);
  for (let n = 0; n < count; n++) {
    const o = n * dim;
    for (let i = 0; i < dim; i++) {
      const xi = X[o + i];
      if (xi === 0) continue;
      for (let j = i; j < dim; j++) scatter[i * dim + j] += xi * X[o + j];
    }
  }
  const M = new MlMatrix(dim, dim);
  for (let i = 0; i < dim; i++) for (let j = i; j < dim; j++) {
    M.set(i, j, scatter[i * dim + j]);
    M.set(j, i, scatter[i * dim + j]);
  }
  const svd = new SVD(M, { computeLeftSingularVectors: false, computeRightSingularVectors: true, autoTranspose: false });
  const V = svd.rightSingularVectors;
  const components = Math.min(k, dim);
  const basis = new Float64Array(components * dim);
  for (let c = 0; c < components; c++) for (let i = 0; i < dim; i++) basis[c * dim + i] = V.get(i, c);
  return { basis, components };
}
