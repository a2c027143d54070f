import * as tf from '@tensorflow/tfjs';
import { InitScheme, initRedundantPair } from './init';

export interface PairVariablesArgs {
  /** Shape of W (and of V). */
  shape: readonly number[];
  /** Omit for elementwise U (W's shape); otherwise U is one scalar per slice along this (normalised) axis. */
  groupAxis?: number;
  /** Starting values; copied into the variables. Otherwise drawn by `init`. */
  initial?: { u: tf.Tensor; w: tf.Tensor };
  init?: InitScheme;
  initStd?: number;
  seed?: number;
  alpha: number;
  beta: number;
  trainable?: boolean;
  /** Variable names become `<name>/u` and `<name>/w`. */
  name?: string;
}

/** The two tf.Variables of a redundant pair, from given values (shape-checked) or an init scheme. */
export function createPairVariables(args: PairVariablesArgs): { u: tf.Variable; w: tf.Variable } {
  const trainable = args.trainable ?? true;
  const name = (suffix: string) => (args.name === undefined ? undefined : `${args.name}/${suffix}`);
  if (args.initial) {
    const uShape = args.groupAxis === undefined ? [...args.shape] : [args.shape[args.groupAxis]];
    const checks: [string, tf.Tensor, number[]][] = [
      ['initial.u', args.initial.u, uShape],
      ['initial.w', args.initial.w, [...args.shape]],
    ];
    for (const [what, t, shape] of checks) {
      if (!tf.util.arraysEqual(t.shape, shape)) throw new RangeError(`${what} has shape [${t.shape}], expected [${shape}]`);
    }
    return {
      u: tf.variable(args.initial.u, trainable, name('u'), 'float32'),
      w: tf.variable(args.initial.w, trainable, name('w'), 'float32'),
    };
  }
  const { u, w } = initRedundantPair({
    scheme: args.init ?? 'independent',
    shape: args.shape,
    std: args.initStd ?? 1,
    groupAxis: args.groupAxis,
    seed: args.seed,
    alpha: args.alpha,
    beta: args.beta,
  });
  const vars = { u: tf.variable(u, trainable, name('u')), w: tf.variable(w, trainable, name('w')) };
  tf.dispose([u, w]);
  return vars;
}
