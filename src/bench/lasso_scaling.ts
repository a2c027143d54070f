/**
 * Benchmark of issue 4 / paper §4.1 "High-dimensional Lasso" (Fig. 2 right): spred (GD and Adam on the
 * tfjs backend in use) against coordinate descent, LARS and FISTA, timed in one process on the same
 * problems. Not a test; prints a table. Build, then run:
 *
 *   npm run bench:lasso -- [flags]        (node --max-old-space-size=4096 dist/bench/lasso_scaling.js)
 *
 * Flags (defaults: configs/lasso-scaling.json, the paper-scale config):
 *   --d LIST        dimensions d                   --m LIST        output counts m
 *   --ratios LIST   λ/λ_max values                 --repeats R     runs per method, median reported
 *   --methods LIST  of cd, lars, fista, spred      --optimizers L  spred's, of gd, adam
 *   --backend NAME  auto|tensorflow|webgpu|wasm|cpu       --no-profile    skip the per-step profile of spred
 *   --max-steps S   spred's step budget (a run that hits it says `budget` in the stop column)
 *
 * Columns: median seconds over the repeats to 75 / 90 / 100 % of the converged zero-rate (every method
 * from its trace: spred's checks, the baselines' iterations; see src/tasks/lasso_scaling/timing.ts), to
 * relative suboptimality 1e-3 and 1e-6,
 * the largest relative suboptimality and smallest support agreement over the repeats, and for spred
 * `vs cd` = its median time to 100 % of its converged zero-rate divided by coordinate descent's median
 * solve time (`solve`: start to return, the tracing taken out; `timeToSolution` in timing.ts says why
 * a baseline's own t100 is not the number to compare). The profile splits one spred step
 * into its two products, the elementwise gradient, the optimizer update and the stopping-rule check
 * (which reads three numbers back from the backend).
 *
 * Memory: at d = 10⁵ X is held as float64 column-major (0.8 GB, the solvers' copy) and twice as float32
 * on the backend (X and Xᵀ, 0.4 GB each), plus a transient float64 row-major copy while generating; all
 * ArrayBuffers or wasm memory, not V8 heap. `--max-old-space-size=4096` caps the V8 heap at 4 GB.
 */
import * as tf from '@tensorflow/tfjs';
import { describeBackend, selectBackend, type BackendName } from '../backend';
import { splitKappa } from '../spred/conventions';
import { lassoScalingConfigSchema, type LassoScalingConfig } from '../tasks/lasso_scaling/config';
import { makeSyntheticProblem } from '../tasks/lasso_scaling/problem';
import { timeProblem } from '../tasks/lasso_scaling/time_problem';
import { uploadProblem, type SpredProblemTensors } from '../tasks/lasso_scaling/spred_solver';
import { median } from '../numeric/statistics';
import type { TimingRow } from '../tasks/lasso_scaling/timing';
import * as fs from 'node:fs';
import * as path from 'node:path';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const list = (name: string): string[] | undefined => flag(name)?.split(',');

function loadConfig(): LassoScalingConfig {
  const file = path.join(__dirname, '..', '..', 'configs', 'lasso-scaling.json');
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  const num = (xs: string[] | undefined) => xs?.map(Number);
  if (list('d')) raw.problem.features = num(list('d'));
  if (list('m')) raw.problem.outputs = num(list('m'));
  if (list('ratios')) raw.lambdaRatios = num(list('ratios'));
  if (flag('repeats')) raw.repeats = Number(flag('repeats'));
  if (list('methods')) raw.methods = list('methods');
  if (list('optimizers')) raw.spred.optimizers = list('optimizers');
  if (flag('max-steps')) raw.spred.maxSteps = Number(flag('max-steps'));
  return lassoScalingConfigSchema.parse(raw);
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x < 10 ? x.toFixed(3) : x.toFixed(1));

function table(rows: TimingRow[]): void {
  const name = (r: TimingRow) => (r.optimizer ? `spred/${r.optimizer}` : r.method);
  const cdTime = median(rows.filter((r) => r.method === 'cd').map((r) => r.seconds));
  for (const method of [...new Set(rows.map(name))]) {
    const rs = rows.filter((r) => name(r) === method);
    const med = (k: keyof TimingRow) => {
      const xs = rs.map((r) => r[k] as number | null);
      return xs.some((x) => x === null) ? null : median(xs as number[]);
    };
    const t100 = med('seconds_to_zero_rate_100');
    const r = rs[0];
    console.log(
      [
        String(r.lambda_ratio).padStart(5),
        String(r.d).padStart(7),
        String(r.m).padStart(3),
        method.padEnd(11),
        fmt(med('seconds_to_zero_rate_75')).padStart(8),
        fmt(med('seconds_to_zero_rate_90')).padStart(8),
        fmt(t100).padStart(8),
        fmt(med('seconds')).padStart(8),
        fmt(med('seconds_to_subopt_1e3')).padStart(8),
        fmt(med('seconds_to_subopt_1e6')).padStart(8),
        String(median(rs.map((x) => x.iterations))).padStart(6),
        [...new Set(rs.map((x) => x.stop))].join('/').padEnd(10),
        Math.max(...rs.map((x) => x.rel_suboptimality)).toExponential(1).padStart(9),
        Math.min(...rs.map((x) => x.support_agreement)).toFixed(4).padStart(7),
        method.startsWith('spred') && t100 !== null && Number.isFinite(cdTime) ? (t100 / cdTime).toFixed(2).padStart(7) : '',
      ].join(' '),
    );
  }
}

/** Milliseconds per call of `f` (median of `reps` after one warm-up), tensors disposed. */
function timeOp(f: () => tf.Tensor | tf.Tensor[] | void, reps = 10): number {
  const run = () => {
    const out = f();
    const ts = out === undefined ? [] : Array.isArray(out) ? out : [out];
    if (ts.length > 0) ts[ts.length - 1].dataSync();
    tf.dispose(ts);
  };
  run();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Where one spred step's time goes, at the problem's size (random U, W; the ops of spred_solver.ts). */
function profile(t: SpredProblemTensors, lambda: number, optimizer: 'gd' | 'adam', lr: number, eps: number): string {
  const [n, d] = t.x.shape;
  const m = t.yt.shape[0];
  const { alpha, beta } = splitKappa(lambda / 2);
  const u0 = tf.randomNormal([m, d], 0, 0.01, 'float32', 1);
  const w0 = tf.randomNormal([m, d], 0, 0.01, 'float32', 2);
  const u = tf.variable(u0);
  const w = tf.variable(w0);
  tf.dispose([u0, w0]);
  const opt: tf.Optimizer = optimizer === 'gd' ? tf.train.sgd(lr) : tf.train.adam(lr, 0.9, 0.999, eps);
  const { vt, rt, gt } = tf.tidy(() => {
    const v = tf.mul(u, w) as tf.Tensor2D;
    const r = tf.sub(t.yt, tf.matMul(v, t.xt)) as tf.Tensor2D;
    return { vt: v, rt: r, gt: tf.mul(tf.matMul(r, t.x), -1 / n) };
  });
  const ms = {
    'Vᵀ·Xᵀ': timeOp(() => tf.matMul(vt, t.xt)),
    'Rᵀ·X': timeOp(() => tf.matMul(rt, t.x)),
    'X·v (other way)': m === 1 ? timeOp(() => tf.matMul(t.x, vt, false, true)) : NaN,
    'Xᵀr (other way)': m === 1 ? timeOp(() => tf.matMul(t.x, rt, true, true)) : NaN,
    elementwise: timeOp(() => tf.tidy(() => [tf.mul(u, w), tf.sub(t.yt, t.yt), tf.add(tf.mul(gt, w), tf.mul(2 * alpha, u)), tf.add(tf.mul(gt, u), tf.mul(2 * beta, w))])),
    update: timeOp(() => {
      const g = tf.tidy(() => ({ [u.name]: tf.mul(gt, 1e-9), [w.name]: tf.mul(gt, 1e-9) }));
      opt.applyGradients(g);
      tf.dispose(Object.values(g));
      u.dataSync();
    }),
    'check (read 3 numbers)': timeOp(() =>
      tf.tidy(() => {
        const a = tf.abs(tf.mul(u, w));
        return tf.stack([tf.sum(tf.cast(tf.lessEqual(a, 1e-3), 'float32')), tf.sum(tf.cast(tf.lessEqual(a, 1e-6), 'float32')), tf.sum(a)]);
      }),
    ),
  };
  opt.dispose();
  tf.dispose([u, w, vt, rt, gt]);
  return Object.entries(ms)
    .filter(([, v]) => Number.isFinite(v))
    .map(([k, v]) => `${k} ${v.toFixed(2)} ms`)
    .join(', ');
}

async function main(): Promise<void> {
  const backend = await selectBackend((flag('backend') ?? 'auto') as BackendName);
  const config = loadConfig();
  const p = config.problem;
  if (p.source !== 'synthetic') throw new Error('bench needs a synthetic problem');
  console.log(describeBackend(backend));
  console.log(
    `lasso-scaling bench: N=${p.samples} k=${p.nonzeros} noise=${p.noise}, λ/λmax ${config.lambdaRatios.join(',')}, ` +
      `median of ${config.repeats}; spred lr gd ${config.spred.learningRates.gd}, adam ${config.spred.learningRates.adam} (ε ${config.spred.adamEpsilon}), ` +
      `budget ${config.spred.maxSteps} steps, check every ${config.spred.checkEvery}, patience ${config.spred.patience}; baselines tol ${config.baselines.tol}; node ${process.version}`,
  );
  console.log('ratio       d   m method          t75      t90     t100    solve  t(1e-3)  t(1e-6)  iters stop       max_rel  supp   vs cd');
  for (const d of p.features) {
    for (const m of p.outputs) {
      let t0 = performance.now();
      const problem = makeSyntheticProblem(p, d, m, config.seed);
      const gen = (performance.now() - t0) / 1000;
      for (const ratio of config.lambdaRatios) {
        t0 = performance.now();
        const rows = await timeProblem(problem, { ...config, lambdaRatios: [ratio] }, { interrupted: () => false, log: (l) => console.log(`  ${l}`), done: () => undefined });
        table(rows);
        if (config.methods.includes('spred') && process.argv.indexOf('--no-profile') < 0) {
          const t = uploadProblem(problem.X.columns, problem.X.n, d, problem.Y.data, m);
          for (const opt of config.spred.optimizers) {
            console.log(`  profile spred/${opt} step: ${profile(t, ratio * problem.lambdaMax, opt, config.spred.learningRates[opt], config.spred.adamEpsilon)}`);
          }
          tf.dispose(Object.values(t));
        }
        const mem = process.memoryUsage();
        const gb = (x: number) => (x / 2 ** 30).toFixed(2);
        console.log(
          `  (d=${d} m=${m} λ=${ratio}·λmax: generate ${gen.toFixed(1)} s, all runs ${((performance.now() - t0) / 1000).toFixed(1)} s, tensors ${tf.memory().numTensors}; ` +
            `V8 heap ${gb(mem.heapUsed)} GB, array buffers ${gb(mem.arrayBuffers)} GB, resident ${gb(mem.rss)} GB)`,
        );
      }
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
