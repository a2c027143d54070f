/**
 * Wall time of the classical lasso baselines (coordinate descent, LARS, FISTA; plain TypeScript on
 * Float64Array) on the paper's high-dimensional lasso problems, for later comparison with spred.
 * Not a test. Build, then run:
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/lasso_baselines.js [flags]
 *
 * Flags (defaults in brackets):
 *   --large          also d = 10⁵ (needs ~1.6 GB of ArrayBuffers: X plus its column-major copy)
 *   --d LIST         comma-separated dimensions, overriding the defaults [1000,10000]
 *   --n N            samples [1000]           --m M        outputs [1]
 *   --k K            non-zero rows of V* [10] --noise S    noise σ [0.1]
 *   --ratio R        λ/λ_max [0.1]            --repeats R  runs per solver, median reported [3]
 *   --tol T          duality-gap tolerance of CD and FISTA [1e-4, scikit-learn's default]
 *   --solvers LIST   of cd (residual updates), cd-covariance, lars, fista [cd,cd-covariance,lars,fista];
 *                    cd-covariance is skipped for d > 10⁴ unless listed in --solvers (its Gram
 *                    columns would need d·(features ever active)·8 bytes).
 *
 * Times exclude generating the problem and the one-off column-major copy of X (printed separately;
 * every solver reads the same `Design`, as scikit-learn converts X to Fortran order once per fit).
 * `rel` is (P(V) − P_best)/P_best against the lowest objective in the row group; `gap` is the reported
 * duality gap.
 */
import { coordinateDescent } from '../baselines/coordinate_descent';
import { fista } from '../baselines/fista';
import { lars } from '../baselines/lars';
import { LassoSolution, lassoObjective } from '../baselines/lasso_objective';
import { Design, Matrix } from '../numeric/matrix';
import { median } from '../numeric/statistics';
import { syntheticProblem } from '../data/synthetic_lasso';

type SolverName = 'cd' | 'cd-covariance' | 'lars' | 'fista';
const SOLVERS: SolverName[] = ['cd', 'cd-covariance', 'lars', 'fista'];

interface BenchArgs {
  dims: number[];
  n: number;
  m: number;
  k: number;
  noise: number;
  ratio: number;
  repeats: number;
  tol: number;
  solvers: SolverName[];
  solversGiven: boolean;
}

function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = {
    dims: [1000, 10000],
    n: 1000,
    m: 1,
    k: 10,
    noise: 0.1,
    ratio: 0.1,
    repeats: 3,
    tol: 1e-4,
    solvers: SOLVERS,
    solversGiven: false,
  };
  let large = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const num = (): number => {
      const v = Number(value());
      if (!Number.isFinite(v)) throw new Error(`${flag} needs a number`);
      return v;
    };
    switch (flag) {
      case '--large':
        large = true;
        break;
      case '--d':
        args.dims = value().split(',').map(Number);
        break;
      case '--n':
        args.n = num();
        break;
      case '--m':
        args.m = num();
        break;
      case '--k':
        args.k = num();
        break;
      case '--noise':
        args.noise = num();
        break;
      case '--ratio':
        args.ratio = num();
        break;
      case '--repeats':
        args.repeats = num();
        break;
      case '--tol':
        args.tol = num();
        break;
      case '--solvers': {
        const names = value().split(',');
        const unknown = names.filter((s) => !SOLVERS.includes(s as SolverName));
        if (unknown.length > 0) throw new Error(`unknown solver ${unknown.join(', ')}; available: ${SOLVERS.join(', ')}`);
        args.solvers = names as SolverName[];
        args.solversGiven = true;
        break;
      }
      default:
        throw new Error(`unknown flag ${flag}`);
    }
  }
  if (large && !args.dims.includes(100000)) args.dims.push(100000);
  return args;
}

function run(name: SolverName, X: Design, Y: Matrix, lambda: number, tol: number): LassoSolution {
  switch (name) {
    case 'lars':
      return lars(X, Y, lambda);
    case 'fista':
      return fista(X, Y, lambda, { tol });
    case 'cd':
      return coordinateDescent(X, Y, lambda, { tol, updates: 'residual' });
    case 'cd-covariance':
      return coordinateDescent(X, Y, lambda, { tol, updates: 'covariance' });
  }
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function pad(s: string | number, w: number): string {
  return String(s).padStart(w);
}

/** The problem of one row group, keeping only the column-major X (the row-major one is dropped). */
function prepare(args: BenchArgs, d: number): { X: Design; Y: Matrix; lambda: number; genSeconds: number; copySeconds: number } {
  let t = process.hrtime.bigint();
  const p = syntheticProblem({ n: args.n, d, m: args.m, k: Math.min(args.k, d), noise: args.noise, lambdaRatio: args.ratio, seed: 0 });
  const genSeconds = seconds(t);
  t = process.hrtime.bigint();
  const X = Design.fromMatrix(p.X);
  return { X, Y: p.Y, lambda: p.lambda, genSeconds, copySeconds: seconds(t) };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  // Warm the JIT on a small problem so the first timed run does not pay for compilation.
  const warm = syntheticProblem({ n: 100, d: 300, k: 10, seed: 99 });
  const warmX = Design.fromMatrix(warm.X);
  for (const s of SOLVERS) run(s, warmX, warm.Y, warm.lambda, args.tol);

  console.log(
    `lasso baselines: N=${args.n} m=${args.m} k=${args.k} noise=${args.noise} λ=${args.ratio}·λ_max tol=${args.tol} ` +
      `median of ${args.repeats}, node ${process.version}`,
  );
  console.log(
    [pad('d', 7), pad('solver', 14), pad('seconds', 9), pad('iters', 6), pad('conv', 5), pad('nnz', 6), pad('objective', 13), pad('rel', 9), pad('gap', 9)].join(' '),
  );
  for (const d of args.dims) {
    const { X, Y, lambda, genSeconds, copySeconds } = prepare(args, d);
    const rows: { name: string; time: number; sol: LassoSolution; obj: number }[] = [];
    for (const name of args.solvers) {
      if (!args.solversGiven && d > 10000 && name === 'cd-covariance') continue;
      const times: number[] = [];
      let sol: LassoSolution | undefined;
      for (let r = 0; r < args.repeats; r++) {
        const start = process.hrtime.bigint();
        sol = run(name, X, Y, lambda, args.tol);
        times.push(seconds(start));
      }
      const s = sol as LassoSolution;
      rows.push({ name, time: median(times), sol: s, obj: lassoObjective(X, Y, s.coef, lambda) });
    }
    const best = Math.min(...rows.map((r) => r.obj));
    for (const r of rows) {
      console.log(
        [
          pad(d, 7),
          pad(r.name, 14),
          pad(r.time.toFixed(3), 9),
          pad(r.sol.nIter, 6),
          pad(r.sol.converged ? 'yes' : 'NO', 5),
          pad(r.sol.coef.data.filter((v) => v !== 0).length, 6),
          pad(r.obj.toPrecision(8), 13),
          pad(((r.obj - best) / best).toExponential(1), 9),
          pad(r.sol.gap.toExponential(1), 9),
        ].join(' '),
      );
    }
    console.log(`${pad(d, 7)} (generate ${genSeconds.toFixed(2)} s, column-major copy ${copySeconds.toFixed(2)} s)`);
  }
}

main();
