import type { ClassReport } from './class-report';
import type { RenderedChart } from './report-charts';

// report.html: one self-contained page (styles inline, charts as inline SVG, the report's data embedded as JSON, a
// content security policy that forbids every fetch), so a TA can open it from disk or mail it. Student ids and
// messages are untrusted text and are escaped.

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.summary { color: #555; } figure { margin: 1rem 0; } figure svg { display: block; max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; } th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eee; vertical-align: top; }
th { background: #f6f6f6; } td.num { text-align: right; font-variant-numeric: tabular-nums; } code { font-size: .9em; }
pre { white-space: pre-wrap; margin: 0; font-size: .85em; } .none { color: #777; font-style: italic; }
`;

/** The page's content security policy: no fetch of any kind, inline styles and data: images only. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function reportHtml(r: ClassReport, charts: RenderedChart[]): string {
  const chart = (id: string) => {
    const c = charts.find((x) => x.id === id);
    return c ? `<figure class="chart" data-chart="${esc(c.id)}" aria-label="${esc(c.title)}">${c.svg}</figure>` : '';
  };
  const a = r.assignment;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(a.id)}: class report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(a.title)}</h1>
<p class="summary">Assignment <code>${esc(a.id)}</code>: ${r.students} submissions, mean score ${r.scores.mean} of ${a.maxScore}, median
${r.scores.median}, range ${r.scores.min}–${r.scores.max}.</p>

<h2>Score distribution</h2>
${chart('scores')}

<h2>Misconceptions found in the class</h2>
${misconceptions(r)}
${chart('misconceptions')}

<h2>Pass rate of every test</h2>
${chart('pass-rates')}
<table id="tests"><thead><tr><th>test</th><th>what it checks</th><th>points</th><th>passed</th><th>failed</th></tr></thead><tbody>
${r.tests.map((t) => `<tr data-test="${esc(t.id)}"><td><code>${esc(t.id)}</code></td><td>${esc(t.name)}</td><td class="num">${t.points}</td><td class="num">${t.passed}</td><td class="num">${t.failed}</td></tr>`).join('\n')}
</tbody></table>

<h2>Submissions that did not run</h2>
${notRun(r)}

<h2>Timing</h2>
<p>Median ${r.timing.medianSeconds} s in the hidden tests per student; outliers take more than ${r.timing.thresholdSeconds} s (the larger of
Q3 + 1.5 IQR and twice the median).</p>
${chart('timing')}
${outliers(r)}

<script type="application/json" id="report-data">${JSON.stringify(r).replace(/</g, '\\u003c')}</script>
</body>
</html>
`;
}

function misconceptions(r: ClassReport): string {
  if (r.misconceptions.length === 0) return '<p class="none">No failed test matched a catalogued misconception.</p>';
  const rows = r.misconceptions.map(
    (m) =>
      `<tr data-misconception="${esc(m.id)}" data-students="${m.students.length}"><td><code>${esc(m.id)}</code></td><td class="num">${m.students.length}</td>` +
      `<td>${esc(m.says)}</td><td><a href="${esc(m.section.href)}">${esc(m.section.title)}</a></td>` +
      `<td>${m.students.map(esc).join(', ')}</td><td>${m.tests.map((t) => `<code>${esc(t.id)}</code>`).join(', ')}</td></tr>`,
  );
  return `<table id="misconceptions"><thead><tr><th>misconception</th><th>students</th><th>what the feedback tells them</th><th>explained in</th><th>who</th><th>tests it fails</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

function notRun(r: ClassReport): string {
  if (r.notRun.length === 0) return '<p class="none">Every submission compiled and loaded.</p>';
  const rows = r.notRun.map(
    (n) => `<tr data-student="${esc(n.student)}"><td>${esc(n.student)}</td><td>${esc(n.status)}</td><td><pre>${esc(n.reason)}</pre></td></tr>`,
  );
  return `<table id="not-run"><thead><tr><th>student</th><th>status</th><th>why</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function outliers(r: ClassReport): string {
  const slow = r.timing.perStudent.filter((t) => t.outlier);
  if (slow.length === 0) return '<p class="none">No timing outliers.</p>';
  return `<table id="timing-outliers"><thead><tr><th>student</th><th>seconds</th></tr></thead><tbody>\n${slow
    .map((t) => `<tr><td>${esc(t.student)}</td><td class="num">${t.seconds}</td></tr>`)
    .join('\n')}\n</tbody></table>`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
