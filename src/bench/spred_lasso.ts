/**
 * Speed of the backend and of spred's lasso step (not a test; prints figures). Build, then run:
 *
 *   npm run bench        (this script, then the classical baselines)
 *   node dist/bench/spred_lasso.js [--backend auto|tensorflow|webgpu|wasm|cpu] [--steps 200]
 *
 * Prints the backend in use, its matMul throughput on 1024², and milliseconds per optimisation step
 * of the orthogonal-design lasso (src/tasks/lasso/train_grid.ts) for configs/lasso-smoke.json's size
 * and configs/lasso.json's size, for every method × optimizer, with the tensor count before and after.
 */
import * as tf from '@tensorflow/tfjs';
import { describeBackend, selectBackend, type BackendName } from '../backend';
import { trainGrid } from '../tasks/lasso/train_grid';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function matMulGflops(size: number, repeats: number): number {
  const a = tf.randomNormal([size, size]);
  const b = tf.randomNormal([size, size]);
  tf.tidy(() => tf.matMul(a, b).dataSync());
  const t0 = performance.now();
  for (let i = 0; i < repeats; i++) tf.tidy(() => tf.matMul(a, b).dataSync());
  const seconds = (performance.now() - t0) / 1000 / repeats;
  tf.dispose([a, b]);
  return (2 * size ** 3) / seconds / 1e9;
}

async function main(): Promise<void> {
  const backend = await selectBackend(flag('backend', 'auto') as BackendName);
  const steps = Number(flag('steps', '200'));
  console.log(describeBackend(backend));
  console.log(`matMul 1024x1024: ${matMulGflops(1024, 5).toFixed(1)} GFLOP/s`);
  console.log('\nlasso step (all λ of the grid at once), ms per step:');
  console.log('size                 lambdas  method  optimizer  ms/step  tensors before/after');
  for (const [n, d, g] of [
    [200, 100, 6],
    [1000, 500, 10],
  ]) {
    const lambdas = Array.from({ length: g }, (_, i) => 0.1 + (3 * i) / g);
    const x = tf.randomNormal([n, d], 0, 1, 'float32', 1) as tf.Tensor2D;
    const y = tf.tidy(() => tf.tile(tf.randomNormal([n, 1], 0, 1, 'float32', 2), [1, g])) as tf.Tensor2D;
    for (const method of ['l1', 'spred'] as const) {
      for (const optimizer of ['gd', 'adam'] as const) {
        const init =
          method === 'l1'
            ? { v: tf.randomNormal([d, g], 0, 0.1) as tf.Tensor2D }
            : { u: tf.randomNormal([d, g]) as tf.Tensor2D, w: tf.randomNormal([d, g], 0, 0.1) as tf.Tensor2D };
        const before = tf.memory().numTensors;
        const t0 = performance.now();
        await trainGrid(
          { x, y, lambdas },
          { method, optimizer, learningRate: 0.01, iterations: steps, thresholds: [1e-3, 1e-6], checkEvery: steps, patience: 0, init, alphaOverBeta: 1 },
        );
        const ms = (performance.now() - t0) / steps;
        const after = tf.memory().numTensors;
        tf.dispose(Object.values(init));
        console.log(
          `N=${n} d=${d}`.padEnd(21) + `${g}`.padEnd(9) + method.padEnd(8) + optimizer.padEnd(11) + ms.toFixed(2).padEnd(9) + `${before}/${after}`,
        );
      }
    }
    tf.dispose([x, y]);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
