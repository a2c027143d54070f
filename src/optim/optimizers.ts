import * as tf from '@tensorflow/tfjs';

/**
 * The optimizers every runner trains with, each with a learning rate that can change between steps
 * (for the schedules of schedules.ts).
 *
 * - `gd` / `sgd`: plain (full-batch or minibatch) gradient descent, θ ← θ − lr·g (tfjs' SGDOptimizer).
 * - `momentum`: SGD with momentum μ (tfjs' MomentumOptimizer, v ← μv + g, θ ← θ − lr·v).
 * - `adam`: Adam with β₁, β₂, ε (defaults 0.9, 0.999, 1e-7: tfjs' and Keras' defaults).
 */
export type OptimizerKind = 'gd' | 'sgd' | 'momentum' | 'adam';

export interface OptimizerSpec {
  kind: OptimizerKind;
  learningRate: number;
  /** μ of `momentum` (required there, ignored elsewhere). */
  momentum?: number;
  /** Adam's β₁ (default 0.9). */
  beta1?: number;
  /** Adam's β₂ (default 0.999). */
  beta2?: number;
  /** Adam's ε (default 1e-7). */
  epsilon?: number;
}

/** An optimizer whose learning rate can be set before any step. */
export type ScheduledOptimizer = tf.Optimizer & { setLearningRate(learningRate: number): void };

/**
 * Adam whose learning rate can change between steps (tfjs' AdamOptimizer reads `learningRate` on
 * every `applyGradients` but offers no setter; SGD and momentum have `setLearningRate`).
 */
class ScheduledAdam extends tf.AdamOptimizer {
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }
}

/**
 * tfjs 4.22's MomentumOptimizer.dispose() frees its momentum scalar and slots but not the learning-rate
 * scalar it inherits from SGDOptimizer (one tensor per optimizer); this frees it too.
 */
class Momentum extends tf.MomentumOptimizer {
  override dispose(): void {
    super.dispose();
    this.c.dispose();
  }
}

/** A new optimizer; the caller disposes it (which frees every tensor it made). */
export function createOptimizer(spec: OptimizerSpec): ScheduledOptimizer {
  const lr = spec.learningRate;
  switch (spec.kind) {
    case 'gd':
    case 'sgd':
      return new tf.SGDOptimizer(lr);
    case 'momentum': {
      const mu = spec.momentum;
      if (mu === undefined || !(mu >= 0)) throw new RangeError(`momentum optimizer needs momentum ≥ 0, got ${mu}`);
      return new Momentum(lr, mu);
    }
    case 'adam':
      return new ScheduledAdam(lr, spec.beta1 ?? 0.9, spec.beta2 ?? 0.999, spec.epsilon ?? 1e-7);
  }
}
