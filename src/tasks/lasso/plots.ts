import { lineChart, renderSvg } from '../../report/plot';
import type { SparsityRow } from './rows';

/** Figure 2 left: sparse ratio against λ, one line per method/optimizer, at the first threshold. */
export async function sparsityPlot(rows: readonly SparsityRow[], thresholds: readonly [number, number]): Promise<string> {
  const data = rows
    .filter((r) => r.optimizer !== 'best')
    .map((r) => ({
    lambda: r.lambda,
    sparse_ratio: r.sparse_ratio_1,
    method: r.optimizer ? `${r.method} (${r.optimizer})` : r.method,
  }));
  return renderSvg(
    lineChart({
      data,
      x: 'lambda',
      y: 'sparse_ratio',
      color: 'method',
      points: true,
      title: `Sparse ratio vs L1 strength (|v| ≤ ${thresholds[0]}; paper Fig. 2 left)`,
      xTitle: 'λ  (spred κ = λ/2)',
      yTitle: 'sparse ratio',
    }),
  );
}

/** The grid values nearest to the paper's Fig. 7 panels (α ≈ 0.3 and α ≈ 2.3). */
export function figure7Lambdas(lambdas: readonly number[]): number[] {
  const nearest = (target: number) => lambdas.reduce((a, b) => (Math.abs(b - target) < Math.abs(a - target) ? b : a));
  return [...new Set([nearest(0.3), nearest(2.3)])];
}

/**
 * Figure 7: sparse ratio over iterations at the selected learning rate, per method and optimizer, at
 * the two grid values nearest the paper's panels (all λ are in trajectory.csv).
 */
export async function trajectoryPlot(
  rows: readonly { method: string; optimizer: string; lambda: number; iteration: number; sparse_ratio_1: number }[],
  lambdas: readonly number[],
): Promise<string> {
  const shown = figure7Lambdas(lambdas);
  const data = rows
    .filter((r) => r.iteration > 0 && shown.includes(r.lambda))
    .map((r) => ({ iteration: r.iteration, sparse_ratio: r.sparse_ratio_1, method: `${r.method} (${r.optimizer})`, lambda: `λ = ${r.lambda}` }));
  return renderSvg(
    lineChart({
      data,
      x: 'iteration',
      y: 'sparse_ratio',
      color: 'method',
      strokeDash: 'lambda',
      xScale: 'log',
      title: 'Sparse ratio during training (paper App. A.1, Fig. 7)',
      xTitle: 'iteration',
      yTitle: 'sparse ratio',
    }),
  );
}
