import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import AdmZip from 'adm-zip';
import Ajv from 'ajv';
import { resultsSchema } from '../core/results-schema';

// The autograder zip as Gradescope uses it, for real and as root: /autograder/{source,submission,results} laid out
// from the built zip, setup.sh run, then run_autograder for a correct notebook, a misconception, a forging submission,
// a submission that attacks the container, and a broken notebook, each results.json checked against the schema. Two
// of them run where no user namespace can be created (fixtures/gradescope/without-user-namespaces.py), so the
// fallback confinement is exercised too. Everything under /autograder is removed afterwards.

const grader = path.join(__dirname, '..', '..');
const AUTOGRADER = '/autograder';
const NO_USERNS = path.join(grader, 'fixtures', 'gradescope', 'without-user-namespaces.py');
const COURSE = 'https://course.example.edu/decaylab/';
const validate = new Ajv().compile(resultsSchema);
const asRoot = process.getuid?.() === 0;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-gradescope-'));

type Results = {
  score: number;
  max_score: number;
  output: string;
  tests: { name: string; status: string; output: string; visibility: string; extra_data?: { misconception: string } }[];
};
type Run = { stdout: string; results: Results | undefined; seconds: number; peakPssMb: number; peakRssMb: number };

/** Where the figures of this run go (grader/README.md quotes them), when asked for. */
const MEASURE_FILE = process.env.DECAYLAB_GRADESCOPE_MEASURE;
const measured: Record<string, unknown> = {};

const maybe = asRoot ? describe : describe.skip;
if (!asRoot) test.todo('the Gradescope autograder test runs only as root (it lays out /autograder)');

maybe('the Gradescope autograder, built, set up and run as Gradescope does', () => {
  beforeAll(async () => {
    if (fs.existsSync(AUTOGRADER)) throw new Error(`${AUTOGRADER} exists already; this test lays it out itself and would not touch another's`);
    const zip = path.join(work, 'autograder.zip');
    const built = spawnSync(
      process.execPath,
      [path.join(grader, 'bin', 'decaylab.js'), 'gradescope', '--assignment', 'decay', '--out', zip, '--visibility', 'after_due_date', '--course-url', COURSE],
      { encoding: 'utf8' },
    );
    if (built.status !== 0) throw new Error(`decaylab gradescope failed: ${built.stderr}`);
    for (const d of ['source', 'submission', 'results']) fs.mkdirSync(path.join(AUTOGRADER, d), { recursive: true });
    new AdmZip(zip).extractAllTo(path.join(AUTOGRADER, 'source'), true, true);
    const started = Date.now();
    const setup = spawnSync('bash', [path.join(AUTOGRADER, 'source', 'setup.sh')], {
      cwd: path.join(AUTOGRADER, 'source'),
      encoding: 'utf8',
      env: { ...process.env, npm_config_loglevel: 'error' },
    });
    measured.setupSeconds = (Date.now() - started) / 1000;
    if (setup.status !== 0) throw new Error(`setup.sh failed (${setup.status}):\n${setup.stdout}\n${setup.stderr}`);
    const again = Date.now();
    const second = spawnSync('bash', [path.join(AUTOGRADER, 'source', 'setup.sh')], { encoding: 'utf8' });
    measured.setupAgainSeconds = (Date.now() - again) / 1000;
    if (second.status !== 0 || /npm ci/.test(second.stdout)) throw new Error(`setup.sh is not idempotent:\n${second.stdout}\n${second.stderr}`);
  }, 900_000);

  afterAll(() => {
    fs.rmSync(AUTOGRADER, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
    if (MEASURE_FILE) fs.writeFileSync(MEASURE_FILE, `${JSON.stringify(measured, null, 2)}\n`);
  });

  test('the zip has setup.sh and run_autograder at its root, executable', () => {
    for (const s of ['setup.sh', 'run_autograder']) expect(fs.statSync(path.join(AUTOGRADER, 'source', s)).mode & 0o111).toBe(0o111);
    expect(fs.existsSync(path.join(AUTOGRADER, 'source', 'node_modules', '@tensorflow', 'tfjs-node'))).toBe(true);
  });

  test('a correct notebook gets full marks, every test shown after the due date', async () => {
    const r = await runAutograder('correct', { 'l2-vs-decay.ipynb': path.join(grader, 'examples', 'submissions', 'bruno.ipynb') });
    expect(r.results!.score).toBe(42);
    expect(new Set(r.results!.tests.map((t) => t.visibility))).toEqual(new Set(['after_due_date']));
    expect(r.stdout).toMatch(/^submission 123456 of 2026-12-01T09:00:00Z by student@example\.edu \(1 earlier\)$/m);
    expect(r.stdout).toMatch(/^sandbox: bubblewrap /m);
  }, 300_000);

  test('a misconception is named in its tests, as a typed field, with a link to the section of the course site', async () => {
    const r = await runAutograder('misconception', { 'submission.ts': path.join(grader, 'examples', 'submissions', 'chen.ts') });
    const decoupled = r.results!.tests.find((t) => t.name.startsWith('adamWStep.decoupled:'))!;
    expect(decoupled.status).toBe('failed');
    expect(decoupled.extra_data).toEqual({ misconception: 'adamWStep.l2-in-gradient' });
    expect(decoupled.output).toContain(`${COURSE}02-l2-vs-decay.html#4-adam-where-the-equivalence-breaks`);
    expect(r.results!.score).toBeLessThan(42);
  }, 300_000);

  test('without user namespaces a forging submission earns nothing it does not compute, and the output says which sandbox holds', async () => {
    const r = await runAutograder('forger', { 'forger.ts': path.join(grader, 'fixtures', 'hostile', 'forger.ts') }, { userNamespaces: false });
    expect(r.stdout).toMatch(/^sandbox: no user namespaces here \(.+\); each sandbox runs as a uid of its own .*own empty network namespace/m);
    const failed = r.results!.tests.filter((t) => t.status === 'failed').map((t) => t.name.split(':')[0]);
    for (const id of ['l2Penalty.random', 'sgdL2Step.random', 'sgdDecayStep.random', 'adamWStep.firstStep', 'adamL2Step.firstStep'])
      expect(failed).toContain(id);
  }, 300_000);

  test('without user namespaces the student cannot read the hidden tests or the reference, touch results or reach the network', async () => {
    let connections = 0;
    const server = net.createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const peek = path.join(work, 'peek.ts');
    fs.writeFileSync(
      peek,
      fs.readFileSync(path.join(grader, 'fixtures', 'gradescope', 'peek.ts'), 'utf8').replace('const LISTENER_PORT = 47124;', `const LISTENER_PORT = ${port};`),
    );
    try {
      const r = await runAutograder('peek', { 'peek.ts': peek }, { userNamespaces: false });
      expect(r.results!.score).toBe(42);
      expect(connections).toBe(0);
      expect(fs.readdirSync(path.join(AUTOGRADER, 'results'))).toEqual(['results.json']);
    } finally {
      server.close();
    }
  }, 300_000);

  test('a broken notebook scores 0 with a message naming the file and the problem', async () => {
    const r = await runAutograder('broken', { 'l2-vs-decay.ipynb': path.join(grader, 'examples', 'submissions', 'hana.ipynb') }, { userNamespaces: false });
    expect(r.results!.score).toBe(0);
    expect(r.results!.output).toMatch(/l2-vs-decay\.ipynb is not a valid notebook: it is not valid JSON/);
  }, 300_000);
});

/** Lays out /autograder/submission and the metadata, runs run_autograder as Gradescope does, and samples its memory. */
async function runAutograder(name: string, files: Record<string, string>, o: { userNamespaces: boolean } = { userNamespaces: true }): Promise<Run> {
  const submission = path.join(AUTOGRADER, 'submission');
  fs.rmSync(submission, { recursive: true, force: true });
  fs.mkdirSync(submission);
  for (const [to, from] of Object.entries(files)) fs.copyFileSync(from, path.join(submission, to));
  const metadata = {
    id: 123456,
    created_at: '2026-12-01T09:00:00Z',
    users: [{ email: 'student@example.edu', name: 'A Student', id: 1 }],
    previous_submissions: [{ score: 0 }],
  };
  fs.writeFileSync(path.join(AUTOGRADER, 'submission_metadata.json'), JSON.stringify(metadata));
  const script = path.join(AUTOGRADER, 'source', 'run_autograder');
  const argv = o.userNamespaces ? [script] : ['python3', NO_USERNS, script];
  const started = Date.now();
  const child = spawn(argv[0], argv.slice(1), { cwd: AUTOGRADER, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stdout += b.toString()));
  const peak = { pss: 0, rss: 0 };
  const sampler = setInterval(() => {
    const m = treeMemory(child.pid!);
    peak.pss = Math.max(peak.pss, m.pss);
    peak.rss = Math.max(peak.rss, m.rss);
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  const seconds = (Date.now() - started) / 1000;
  expect(code).toBe(0);
  const file = path.join(AUTOGRADER, 'results', 'results.json');
  const results = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Results) : undefined;
  if (!results) throw new Error(`run_autograder wrote no results.json:\n${stdout}`);
  expect(validate(results)).toBe(true);
  const run = { stdout, results, seconds, peakPssMb: Math.round(peak.pss / 1024), peakRssMb: Math.round(peak.rss / 1024) };
  measured[name] = { seconds: run.seconds, peakPssMb: run.peakPssMb, peakRssMb: run.peakRssMb, userNamespaces: o.userNamespaces };
  return run;
}

/** Summed Pss and Rss (KiB) of a process and all its descendants: what the container's memory limit is charged with. */
function treeMemory(root: number): { pss: number; rss: number } {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // ended meanwhile
    }
  }
  const total = { pss: 0, rss: 0 };
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    stack.push(...(children.get(pid) ?? []));
    try {
      const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      total.pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      total.rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // ended meanwhile, or a kernel thread
    }
  }
  return total;
}
