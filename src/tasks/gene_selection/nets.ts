import * as tf from '@tensorflow/tfjs';
import { GroupRedundantParameter } from '../../spred/group_parameter';
import { deriveSeed } from '../../spred/init';
import { dataProduct, maskedProduct, product } from './products';
import type { GeneNet } from './train_net';

/**
 * The networks of Table 1 (paper §4.2, Eq. 7). Conventions: inputs x ∈ ℝ^d (genes), C classes, mean
 * softmax cross-entropy CE; dense kernels start uniform in ±1/√fan_in (PyTorch's nn.Linear default),
 * biases at 0; every (κ, lr) of a split starts from the same weights (seeds derived from the split's).
 */
const uniform = (shape: number[], fanIn: number, seed: number) => tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn), 'float32', seed);

function ce(y: tf.Tensor2D, logits: tf.Tensor2D): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
}

/** A variable holding `init`, which is disposed (tf.variable keeps its own reference to the data). */
function variableFrom(init: tf.Tensor): tf.Variable {
  const v = tf.variable(init);
  init.dispose();
  return v;
}

const sumSquares = (vs: tf.Tensor[]) => tf.addN(vs.map((v) => tf.sum(tf.square(v)))) as tf.Scalar;

/**
 * x·V for V = diag(u)·W, computed as (x ⊙ u)·W: the same product without forming V, so a step costs
 * matrix products with the n training rows and no extra pass over the d × k kernel (d × 1026 for the
 * ensemble); gradients without transposed products (products.ts).
 */
function maskedMatMul(x: tf.Tensor2D, v: GroupRedundantParameter): tf.Tensor2D {
  return maskedProduct(x, v.u as tf.Tensor1D, v.w as tf.Tensor2D);
}

/** ‖V_i,:‖₂ = |u_i|·‖W_i,:‖₂ per gene (GroupRedundantParameter.groupNorms without forming V). */
function rowWeights(v: GroupRedundantParameter): tf.Tensor1D {
  return tf.tidy(() => tf.mul(tf.abs(v.u), tf.sqrt(tf.sum(tf.square(v.w), 1))) as tf.Tensor1D);
}

/** A dense ReLU stack after the first layer: biases and kernels of `sizes[k] → sizes[k+1]`. */
class Tail {
  readonly kernels: tf.Variable[] = [];
  readonly biases: tf.Variable[] = [];
  constructor(sizes: number[], seed: number) {
    for (let k = 0; k + 1 < sizes.length; k++) {
      this.kernels.push(variableFrom(uniform([sizes[k], sizes[k + 1]], sizes[k], deriveSeed(seed, 10 + k))));
      this.biases.push(variableFrom(tf.zeros([sizes[k + 1]])));
    }
  }
  /** h is the first layer's pre-activation; returns logits. */
  apply(h: tf.Tensor2D): tf.Tensor2D {
    let a = h;
    for (let k = 0; k < this.kernels.length; k++) a = tf.add(product(tf.relu(a), this.kernels[k] as tf.Tensor2D), this.biases[k]) as tf.Tensor2D;
    return a;
  }
  get variables(): tf.Variable[] {
    return [...this.kernels, ...this.biases];
  }
  dispose(): void {
    tf.dispose(this.variables);
  }
}

/**
 * spred-linear, f_l of Eq. 7 alone: logits (U⊙x)·W without bias, U ∈ ℝ^d i.i.d. N(0, 1) (as the authors
 * did), objective CE + κ(‖U‖² + ‖W‖²) — by Theorem 3 the group lasso CE + 2κ Σ_i ‖V_i,:‖₂ on the rows of
 * V = diag(U)·W, the problem `l1Logistic` solves directly. Gene weight: ‖V_i,:‖₂.
 */
export class SpredLinearNet implements GeneNet {
  readonly heads = ['linear'];
  readonly v: GroupRedundantParameter;
  constructor(d: number, C: number, kappa: number, seed: number) {
    const initial = { u: tf.randomNormal([d], 0, 1, 'float32', deriveSeed(seed, 1)), w: uniform([d, C], d, deriveSeed(seed, 2)) };
    this.v = new GroupRedundantParameter({ shape: [d, C], groupAxis: 0, kappa, initial });
    tf.dispose([initial.u, initial.w]);
  }
  get variables() {
    return this.v.variables;
  }
  objective(x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => tf.add(ce(y, maskedMatMul(x, this.v)), this.v.penalty()));
  }
  logProbs(x: tf.Tensor2D, mask: tf.Tensor1D): tf.Tensor2D[] {
    return tf.tidy(() => [tf.logSoftmax(maskedMatMul(tf.mul(x, mask), this.v)) as tf.Tensor2D]);
  }
  geneWeights(): tf.Tensor1D {
    return rowWeights(this.v);
  }
  dispose(): void {
    this.v.dispose();
  }
}

/**
 * spred-ensemble, Eq. 7: f_l (bias-free linear) and f_n (hidden ReLU layers, `hidden` units each) both
 * read the same masked input U⊙x. Their first layers are one redundant parameter V = diag(U)·[W^l | W^n₁]
 * (shape d × (C + hidden[0]), one scalar U_i per gene), so κ(‖U‖² + ‖W^l‖² + ‖W^n₁‖²) is the group lasso
 * 2κ Σ_i ‖(W^l_i, W^n₁_i)·U_i‖₂: a gene leaves both models at once. Loss = the mean of the two
 * cross-entropies (the paper writes their sum, which only rescales κ and lr by 2), plus `tailDecay`·‖·‖²
 * on f_n's later kernels (the paper's caveat: a small weight decay on the other layers keeps them from
 * diverging). Heads: `linear`, `mlp`, and `average` (the mean of the two heads' probabilities), which
 * is the ensemble's prediction and the first head (early stopping and Table 1 use it).
 */
export class SpredEnsembleNet implements GeneNet {
  readonly heads = ['average', 'linear', 'mlp'];
  readonly v: GroupRedundantParameter;
  readonly b1: tf.Variable;
  readonly tail: Tail;
  constructor(
    d: number,
    private readonly C: number,
    hidden: number[],
    kappa: number,
    private readonly tailDecay: number,
    seed: number,
  ) {
    const initial = { u: tf.randomNormal([d], 0, 1, 'float32', deriveSeed(seed, 1)), w: uniform([d, C + hidden[0]], d, deriveSeed(seed, 2)) };
    this.v = new GroupRedundantParameter({ shape: [d, C + hidden[0]], groupAxis: 0, kappa, initial });
    tf.dispose([initial.u, initial.w]);
    this.b1 = variableFrom(tf.zeros([hidden[0]]));
    this.tail = new Tail([...hidden, C], seed);
  }
  get variables() {
    return [...this.v.variables, this.b1, ...this.tail.variables];
  }
  private logits(x: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
    const z = maskedMatMul(x, this.v);
    const linear = tf.slice(z, [0, 0], [-1, this.C]) as tf.Tensor2D;
    const h = tf.add(tf.slice(z, [0, this.C], [-1, -1]), this.b1) as tf.Tensor2D;
    return [linear, this.tail.apply(h)];
  }
  objective(x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const [l, n] = this.logits(x);
      const data = tf.mul(0.5, tf.add(ce(y, l), ce(y, n)));
      return tf.addN([data, this.v.penalty(), tf.mul(this.tailDecay, sumSquares(this.tail.kernels))]) as tf.Scalar;
    });
  }
  logProbs(x: tf.Tensor2D, mask: tf.Tensor1D): tf.Tensor2D[] {
    return tf.tidy(() => {
      const [l, n] = this.logits(tf.mul(x, mask) as tf.Tensor2D);
      const lpL = tf.logSoftmax(l) as tf.Tensor2D;
      const lpN = tf.logSoftmax(n) as tf.Tensor2D;
      // log(½(e^a + e^b)) by logSumExp (shifted by the max): the plain form underflows to log 0 = −∞
      // once both heads are confident (and 0·−∞ = NaN in the loss).
      const avg = tf.sub(tf.logSumExp(tf.stack([lpL, lpN]), 0), Math.LN2) as tf.Tensor2D;
      return [avg, lpL, lpN];
    });
  }
  geneWeights(): tf.Tensor1D {
    return rowWeights(this.v);
  }
  dispose(): void {
    this.v.dispose();
    this.b1.dispose();
    this.tail.dispose();
  }
}

/**
 * The MLP baselines of Table 1: one hidden ReLU layer of `hidden` units (4096 in the paper), no mask.
 * `wd`: CE + κ(‖W₁‖² + ‖W₂‖²) (weight decay). `l1`: CE + 2κ‖W₁‖₁ + `tailDecay`‖W₂‖², the L1 penalty
 * on the first layer minimised naively by (sub)gradient descent — whose iterates oscillate around 0
 * instead of reaching it, the paper's point. Gene weight: ‖row i of W₁‖₂.
 */
export class MlpNet implements GeneNet {
  readonly heads = ['mlp'];
  readonly w1: tf.Variable;
  readonly b1: tf.Variable;
  readonly tail: Tail;
  constructor(
    d: number,
    C: number,
    hidden: number,
    private readonly penalty: 'wd' | 'l1',
    private readonly kappa: number,
    private readonly tailDecay: number,
    seed: number,
  ) {
    this.w1 = variableFrom(uniform([d, hidden], d, deriveSeed(seed, 2)));
    this.b1 = variableFrom(tf.zeros([hidden]));
    this.tail = new Tail([hidden, C], seed);
  }
  get variables() {
    return [this.w1, this.b1, ...this.tail.variables];
  }
  private logits(x: tf.Tensor2D): tf.Tensor2D {
    return this.tail.apply(tf.add(dataProduct(x, this.w1 as tf.Tensor2D), this.b1) as tf.Tensor2D);
  }
  objective(x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const loss = ce(y, this.logits(x));
      const pen =
        this.penalty === 'wd'
          ? tf.mul(this.kappa, sumSquares([this.w1, ...this.tail.kernels]))
          : tf.add(tf.mul(2 * this.kappa, tf.sum(tf.abs(this.w1))), tf.mul(this.tailDecay, sumSquares(this.tail.kernels)));
      return tf.add(loss, pen) as tf.Scalar;
    });
  }
  logProbs(x: tf.Tensor2D, mask: tf.Tensor1D): tf.Tensor2D[] {
    return tf.tidy(() => [tf.logSoftmax(this.logits(tf.mul(x, mask) as tf.Tensor2D)) as tf.Tensor2D]);
  }
  geneWeights(): tf.Tensor1D {
    return tf.tidy(() => tf.sqrt(tf.sum(tf.square(this.w1), 1)) as tf.Tensor1D);
  }
  dispose(): void {
    tf.dispose([this.w1, this.b1]);
    this.tail.dispose();
  }
}
