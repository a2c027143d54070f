/**
 * Plots as SVG files: a Vega-Lite spec is compiled with vega-lite and rendered headless by vega
 * (renderer `none`, no canvas, no browser). Runners build specs with `lineChart` (or write their own
 * Vega-Lite) and pass the SVG to `ctx.writeSvg`. Text widths are estimated (there is no canvas in
 * Node), which makes the output the same on every machine.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { View } from 'vega';
import type { CsvValue } from '../results/csv';

export type VegaLiteSpec = TopLevelSpec;

/** vega-util's logger interface, reached through vega (vega-util is not a direct dependency). */
type LoggerInterface = NonNullable<NonNullable<ConstructorParameters<typeof View>[1]>['logger']>;

export interface RenderOptions {
  /** Receives vega-lite / vega warnings; default: printed to stderr as `plot: warning: …`. */
  onWarning?: (message: string) => void;
}

function makeLogger(onWarning: (message: string) => void): LoggerInterface {
  let level = 2; // vega's Warn
  const text = (args: readonly unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: readonly unknown[]) {
      throw new Error(text(args));
    },
    warn(...args: readonly unknown[]) {
      if (level >= 2) onWarning(text(args));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger as LoggerInterface;
}

/**
 * Renders a Vega-Lite spec to an SVG document. The spec is deep-copied first (vega annotates and
 * converts data objects in place), and the view is finalized afterwards (it holds timers and
 * listeners otherwise). vega and vega-lite are required here, not at module load: they take a few
 * hundred milliseconds to load and most commands never plot.
 */
export async function renderSvg(spec: VegaLiteSpec, opts: RenderOptions = {}): Promise<string> {
  const onWarning = opts.onWarning ?? ((m: string) => process.stderr.write(`plot: warning: ${m}\n`));
  const logger = makeLogger(onWarning);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vl = require('vega-lite') as typeof import('vega-lite');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vega = require('vega') as typeof import('vega');
  const compiled = vl.compile(structuredClone(spec), { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger });
  try {
    return renumberIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * vega numbers clip paths and gradients from process-wide counters (`clip7` in the third plot of a
 * run); renumbering them in order of appearance makes the SVG depend on the spec alone.
 */
export function renumberIds(svg: string): string {
  const names = new Map<string, string>();
  for (const m of svg.matchAll(/\bid="((clip|gradient|pattern)\d+)"/g)) {
    if (!names.has(m[1])) names.set(m[1], `${m[2]}${names.size + 1}`);
  }
  if (names.size === 0) return svg;
  return svg.replace(/(\bid="|url\(#|xlink:href="#|\bhref="#)((?:clip|gradient|pattern)\d+)(?=[")])/g, (all, pre: string, id: string) =>
    names.has(id) ? `${pre}${names.get(id)}` : all,
  );
}

export type ScaleKind = 'linear' | 'log';

export interface LineChartOptions {
  /** One object per point (e.g. CSV rows). Not modified. */
  data: readonly Record<string, CsvValue | undefined>[];
  /** Field on the x axis (quantitative). */
  x: string;
  /** Field on the y axis (quantitative). */
  y: string;
  /** Field whose values each get their own line and colour (e.g. `method`); default one line. */
  color?: string;
  /** Field whose values each get their own dash pattern (e.g. `threshold`); default solid. */
  strokeDash?: string;
  /** Default `linear`. With `log`, points with x ≤ 0 (or not a number) are left out of the plot. */
  xScale?: ScaleKind;
  /** Default `linear`. With `log`, points with y ≤ 0 (or not a number) are left out of the plot. */
  yScale?: ScaleKind;
  title: string;
  /** Default: the x field name. */
  xTitle?: string;
  /** Default: the y field name. */
  yTitle?: string;
  /** Draw a marker on every point. Default false. */
  points?: boolean;
  /** Plot area size in pixels; default 360 × 240. */
  width?: number;
  height?: number;
}

/** A field reference for Vega-Lite: dots and brackets in CSV column names are not paths. */
function fieldRef(name: string): string {
  return name.replace(/([.[\]\\])/g, '\\$1');
}

/**
 * A Vega-Lite line chart: one line per value of `color` (× `strokeDash`), e.g. sparse ratio against
 * regularisation strength with one line per method, or log–log time against dimension.
 */
export function lineChart(opts: LineChartOptions): VegaLiteSpec {
  const xScale = opts.xScale ?? 'linear';
  const yScale = opts.yScale ?? 'linear';
  const transform: { filter: { field: string; gt: number } }[] = [];
  if (xScale === 'log') transform.push({ filter: { field: fieldRef(opts.x), gt: 0 } });
  if (yScale === 'log') transform.push({ filter: { field: fieldRef(opts.y), gt: 0 } });
  // Linear axes fit the data rather than always including 0; log axes never include 0.
  const scale = (type: ScaleKind) => (type === 'log' ? { type } : { type, zero: false });
  const encoding: Record<string, unknown> = {
    x: { field: fieldRef(opts.x), type: 'quantitative', title: opts.xTitle ?? opts.x, scale: scale(xScale) },
    y: { field: fieldRef(opts.y), type: 'quantitative', title: opts.yTitle ?? opts.y, scale: scale(yScale) },
  };
  if (opts.color) encoding.color = { field: fieldRef(opts.color), type: 'nominal', title: opts.color };
  if (opts.strokeDash) encoding.strokeDash = { field: fieldRef(opts.strokeDash), type: 'nominal', title: opts.strokeDash };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title,
    width: opts.width ?? 360,
    height: opts.height ?? 240,
    background: 'white',
    data: { values: opts.data.map((row) => ({ ...row })) },
    ...(transform.length > 0 ? { transform } : {}),
    mark: { type: 'line', point: opts.points ?? false },
    encoding,
  } as VegaLiteSpec;
}
