import * as tf from '@tensorflow/tfjs';
import { registerWasmConvGradients } from '../../backends/wasm_conv2d_backprop_filter';
import { PhaseCheckpoints, type CheckpointFiles } from './checkpoint';
import { readPruningImages, type PruningImages } from './data';
import { buildResNet } from './model';
import { magnitudeKeep, kernelMagnitudes, Masks } from './prune';
import { trainPhase, type PhaseOptions } from './train';

/** A run directory in memory; `failOn` makes one write throw (a kill in the middle of a save). */
class MemoryFiles implements CheckpointFiles {
  readonly data = new Map<string, Uint8Array>();
  failOn?: (name: string) => boolean;
  read(name: string): Uint8Array | undefined {
    return this.data.get(name);
  }
  write(name: string, bytes: Uint8Array): void {
    if (this.failOn?.(name)) throw new Error(`killed while writing ${name}`);
    this.data.set(name, bytes.slice());
  }
  remove(name: string): void {
    this.data.delete(name);
  }
  /** Names of the files in `dir`'s slot folders. */
  slotFiles(dir: string): string[] {
    return [...this.data.keys()].filter((n) => n.startsWith(`${dir}/slot-`)).sort();
  }
}

let images: PruningImages;
beforeAll(() => {
  registerWasmConvGradients();
  // Real Fashion-MNIST (spred data list): 10 training and 10 test images padded to 32×32 (the cpu backend is slow).
  images = readPruningImages({ dataset: 'fashion-mnist', trainLimit: 10, testLimit: 10, augment: true });
});

const SGD = { optimizer: 'sgd', learningRate: 0.05, schedule: 'cosine', momentum: 0.9, epochs: 3, batchSize: 5 } as const;
const ADAM = { optimizer: 'adam', learningRate: 1e-2, schedule: 'constant', momentum: 0.9, epochs: 3, batchSize: 5 } as const;
const STEPS_PER_EPOCH = 2;

const tiny = () => buildResNet({ size: 32, channels: 1, classes: 10, width: 2, blocks: [1], spred: true, kappa: 5e-3, seed: 11 });

async function weightsOf(model: tf.LayersModel): Promise<Float32Array[]> {
  return Promise.all(model.weights.map(async (w) => (await w.read().data()) as Float32Array));
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  let d = 0;
  a.forEach((x, i) => x.forEach((v, j) => (d = Math.max(d, Math.abs(v - b[i][j])))));
  return d;
}

/** One phase on a fresh network, optionally stopped after `stopAfter` steps; the network's weights and the epoch losses. */
type Phase = Omit<typeof SGD, 'epochs'> | Omit<typeof ADAM, 'epochs'>;
async function run(phase: Phase & { epochs: number }, files: MemoryFiles, stopAfter?: number, prune = false) {
  const model = tiny();
  let masks: Masks | undefined;
  if (prune) {
    const mags = await kernelMagnitudes(model);
    masks = Masks.fromArrays(model, magnitudeKeep(mags, Math.round(mags.reduce((a, m) => a + m.length, 0) / 5)));
    masks.apply();
  }
  let steps = 0;
  const losses: number[] = [];
  const opts: PhaseOptions = {
    seed: 5,
    augment: true,
    masks,
    checkpoints: new PhaseCheckpoints(files, 'checkpoints/spred/phase-1', 'train', phase.epochs),
    onEpoch: (r) => losses.push(r.loss),
    shouldStop: () => stopAfter !== undefined && ++steps >= stopAfter,
  };
  const result = await trainPhase(model, images, phase, opts);
  const weights = await weightsOf(model);
  masks?.dispose();
  model.dispose();
  return { interrupted: result.interrupted, losses, weights };
}

// Seconds per step on the cpu backend under load; the cpu cases train 15 steps each.
jest.setTimeout(900_000);

describe('per-epoch checkpoints of a training phase', () => {
  // The issue states the criterion on the cpu backend (the reference kernels); Adam is checked on wasm too.
  it.each([
    ['SGD with momentum (training)', 'cpu', SGD, false],
    ['Adam under pruning masks (fine-tuning)', 'cpu', ADAM, true],
    ['Adam under pruning masks (fine-tuning)', 'wasm', ADAM, true],
  ] as const)('%s on %s: stopped in epoch 2 and resumed on a new network, it ends within 1e-4 of the uninterrupted run', async (_, backend, phase, prune) => {
    await tf.setBackend(backend);
    try {
      await resumeMatchesWhole(phase, prune);
    } finally {
      await tf.setBackend('wasm');
    }
  });

  async function resumeMatchesWhole(phase: Phase & { epochs: number }, prune: boolean): Promise<void> {
    const before = tf.memory().numTensors;
    const whole = await run(phase, new MemoryFiles(), undefined, prune);
    const files = new MemoryFiles();
    const stopped = await run(phase, files, STEPS_PER_EPOCH + 2, prune);
    expect(stopped.interrupted).toBe(true);
    expect(stopped.losses).toHaveLength(1);
    const resumed = await run(phase, files, undefined, prune);
    expect(resumed.interrupted).toBe(false);
    // Epoch 1's report comes from the checkpoint, epochs 2 and 3 are trained again from it.
    expect(resumed.losses).toHaveLength(3);
    expect(resumed.losses[0]).toBe(stopped.losses[0]);
    resumed.losses.forEach((l, i) => expect(Math.abs(l - whole.losses[i])).toBeLessThanOrEqual(1e-4));
    expect(maxDiff(resumed.weights, whole.weights)).toBeLessThanOrEqual(1e-4);
    // The runs are not trivially equal: training moved the weights.
    const init = tiny();
    expect(maxDiff(await weightsOf(init), whole.weights)).toBeGreaterThan(1e-2);
    init.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }

  it('a kill during a save leaves the previous epoch restorable; a finished phase is not trained again', async () => {
    const files = new MemoryFiles();
    // Epoch 2's save dies after its slot is written, before checkpoint.json names it.
    let states = 0;
    files.failOn = (name) => name.endsWith('checkpoint.json') && ++states === 2;
    await expect(run(SGD, files)).rejects.toThrow(/killed while writing/);
    const state = JSON.parse(new TextDecoder().decode(files.read('checkpoints/spred/phase-1/checkpoint.json')));
    expect(state).toMatchObject({ epoch: 1, step: STEPS_PER_EPOCH, slot: 0 });
    files.failOn = undefined;
    const resumed = await run(SGD, files);
    expect(resumed.losses).toHaveLength(3);
    const whole = await run(SGD, new MemoryFiles());
    expect(maxDiff(resumed.weights, whole.weights)).toBeLessThanOrEqual(1e-4);
    // Resuming the completed phase restores its final state and takes no step.
    const again = await run(SGD, files, 1);
    expect(again.interrupted).toBe(false);
    expect(maxDiff(again.weights, whole.weights)).toBeLessThanOrEqual(1e-4);
  });

  it('keeps both slots while the phase runs and deletes the unused one when it ends', async () => {
    const dir = 'checkpoints/spred/phase-1';
    const files = new MemoryFiles();
    await run(SGD, files, 2 * STEPS_PER_EPOCH + 1);
    const slot = (n: number) => ['model.json', 'optimizer.bin', 'weights.bin'].map((f) => `${dir}/slot-${n}/${f}`);
    expect(files.slotFiles(dir)).toEqual([...slot(0), ...slot(1)]);
    await run(SGD, files);
    const state = JSON.parse(new TextDecoder().decode(files.read(`${dir}/checkpoint.json`)));
    expect(state).toMatchObject({ epoch: 3, slot: 0 });
    expect(files.slotFiles(dir)).toEqual(slot(0));
    // The finished phase still restores from the slot it kept.
    const whole = await run(SGD, new MemoryFiles());
    expect(maxDiff((await run(SGD, files, 1)).weights, whole.weights)).toBeLessThanOrEqual(1e-4);
  });

  it('ignores a checkpoint of another phase, saying so', async () => {
    const files = new MemoryFiles();
    await run({ ...SGD, epochs: 1 }, files);
    const model = tiny();
    const why: string[] = [];
    const optimizer = tf.train.sgd(0.1);
    const state = await new PhaseCheckpoints(files, 'checkpoints/spred/phase-1', 'finetune', 1).restore(model, optimizer, (l) => why.push(l));
    expect(state).toBeUndefined();
    expect(why[0]).toMatch(/a checkpoint of phase "train" \(1 epochs\), not of "finetune"/);
    optimizer.dispose();
    model.dispose();
  });
});
