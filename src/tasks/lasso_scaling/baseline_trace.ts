import type { IterationObserver, LassoSolution } from '../../baselines/lasso_objective';
import { getColumn, sumSq, type Design, type Matrix } from '../../numeric/matrix';
import { sum } from '../../numeric/statistics';
import { lassoObjectiveFromResidual } from '../../spred/lasso_objective';
import type { TracePoint } from './spred_solver';

/** A baseline solve with its trace. */
export interface TracedSolve {
  solution: LassoSolution;
  /** Wall seconds of the solve, the tracing itself taken out. */
  seconds: number;
  /** One point per observed iteration, in the form of spred's checks. */
  trace: TracePoint[];
}

/**
 * Runs `solve` with an observer that records, after each of its iterations, the zero-rates (|v| ≤
 * thresholds[0], ≤ thresholds[1]) and the objective P(V) of the whole d×m V — the columns already
 * solved at their results, the current one at its iterate, the later ones at 0 — so that the
 * baselines get the milestone columns of timing.csv from the same kind of trace as spred.
 *
 * The bookkeeping is kept off the clock: each observation times itself and that time is subtracted.
 * It costs O(d + N·nnz(w)) per observation (the objective of the changed column only, from a sparse
 * X·w), small beside an iteration's O(N·d).
 */
export function tracedSolve(
  X: Design,
  Y: Matrix,
  lambda: number,
  thresholds: readonly [number, number],
  solve: (observe: IterationObserver) => LassoSolution,
): TracedSolve {
  const { n, d } = X;
  const m = Y.cols;
  const y = Array.from({ length: m }, (_, c) => getColumn(Y, c));
  // Per column: objective and zero counts at its latest observation (initially V = 0).
  const objective = y.map((yc) => sumSq(yc) / (2 * n));
  const zeros1 = new Array<number>(m).fill(d);
  const zeros2 = new Array<number>(m).fill(d);
  const xw = new Float64Array(n);

  const trace: TracePoint[] = [];
  let excluded = 0;
  const t0 = performance.now();
  const observe: IterationObserver = (c, w) => {
    const enter = performance.now();
    let z1 = 0;
    let z2 = 0;
    for (let j = 0; j < d; j++) {
      const a = Math.abs(w[j]);
      if (a <= thresholds[0]) z1++;
      if (a <= thresholds[1]) z2++;
    }
    // xw becomes the residual y_c − X·w in place.
    X.matvec(w, xw);
    for (let i = 0; i < n; i++) xw[i] = y[c][i] - xw[i];
    objective[c] = lassoObjectiveFromResidual(xw, w, n, lambda);
    zeros1[c] = z1;
    zeros2[c] = z2;
    trace.push({
      step: trace.length + 1,
      seconds: (enter - t0 - excluded) / 1000,
      zeroRate1: sum(zeros1) / (d * m),
      zeroRate2: sum(zeros2) / (d * m),
      objective: sum(objective),
    });
    excluded += performance.now() - enter;
  };
  const solution = solve(observe);
  const seconds = (performance.now() - t0 - excluded) / 1000;
  return { solution, seconds, trace };
}
