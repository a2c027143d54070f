import { lineChart, renderSvg } from '../../report/plot';
import { median } from '../../numeric/statistics';
import { timeToSolution, type TimingRow } from './timing';

/** Median over repeats of the time to solution (`timeToSolution`), per method, setting and d. */
export function scalingPoints(rows: readonly TimingRow[]): { d: number; seconds: number; method: string; setting: string }[] {
  const groups = new Map<string, { d: number; method: string; setting: string; times: number[] }>();
  for (const r of rows) {
    const t = timeToSolution(r);
    if (t === null) continue;
    const method = r.optimizer ? `${r.method} (${r.optimizer})` : r.method;
    const setting = `m=${r.m}, λ=${r.lambda_ratio}·λmax`;
    const key = `${method}|${setting}|${r.d}`;
    const g = groups.get(key) ?? { d: r.d, method, setting, times: [] };
    g.times.push(t);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ d: g.d, seconds: median(g.times), method: g.method, setting: g.setting }));
}

/** Figure 2 right: time to solution against d, log–log, one line per method. */
export async function scalingPlot(rows: readonly TimingRow[]): Promise<string> {
  return renderSvg(
    lineChart({
      data: scalingPoints(rows),
      x: 'd',
      y: 'seconds',
      color: 'method',
      strokeDash: 'setting',
      xScale: 'log',
      yScale: 'log',
      points: true,
      title: 'Time to solution vs d: spred to 100 % of its converged zero-rate, baselines to their stop (median of repeats; paper Fig. 2 right)',
      xTitle: 'features d',
      yTitle: 'seconds',
    }),
  );
}
