import * as tf from '@tensorflow/tfjs';
import { createOptimizer, yieldToEventLoop, ZeroRateRule, type StopReason } from '../../optim';
import { redundantGradients } from '../../spred/redundant_gradient';
import { l1Norm, sparseRatio } from '../../spred/sparsity';

/**
 * Trains one (method, optimizer, learning rate) on every λ of the grid at once: column g of the
 * parameter matrix is the solution for λ_g. Columns never interact (the loss is a sum over columns
 * and both optimizers act elementwise), so this is G independent lasso problems sharing one matMul.
 *
 *   l1:    min_V  1/(2N)‖y − X V_g‖² + λ_g‖V_g‖₁           (naive: gradient of |v| is sign(v), by autodiff)
 *   spred: min_UW 1/(2N)‖y − X(U_g⊙W_g)‖² + α_g‖U_g‖² + β_g‖W_g‖²,  α_g β_g = κ_g², κ_g = λ_g/2
 *
 * spred's step is the method's own gradient (src/spred/redundant_gradient.ts) from G = −Xᵀ(y − XV)/N,
 * applied with `optimizer.applyGradients`; optimizers and the stopping rule come from src/optim.
 */
export type IterativeMethod = 'l1' | 'spred';
export type OptimizerName = 'gd' | 'adam';

export interface GridProblem {
  /** Design [N, d]. */
  x: tf.Tensor2D;
  /** Targets tiled over the grid [N, G]. */
  y: tf.Tensor2D;
  lambdas: readonly number[];
}

export interface TrainGridArgs {
  method: IterativeMethod;
  optimizer: OptimizerName;
  learningRate: number;
  iterations: number;
  thresholds: readonly [number, number];
  checkEvery: number;
  patience: number;
  /** Initial parameters [d, G]: V for l1, or U and W for spred. */
  init: { v: tf.Tensor2D } | { u: tf.Tensor2D; w: tf.Tensor2D };
  /** α/β for spred (αβ = κ²). */
  alphaOverBeta: number;
  /** Called at every check; return true to stop (Ctrl-C). */
  onCheck?: (row: CheckRow[]) => boolean | void;
}

/** One trajectory point for one column (λ) at one check (Appendix A.1, Figure 7). */
export interface CheckRow {
  lambda: number;
  iteration: number;
  sparseRatio1: number;
  sparseRatio2: number;
  l1Norm: number;
  objective: number;
}

export interface TrainGridResult {
  /** Final V = U⊙W (spred) or V (l1), [d × G] column-major by λ: values[g][i]. */
  values: Float32Array[];
  iterations: number;
  stop: StopReason;
  trajectory: CheckRow[];
}

/** Splits a row-major [d, G] buffer into G columns. */
function columns(data: Float32Array, d: number, g: number): Float32Array[] {
  const out = Array.from({ length: g }, () => new Float32Array(d));
  for (let i = 0; i < d; i++) for (let j = 0; j < g; j++) out[j][i] = data[i * g + j];
  return out;
}

export async function trainGrid(problem: GridProblem, args: TrainGridArgs): Promise<TrainGridResult> {
  const [n, d] = problem.x.shape;
  const g = problem.lambdas.length;
  const lambdaRow = tf.tensor2d([problem.lambdas.slice()], [1, g]);
  const root = Math.sqrt(args.alphaOverBeta);
  const alphaRow = tf.tensor2d([problem.lambdas.map((l) => (l / 2) * root)], [1, g]);
  const betaRow = tf.tensor2d([problem.lambdas.map((l) => l / 2 / root)], [1, g]);
  const invTwoN = 1 / (2 * n);

  const vars: tf.Variable[] =
    'v' in args.init
      ? [tf.variable(args.init.v, true, 'v')]
      : [tf.variable(args.init.u, true, 'u'), tf.variable(args.init.w, true, 'w')];
  const current = (): tf.Tensor2D => (vars.length === 1 ? vars[0] : tf.mul(vars[0], vars[1])) as tf.Tensor2D;
  const dataFit = (v: tf.Tensor2D): tf.Tensor1D =>
    tf.mul(tf.sum(tf.square(tf.sub(problem.y, tf.matMul(problem.x, v))), 0), invTwoN) as tf.Tensor1D;

  const l1Loss = (): tf.Scalar => {
    const v = current();
    return tf.add(tf.sum(dataFit(v)), tf.sum(tf.mul(lambdaRow, tf.abs(v))));
  };
  const step = (): void => {
    if (args.method === 'l1') {
      opt.minimize(l1Loss, false, vars);
      return;
    }
    const [u, w] = vars;
    const grads = tf.tidy(() => {
      // G = ∂/∂V of the data fit = −Xᵀ(y − XV)/N, then the method's ∇U, ∇W with α_g, β_g per column.
      const gv = tf.mul(tf.matMul(problem.x, tf.sub(problem.y, tf.matMul(problem.x, tf.mul(u, w) as tf.Tensor2D)), true, false), -1 / n);
      const g = redundantGradients(gv, u, w, alphaRow, betaRow);
      return { [u.name]: g.u, [w.name]: g.w };
    });
    opt.applyGradients(grads);
    tf.dispose(Object.values(grads));
  };

  const opt = createOptimizer({ kind: args.optimizer, learningRate: args.learningRate });
  const trajectory: CheckRow[] = [];
  let stop: StopReason = 'budget';
  // Footnote 3 / App. A.1: the sparse ratios at the two thresholds converge to the same value at
  // about the same time; that agreement, held for `patience` checks (every λ column), is the criterion.
  const rule = new ZeroRateRule({ patience: args.patience });
  let it = 0;
  let finalValues: Float32Array[] = [];

  // Asynchronous reads: a GPU backend (webgpu in Node) cannot read a tensor synchronously.
  const check = async (iteration: number): Promise<boolean> => {
    const [v, obj] = tf.tidy(() => {
      const v = current();
      return [v, tf.add(dataFit(v), tf.sum(tf.mul(lambdaRow, tf.abs(v)), 0))];
    });
    const [vData, objData] = (await Promise.all([v.data(), obj.data()])) as Float32Array[];
    tf.dispose(v === vars[0] ? obj : [v, obj]); // l1's V is the variable itself
    finalValues = columns(vData, d, g);
    const rows = finalValues.map((col, j) => ({
      lambda: problem.lambdas[j],
      iteration,
      sparseRatio1: sparseRatio(col, args.thresholds[0]),
      sparseRatio2: sparseRatio(col, args.thresholds[1]),
      l1Norm: l1Norm(col),
      objective: objData[j],
    }));
    trajectory.push(...rows);
    if (rows.some((r) => !Number.isFinite(r.objective))) {
      stop = 'diverged';
      return true;
    }
    if (args.onCheck?.(rows)) {
      stop = 'interrupted';
      return true;
    }
    if (rule.update(rows.map((r) => r.sparseRatio1), rows.map((r) => r.sparseRatio2))) {
      stop = 'converged';
      return true;
    }
    return false;
  };

  try {
    await check(0);
    if (stop === 'budget') {
      for (it = 1; it <= args.iterations; it++) {
        step();
        if (it % args.checkEvery === 0 || it === args.iterations) {
          await yieldToEventLoop();
          if (await check(it)) break;
        }
      }
      if (it > args.iterations) it = args.iterations;
    }
  } finally {
    opt.dispose();
    for (const v of vars) v.dispose();
    tf.dispose([lambdaRow, alphaRow, betaRow]);
  }
  return { values: finalValues, iterations: it, stop, trajectory };
}
