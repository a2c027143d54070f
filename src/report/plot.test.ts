import { lineChart, renderSvg } from './plot';

/** The `d` attribute of every line mark path: one per series. */
function linePaths(svg: string): string[] {
  const groups = svg.match(/<g class="mark-line role-mark[^"]*"[^>]*>(.*?)<\/g>/g) ?? [];
  return groups.flatMap((g) => [...g.matchAll(/<path [^>]*\bd="([^"]*)"/g)].map((m) => m[1]));
}

const lambdas = [0.01, 0.1, 1, 10];
const rows = ['spred', 'l1', 'closed-form'].flatMap((method, k) =>
  lambdas.map((lambda) => ({ method, lambda, sparse_ratio: Math.min(1, (k + 1) * 0.1 * Math.log10(lambda * 100 + 1)) })),
);

describe('renderSvg(lineChart(...))', () => {
  it('renders an SVG with the title, axis titles and one path per series', async () => {
    const warnings: string[] = [];
    const spec = lineChart({
      data: rows,
      x: 'lambda',
      y: 'sparse_ratio',
      color: 'method',
      xScale: 'log',
      title: 'Sparse ratio vs regularisation strength',
      xTitle: 'λ (log scale)',
      yTitle: 'sparse ratio',
    });
    const svg = await renderSvg(spec, { onWarning: (w) => warnings.push(w) });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Sparse ratio vs regularisation strength');
    expect(svg).toContain('λ (log scale)');
    expect(svg).toContain('sparse ratio');
    for (const m of ['spred', 'l1', 'closed-form']) expect(svg).toContain(`>${m}</text>`);
    const paths = linePaths(svg);
    expect(paths).toHaveLength(3);
    for (const d of paths) expect(d).toMatch(/^M[\d.,-]+(L[\d.,-]+){3}$/);
    expect(warnings).toEqual([]);
  });

  it('is deterministic and leaves its input untouched', async () => {
    const data = rows.map((r) => ({ ...r }));
    const before = JSON.stringify(data);
    const opts = { data, x: 'lambda', y: 'sparse_ratio', color: 'method', xScale: 'log' as const, title: 't' };
    const a = await renderSvg(lineChart(opts));
    const b = await renderSvg(lineChart(opts));
    expect(a).toBe(b);
    expect(JSON.stringify(data)).toBe(before);
    expect(Object.getOwnPropertySymbols(data[0])).toEqual([]);
  });

  it('drops non-positive values on log axes instead of drawing them at -Infinity', async () => {
    const data = [
      { d: 0, seconds: 1, method: 'cd' },
      { d: 10, seconds: 0.02, method: 'cd' },
      { d: 100, seconds: 0.3, method: 'cd' },
      { d: 1000, seconds: 0, method: 'cd' },
      { d: 1000, seconds: 4, method: 'cd' },
    ];
    const svg = await renderSvg(lineChart({ data, x: 'd', y: 'seconds', color: 'method', xScale: 'log', yScale: 'log', title: 'time vs d' }));
    const [d] = linePaths(svg);
    expect(d.split('L')).toHaveLength(3);
    expect(d).not.toMatch(/NaN|Infinity/);
  });

  it('draws one path per (color, strokeDash) pair and escapes markup in titles', async () => {
    const data = ['spred', 'l1'].flatMap((method) =>
      [1e-3, 1e-2].flatMap((threshold) => [1, 2, 3].map((step) => ({ method, threshold, step, ratio: step * threshold }))),
    );
    const svg = await renderSvg(
      lineChart({ data, x: 'step', y: 'ratio', color: 'method', strokeDash: 'threshold', title: 'ratio <1 & "exact"', points: true }),
    );
    expect(linePaths(svg)).toHaveLength(4);
    expect(svg).toContain('ratio &lt;1 &amp; ');
    expect(svg).toContain('mark-symbol');
  });

  it('passes vega-lite warnings to onWarning', async () => {
    const warnings: string[] = [];
    await renderSvg(
      {
        data: { values: [{ a: 1, b: 2 }] },
        mark: 'line',
        encoding: { x: { field: 'a', type: 'quantitative', scale: { type: 'log', zero: true } }, y: { field: 'b', type: 'quantitative' } },
      },
      { onWarning: (w) => warnings.push(w) },
    );
    expect(warnings).toEqual([`x-scale's "zero" is dropped as it does not work with log scale.`]);
  });

  it('renumbers the clip-path ids vega takes from a process-wide counter', async () => {
    const spec = { ...lineChart({ data: rows, x: 'lambda', y: 'sparse_ratio', color: 'method', title: 't' }) };
    (spec as { mark: unknown }).mark = { type: 'line', clip: true };
    const a = await renderSvg(spec);
    const b = await renderSvg(spec);
    expect(a).toBe(b);
    expect(a).toContain('<clipPath id="clip1">');
    expect(a).toContain('clip-path="url(#clip3)"');
    expect(a).not.toContain('clip4');
  });
});
