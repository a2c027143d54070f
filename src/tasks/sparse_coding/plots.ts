import { lineChart, renderSvg } from '../../report/plot';
import type { TrainingRow } from './rows';

/** Objective F against training seconds, one line per method (log y: the methods differ by orders of magnitude early on). */
export async function objectivePlot(rows: readonly TrainingRow[], alpha: number): Promise<string> {
  return renderSvg(
    lineChart({
      data: rows.map((r) => ({ method: r.method, seconds: r.seconds, objective: r.objective })),
      x: 'seconds',
      y: 'objective',
      color: 'method',
      points: true,
      yScale: 'log',
      title: `Sparse coding objective ½‖x − sD‖² + ${alpha}‖s‖₁ per patch vs training time (paper §4.1, App. A.3)`,
      xTitle: 'training seconds (evaluation excluded)',
      yTitle: 'objective per patch',
    }),
  );
}
