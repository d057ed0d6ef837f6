import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import puppeteer, { type Browser } from 'puppeteer-core';

// The example class's report.html in a real headless Chromium (Debian's, driven by puppeteer-core; nothing downloads
// a browser): every chart drawn with a size, no console error, no request leaving the page, and the misconception
// counts it shows equal to the gradebook's.

const grader = path.join(__dirname, '..', '..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-report-'));
const CHROMIUM = process.env.DECAYLAB_CHROMIUM ?? '/usr/bin/chromium';

let browser: Browser;

beforeAll(async () => {
  const r = spawnSync(
    process.execPath,
    [
      path.join(grader, 'bin', 'decaylab.js'),
      'grade-batch',
      path.join(grader, 'examples', 'submissions'),
      '--assignment',
      'decay',
      '--out',
      out,
      '--test-timeout',
      '5',
    ],
    { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } },
  );
  if (r.status !== 0) throw new Error(`grade-batch failed (${r.status}): ${r.stderr}`);
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  fs.rmSync(out, { recursive: true, force: true });
});

/** Per misconception id, the number of gradebook rows that list it. */
function gradebookCounts(): Record<string, number> {
  const rows = parse(fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  const counts: Record<string, number> = {};
  for (const row of rows) for (const id of row.misconceptions.split(' ').filter(Boolean)) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

test('report.html renders every chart, logs no error, fetches nothing, and counts misconceptions as the gradebook does', async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${(e as Error).message}`));
  page.on('request', (req) => requests.push(req.url()));
  const file = path.join(out, 'report.html');
  await page.setViewport({ width: 1100, height: 900 });
  await page.goto(`file://${file}`, { waitUntil: 'load' });

  const charts = await page.$$eval('figure.chart', (figs) =>
    figs.map((f) => {
      const svg = f.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return {
        id: f.getAttribute('data-chart'),
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        marks: svg?.querySelectorAll('path, line, rect').length ?? 0,
      };
    }),
  );
  expect(charts.map((c) => c.id)).toEqual(['scores', 'misconceptions', 'pass-rates', 'timing']);
  for (const c of charts) {
    expect(c.width).toBeGreaterThan(100);
    expect(c.height).toBeGreaterThan(40);
    expect(c.marks).toBeGreaterThan(3);
  }

  const shown = await page.$$eval('tr[data-misconception]', (rows) =>
    Object.fromEntries(rows.map((r) => [r.getAttribute('data-misconception'), Number(r.getAttribute('data-students'))])),
  );
  const expected = gradebookCounts();
  expect(Object.keys(expected).length).toBeGreaterThan(3);
  expect(shown).toEqual(expected);
  expect(shown['adamWStep.l2-in-gradient']).toBeGreaterThanOrEqual(1);

  const notRun = await page.$$eval('#not-run tr[data-student]', (rows) => rows.map((r) => r.getAttribute('data-student')));
  expect(notRun).toEqual(['gus', 'hana']);
  const embedded = await page.$eval('#report-data', (s) => JSON.parse(s.textContent ?? 'null'));
  expect(embedded).toEqual(JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')));

  if (process.env.DECAYLAB_REPORT_SCREENSHOT) await page.screenshot({ path: process.env.DECAYLAB_REPORT_SCREENSHOT, fullPage: true });
  expect(problems).toEqual([]);
  expect(requests).toEqual([`file://${file}`]);
  await page.close();
}, 60_000);

test('every student gets a feedback file that names their misconceptions with the section to reread', () => {
  const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as {
    misconceptions: { id: string; students: string[]; section: { href: string } }[];
  };
  expect(fs.readdirSync(path.join(out, 'feedback')).sort()).toEqual(['alice', 'bruno', 'chen', 'dana', 'emil', 'farah', 'gus', 'hana'].map((s) => `${s}.md`));
  for (const m of report.misconceptions) {
    for (const student of m.students) {
      const md = fs.readFileSync(path.join(out, 'feedback', `${student}.md`), 'utf8');
      expect(md).toContain(m.section.href);
    }
  }
  expect(fs.readFileSync(path.join(out, 'feedback', 'alice.md'), 'utf8')).not.toContain('What to revisit');
});
