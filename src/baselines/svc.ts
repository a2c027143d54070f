/**
 * scikit-learn's `SVC()` with its defaults — C-SVC, RBF kernel exp(−γ‖x − x'‖²), C = 1, γ = 'scale' =
 * 1/(k·Var(X)) (k features, Var over every entry of the training X), tol 1e-3, shrinking on, no
 * probability estimates — on libsvm 3.22 compiled to asm.js (`libsvm-js/asm`), the same library
 * scikit-learn wraps. Prediction is libsvm's svm_predict: the majority of the one-vs-one votes.
 */
import { UsageError } from '../errors';

// libsvm-js ships no types; the slice of its API used here.
interface LibsvmModel {
  train(samples: number[][], labels: number[]): void;
  predict(samples: number[][]): number[];
  serializeModel(): string;
  free(): void;
}
interface LibsvmClass {
  new (options: Record<string, unknown>): LibsvmModel;
  KERNEL_TYPES: { RBF: number };
  SVM_TYPES: { C_SVC: number };
}

let libsvm: LibsvmClass | null = null;
function load(): LibsvmClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  libsvm ??= require('libsvm-js/asm') as LibsvmClass;
  return libsvm;
}

export interface SvcOptions {
  /** C. Default 1 (scikit-learn). */
  cost?: number;
  /** γ of the RBF kernel. Default: scikit-learn's 'scale', 1/(k·Var(X)). */
  gamma?: number;
}

/** scikit-learn's gamma='scale': 1/(k·Var(X)) over all entries (1 when Var(X) = 0, as scikit-learn). */
export function scaleGamma(rows: readonly ArrayLike<number>[]): number {
  let n = 0;
  let s = 0;
  let ss = 0;
  for (const r of rows) {
    for (let j = 0; j < r.length; j++) {
      n++;
      s += r[j];
      ss += r[j] * r[j];
    }
  }
  const k = rows.length > 0 ? rows[0].length : 0;
  const variance = n > 0 ? ss / n - (s / n) ** 2 : 0;
  return variance > 0 ? 1 / (k * variance) : 1;
}

export class Svc {
  private model: LibsvmModel | null = null;
  /** The γ used by the last `fit`. */
  gamma = NaN;

  constructor(private readonly options: SvcOptions = {}) {}

  fit(x: readonly ArrayLike<number>[], labels: ArrayLike<number>): this {
    if (x.length === 0 || x.length !== labels.length) throw new UsageError(`Svc.fit: ${x.length} samples and ${labels.length} labels`);
    const SVM = load();
    this.free();
    this.gamma = this.options.gamma ?? scaleGamma(x);
    const m = new SVM({ type: SVM.SVM_TYPES.C_SVC, kernel: SVM.KERNEL_TYPES.RBF, cost: this.options.cost ?? 1, gamma: this.gamma, tolerance: 1e-3, shrinking: true, probabilityEstimates: false, quiet: true });
    m.train(x.map((r) => Array.from(r)), Array.from(labels));
    this.model = m;
    return this;
  }

  predict(x: readonly ArrayLike<number>[]): Int32Array {
    if (!this.model) throw new Error('Svc.predict before fit');
    return Int32Array.from(this.model.predict(x.map((r) => Array.from(r))));
  }

  /** libsvm's model file (rho, sv_coef, support vectors): for checks. */
  modelText(): string {
    if (!this.model) throw new Error('Svc.modelText before fit');
    return this.model.serializeModel();
  }

  free(): void {
    this.model?.free();
    this.model = null;
  }
}
