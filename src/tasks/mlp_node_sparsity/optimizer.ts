import * as tf from '@tensorflow/tfjs';

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

/** An optimizer with a settable learning rate. */
export type ScheduledOptimizer = tf.Optimizer & { setLearningRate(learningRate: number): void };

/** Adam (β₁ 0.9, β₂ 0.999, ε 1e-7 — tfjs' and Keras' defaults) or SGD with momentum. */
export function makeOptimizer(kind: 'adam' | 'sgd', learningRate: number, momentum: number): ScheduledOptimizer {
  if (kind === 'adam') return new ScheduledAdam(learningRate, 0.9, 0.999, 1e-7);
  return momentum > 0 ? new Momentum(learningRate, momentum) : new tf.SGDOptimizer(learningRate);
}

/**
 * Learning rate at step `step` of `total` (0-based): `constant`, or `cosine` from `base` down to 0,
 * base·(1 + cos(π·step/total))/2.
 */
export function scheduledRate(schedule: 'constant' | 'cosine', base: number, step: number, total: number): number {
  if (schedule === 'constant' || total <= 0) return base;
  return (base * (1 + Math.cos((Math.PI * Math.min(step, total)) / total))) / 2;
}
