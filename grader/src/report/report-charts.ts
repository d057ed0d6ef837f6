import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { ClassReport } from './class-report';

// The class report's figures as vega-lite specs, rendered to SVG here (vega's headless view), so the page needs no
// script and no network to show them.

export type RenderedChart = { id: string; title: string; svg: string };

type Spec = vl.TopLevelSpec;

const WIDTH = 560;
const FONT = { font: 'system-ui, sans-serif', labelFont: 'system-ui, sans-serif', titleFont: 'system-ui, sans-serif' };

function chartSpecs(r: ClassReport): { id: string; title: string; spec: Spec }[] {
  const bar = (n: number) => Math.max(60, 18 * n);
  const specs: { id: string; title: string; spec: Spec }[] = [
    {
      id: 'scores',
      title: 'Score distribution',
      spec: {
        width: WIDTH,
        height: 180,
        data: { values: r.scores.perStudent },
        mark: { type: 'bar', color: '#4c78a8' },
        encoding: {
          x: {
            field: 'score',
            type: 'quantitative',
            bin: { extent: [0, r.assignment.maxScore + 1], step: Math.max(1, Math.ceil(r.assignment.maxScore / 14)) },
            title: `score (of ${r.assignment.maxScore})`,
          },
          y: { aggregate: 'count', type: 'quantitative', title: 'students', axis: { tickMinStep: 1, format: 'd' } },
        },
      },
    },
    {
      id: 'pass-rates',
      title: 'Pass rate of every test',
      spec: {
        width: WIDTH - 240,
        height: bar(r.tests.length),
        data: { values: r.tests },
        mark: { type: 'bar', color: '#54a24b' },
        encoding: {
          y: { field: 'id', type: 'nominal', sort: null, title: null, axis: { labelLimit: 240 } },
          x: { field: 'passRate', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '%' }, title: 'students who passed' },
        },
      },
    },
  ];
  if (r.misconceptions.length > 0) {
    specs.push({
      id: 'misconceptions',
      title: 'Misconceptions found',
      spec: {
        width: WIDTH - 280,
        height: bar(r.misconceptions.length),
        data: { values: r.misconceptions.map((m) => ({ id: m.id, students: m.students.length })) },
        mark: { type: 'bar', color: '#e45756' },
        encoding: {
          y: { field: 'id', type: 'nominal', sort: null, title: null, axis: { labelLimit: 280 } },
          x: {
            field: 'students',
            type: 'quantitative',
            scale: { domain: [0, Math.max(...r.misconceptions.map((m) => m.students.length), 2)] },
            axis: { tickMinStep: 1, format: 'd' },
            title: 'students',
          },
        },
      },
    });
  }
  if (r.timing.perStudent.length > 0) {
    specs.push({
      id: 'timing',
      title: 'Grading time per student',
      spec: {
        width: WIDTH,
        height: 90,
        data: { values: r.timing.perStudent.map((t) => ({ ...t, kind: t.outlier ? 'outlier' : 'usual' })) },
        layer: [
          {
            mark: { type: 'tick', thickness: 2, size: 28 },
            encoding: {
              x: { field: 'seconds', type: 'quantitative', title: 'seconds in the hidden tests' },
              color: { field: 'kind', type: 'nominal', scale: { domain: ['usual', 'outlier'], range: ['#4c78a8', '#e45756'] }, title: null },
            },
          },
          { mark: { type: 'rule', strokeDash: [4, 3], color: '#888' }, encoding: { x: { datum: r.timing.thresholdSeconds, type: 'quantitative' } } },
        ],
      },
    });
  }
  return specs;
}

export async function renderCharts(r: ClassReport): Promise<RenderedChart[]> {
  const out: RenderedChart[] = [];
  for (const c of chartSpecs(r)) {
    const spec = { ...c.spec, config: { ...FONT, view: { stroke: null } } } as Spec;
    const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
    try {
      out.push({ id: c.id, title: c.title, svg: await view.toSVG() });
    } finally {
      view.finalize();
    }
  }
  return out;
}
