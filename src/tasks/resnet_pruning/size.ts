// No TensorFlow.js here: task.ts checks sizes before anything loads it.

/** Conv and dense weights of `buildResNet(args)` (each V once), computed without building it. */
export function kernelWeightCount(args: { channels: number; classes: number; width: number; blocks: readonly number[] }): number {
  let n = 9 * args.channels * args.width;
  let c = args.width;
  args.blocks.forEach((count, stage) => {
    const f = args.width * 2 ** stage;
    for (let b = 0; b < count; b++) {
      n += 9 * c * f + 9 * f * f + ((stage > 0 && b === 0) || c !== f ? c * f : 0);
      c = f;
    }
  });
  return n + c * args.classes;
}
