import * as vega from 'vega';
import * as vl from 'vega-lite';
import { showSvg } from './display';
import { recordFigureData } from './record';

export type Row = Record<string, number | string | boolean>;

export interface Axis {
  field: string;
  title?: string;
  log?: boolean;
  /** Fixed [min, max] of the axis instead of the data's range. */
  domain?: [number, number];
}

export interface Rule {
  /** A horizontal line at this y value, or a vertical one at this x value. */
  y?: number;
  x?: number;
  label: string;
}

export interface Chart {
  /** Names the figure's data file for the tests (see record.ts): lower-case letters, digits and '-'. */
  id: string;
  title: string;
  rows: Row[];
  mark: 'line' | 'point' | 'rect' | 'bar';
  x: Axis;
  y: Axis;
  /** Field that splits rows into coloured series (line, point) or gives the cell colour (rect). */
  color?: { field: string; title?: string; log?: boolean };
  /** Field giving the drawing order of a line (for closed curves such as unit balls). */
  order?: string;
  /** Small multiples: one panel per value of this field. */
  column?: string;
  /** Reference lines across the plot, e.g. a predicted value or a threshold; each labelled in the plot. */
  rules?: Rule[];
  /** Black ticks at each row's value of this field, drawn over bars or points (e.g. the true weights). */
  overlay?: { field: string; title?: string };
  /** On a heatmap, rows whose value of this field is true get a black outline (e.g. the best cell of each row). */
  outline?: string;
  width?: number;
  height?: number;
}

/** Renders a chart to SVG on the server (vega's headless View) and shows it; its rows are recorded for the tests. */
export async function plot(chart: Chart): Promise<void> {
  recordFigureData(chart.id, { title: chart.title, rows: chart.rows });
  const view = new vega.View(vega.parse(vl.compile(toVegaLite(chart)).spec), { renderer: 'none' });
  try {
    showSvg(await view.toSVG(), chart.title);
  } finally {
    view.finalize();
  }
}

/** Strings are categories; numbers are quantities, except on a heatmap ('rect'), whose cells are categories. */
function fieldType(c: Chart, field: string): 'quantitative' | 'ordinal' | 'nominal' {
  if (c.rows.some((r) => typeof r[field] === 'string')) return 'nominal';
  return c.mark === 'rect' ? 'ordinal' : 'quantitative';
}

function toVegaLite(c: Chart): vl.TopLevelSpec {
  const axis = (a: Axis) => {
    const type = fieldType(c, a.field);
    const fixed = a.domain ? { domain: a.domain, nice: false } : {};
    const scale = a.log ? { type: 'log' as const, ...fixed } : { type: 'linear' as const, zero: false, ...fixed };
    return { field: a.field, title: a.title ?? a.field, type, ...(type === 'quantitative' ? { scale } : {}) };
  };
  const rect = c.mark === 'rect';
  const color = c.color && {
    field: c.color.field,
    title: c.color.title ?? c.color.field,
    type: rect ? ('quantitative' as const) : ('nominal' as const),
    ...(rect && c.color.log ? { scale: { type: 'log' as const } } : {}),
    // Long series names ("p = 0.5 (not a norm)") would otherwise be cut at vega's default 160 px.
    legend: { labelLimit: 400 },
  };
  const encoding = {
    x: axis(c.x),
    y: axis(c.y),
    ...(color ? { color } : {}),
    ...(c.order ? { order: { field: c.order, type: 'quantitative' as const } } : {}),
  };
  const mark = c.mark === 'line' ? { type: 'line' as const, point: c.rows.length <= 60 } : { type: c.mark };
  const size = { width: c.width ?? 360, height: c.height ?? 240 };
  const text =
    rect && c.color
      ? [
          {
            mark: { type: 'text' as const, fontSize: 10 },
            encoding: { x: encoding.x, y: encoding.y, text: { field: c.color.field, type: 'quantitative' as const, format: '.3g' } },
          },
        ]
      : [];
  const outline =
    rect && c.outline
      ? [
          {
            transform: [{ filter: `datum['${c.outline}']` }],
            mark: { type: 'rect' as const, fill: null, stroke: 'black', strokeWidth: 2.5 },
            encoding: { x: encoding.x, y: encoding.y },
          },
        ]
      : [];
  const overlay = c.overlay
    ? [
        {
          mark: { type: 'tick' as const, orient: 'horizontal' as const, color: 'black', thickness: 2, size: 8 },
          encoding: { x: encoding.x, y: { ...encoding.y, field: c.overlay.field, title: c.overlay.title ?? c.overlay.field } },
        },
      ]
    : [];
  const rules = (c.rules ?? []).flatMap((r) => {
    const at = r.y !== undefined ? { y: { datum: r.y } } : { x: { datum: r.x } };
    return [
      { mark: { type: 'rule' as const, strokeDash: [5, 4], color: 'gray' }, encoding: at },
      {
        mark: { type: 'text' as const, align: 'left' as const, baseline: 'bottom' as const, dx: 3, dy: -2, fontSize: 10, color: 'gray' },
        encoding: { ...at, text: { value: r.label } },
      },
    ];
  });
  const layered = { layer: [{ mark, encoding }, ...text, ...outline, ...overlay, ...rules] };
  // vega tags the objects it is given with a symbol; copies keep the caller's rows untouched.
  const values = c.rows.map((r) => ({ ...r }));
  if (!c.column) return { data: { values }, title: c.title, ...size, ...layered } as vl.TopLevelSpec;
  // Panels keep their own categories on x (e.g. different decay values per method) but share quantitative axes.
  const ownX = encoding.x.type !== 'quantitative';
  return {
    data: { values },
    title: c.title,
    facet: { column: { field: c.column, type: 'nominal' } },
    spec: { ...size, ...layered },
    ...(ownX ? { resolve: { scale: { x: 'independent' } } } : {}),
  } as vl.TopLevelSpec;
}
