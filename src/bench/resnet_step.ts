/**
 * Training-step time of the resnet-pruning networks (src/tasks/resnet_pruning), plain and spred. Not a
 * test; prints figures. Build, then run:
 *
 *   npm run bench:resnet
 *   node dist/bench/resnet_step.js [--backend wasm|cpu|tensorflow] [--steps 5] [--nets smoke,16,64] [--full false]
 *
 * (`--full false` is `--nets smoke,16`.)
 *
 * For the smoke network (width 8, blocks [1, 1, 1, 1], 32×32×1), a width-16 and the full-width CIFAR
 * ResNet18 (width 64, [2, 2, 2, 2], 32×32×3, 10 classes), batch 32: one SGD-momentum step of
 * cross-entropy + penalty with batch norm in training mode — the task's own step (`trainPhase`'s body) —
 * timed over `--steps` steps after two warm-up steps; then one profiled step for the share of the step's
 * time in the Conv2DBackpropFilter kernel and the number of kernel calls (op scopes and custom-gradient
 * wrappers, which tf.profile also lists, are not counted).
 *
 * Each line ends with the 1-minute load average: other processes on the cores slow a step's wall time,
 * so compare figures taken at a similar load; the process's CPU time per step (in brackets) varies much
 * less with the load. Issue 13's reference figures, PyTorch 1.13 on this machine's CPU (both cores):
 * ResNet18 at batch 32 ≈ 0.7–0.8 s/step, width 16 ≈ 45 ms; spred at ≤ 1.3× a plain step.
 */
import * as os from 'os';
import * as tf from '@tensorflow/tfjs';
import { describeBackend, selectBackend, type BackendName } from '../backend';
import { createOptimizer } from '../optim';
import { buildResNet, penalty } from '../tasks/resnet_pruning/model';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const BATCH = 32;

interface Net {
  name: string;
  width: number;
  blocks: number[];
  channels: number;
  /** PyTorch CPU seconds per step of the same-width ResNet18 (issue 13), when known. */
  torchSeconds?: number;
}

interface StepFigures {
  seconds: number;
  /** CPU time of this process per step (user + system): far less sensitive than wall time to other processes on the cores. */
  cpuSeconds: number;
  filterShare: number;
  kernelCalls: number;
}

async function measure(net: Net, spred: boolean, steps: number): Promise<StepFigures> {
  const model = buildResNet({ size: 32, channels: net.channels, classes: 10, width: net.width, blocks: net.blocks, spred, kappa: 2.5e-4, seed: 0 });
  const optimizer = createOptimizer({ kind: 'momentum', learningRate: 0.01, momentum: 0.9 });
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.randomNormal([BATCH, 32, 32, net.channels], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, (_, i) => i % 10), 'int32'), 10);
  const step = () =>
    tf.tidy(() => {
      optimizer.minimize(() => tf.add(tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor), penalty(model)) as tf.Scalar, false, vars);
    });
  const sync = () => tf.tidy(() => vars[0].dataSync());
  step();
  step();
  sync();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let s = 0; s < steps; s++) step();
  sync();
  const seconds = (performance.now() - t0) / 1000 / steps;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6 / steps;
  const profile = await tf.profile(() => step());
  const backend = tf.getBackend();
  const kernelCalls = profile.kernels.filter((k) => tf.getKernel(k.name, backend) != null).length;
  const filter = profile.kernels.filter((k) => k.name === 'Conv2DBackpropFilter').reduce((a, k) => a + (k.kernelTimeMs as number), 0);
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  // Kernel times nest (this project's Conv2DBackpropFilter runs Transpose and Conv2D kernels, which the
  // profile lists too), so the share is taken of the timed step, not of the sum of kernel times.
  return { seconds, cpuSeconds, filterShare: filter / 1000 / seconds, kernelCalls };
}

/** The 1-minute load average, as `uptime` prints it. */
function load(): string {
  return `(load ${os.loadavg()[0].toFixed(2)})`;
}

async function main(): Promise<void> {
  const backend = await selectBackend(flag('backend', 'auto') as BackendName);
  console.log(describeBackend(backend));
  const steps = Number(flag('steps', '5'));
  const all: Record<string, Net> = {
    smoke: { name: 'smoke (width 8, [1,1,1,1], 1 channel)', width: 8, blocks: [1, 1, 1, 1], channels: 1 },
    '16': { name: 'ResNet18 width 16', width: 16, blocks: [2, 2, 2, 2], channels: 3, torchSeconds: 0.045 },
    '64': { name: 'ResNet18 (width 64)', width: 64, blocks: [2, 2, 2, 2], channels: 3, torchSeconds: 0.75 },
  };
  const chosen = flag('nets', flag('full', 'true') === 'false' ? 'smoke,16' : 'smoke,16,64').split(',');
  const unknown = chosen.filter((k) => !(k in all));
  if (unknown.length > 0) throw new Error(`--nets: unknown ${unknown.join(', ')} (choose from ${Object.keys(all).join(', ')})`);
  const nets = chosen.map((k) => all[k]);
  console.log(`batch ${BATCH}, ${steps} timed steps after 2 warm-up steps; share = Conv2DBackpropFilter kernel time in one profiled step / the timed step time`);
  for (const net of nets) {
    const plain = await measure(net, false, steps);
    const spred = await measure(net, true, steps);
    const torch = (r: StepFigures) =>
      net.torchSeconds === undefined ? '' : `, ${(r.seconds / net.torchSeconds).toFixed(1)}× PyTorch CPU (CPU time ${(r.cpuSeconds / net.torchSeconds).toFixed(1)}×)`;
    for (const [label, r] of [['plain', plain], ['spred', spred]] as const) {
      console.log(
        `${net.name.padEnd(38)} ${label}: ${(r.seconds * 1000).toFixed(0)} ms/step (${(r.cpuSeconds * 1000).toFixed(0)} ms CPU), ${(BATCH / r.seconds).toFixed(1)} images/s, ` +
          `Conv2DBackpropFilter ${(100 * r.filterShare).toFixed(0)} %${torch(r)}, ${r.kernelCalls} kernel calls/step ${load()}`,
      );
    }
    console.log(
      `${net.name.padEnd(38)} spred / plain step time: ${(spred.seconds / plain.seconds).toFixed(2)} (CPU time ${(spred.cpuSeconds / plain.cpuSeconds).toFixed(2)}; paper, GPU: ~1.3; target ≤ 1.3)`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
