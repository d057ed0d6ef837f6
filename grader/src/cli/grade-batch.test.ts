import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { decay } from '../assignments/decay';
import { doubleDescent } from '../assignments/double-descent';
import { norms } from '../assignments/norms';
import type { Assignment } from '../core/assignment';
import { resultsSchema } from '../core/results-schema';

// End-to-end: the real `decaylab` launcher, real sandboxes, real Jest, on the example class and on one real
// submission file per misconception and per hostile behaviour.

const grader = path.join(__dirname, '..', '..');
const bin = path.join(grader, 'bin', 'decaylab.js');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-e2e-'));
const validate = new Ajv().compile(resultsSchema);
const FAST = ['--test-timeout', '2', '--submission-timeout', '60', '--memory', '1024'];

type Results = {
  score: number;
  max_score: number;
  output: string;
  extra_data?: { student?: string };
  tests: { name: string; status: string; output: string; score: number; extra_data?: { misconception: string } }[];
};

// A hung grader fails its test at this limit instead of holding Jest open.
const RUN_LIMIT_MS = 300_000;

function decaylab(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, timeout: RUN_LIMIT_MS });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Results by student id (the id inside each file: a file's name is only a safe form of it). */
function gradeFolderWithOutput(folder: string, name: string, assignment = 'decay'): { results: Map<string, Results>; stdout: string } {
  const dest = path.join(out, name);
  const r = decaylab('grade-batch', folder, '--assignment', assignment, '--out', dest, ...FAST);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(0);
  const results = new Map<string, Results>();
  for (const f of fs.readdirSync(dest).filter((x) => x.endsWith('.json') && x !== 'report.json')) {
    const json = JSON.parse(fs.readFileSync(path.join(dest, f), 'utf8')) as Results;
    expect(validate(json)).toBe(true);
    results.set(json.extra_data?.student ?? f.replace(/\.json$/, ''), json);
  }
  return { results, stdout: r.stdout };
}

const gradeFolder = (folder: string, name: string, assignment = 'decay') => gradeFolderWithOutput(folder, name, assignment).results;

/** Failed tests by id; results.json lists the tests in the assignment's order. */
const failed = (r: Results, a: Assignment = decay) => new Map(r.tests.flatMap((t, i) => (t.status === 'failed' ? [[a.tests[i].id, t.output]] : [])));
const passedById = (r: Results) => r.tests.map((t, i) => `${decay.tests[i].id}:${t.status}`);
// The resume manifest (a dotfile) holds hashes of the results files, times included: it is not compared.
const withoutTimes = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => !f.startsWith('.') && (f.endsWith('.json') || f.endsWith('.csv')) && f !== 'report.json')
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8').replace(/"execution_time": [0-9.e-]+/g, ''));

afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('the example class', () => {
  let first: Map<string, Results>;
  beforeAll(() => {
    first = gradeFolder(path.join(grader, 'examples', 'submissions'), 'run1');
  }, 180_000);

  test('every student gets a results file and a gradebook row; the correct .ts and notebook get full marks', () => {
    expect([...first.keys()].sort()).toEqual(['alice', 'bruno', 'chen', 'dana', 'emil', 'farah', 'gus', 'hana']);
    for (const id of ['alice', 'bruno']) expect(first.get(id)!.score).toBe(first.get(id)!.max_score);
    for (const id of ['chen', 'dana', 'emil', 'farah']) expect(first.get(id)!.score).toBeLessThan(first.get(id)!.max_score);
    const csv = fs
      .readFileSync(path.join(out, 'run1', 'gradebook.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toMatch(/^student,score,max_score,status,l2Penalty\.random,/);
    expect(csv).toContain(`gus,0,${first.get('gus')!.max_score},compile-error,${Array(first.get('gus')!.tests.length).fill(0).join(',')},`);
    expect(csv.find((l) => l.startsWith('hana,'))).toMatch(/^hana,0,\d+,invalid,/);
  });

  test('a compile error and a malformed notebook score 0 with a message that says why', () => {
    expect(first.get('gus')!.output).toMatch(/gus\.ts does not compile:\nline 25, column 11: Property assignment expected/);
    expect(first.get('hana')!.output).toMatch(/hana\.ipynb is not a valid notebook: it is not valid JSON/);
  });

  test('the unisolated in-process mode (the benchmark baseline) gives the same outcome for every test', () => {
    for (const id of ['alice', 'chen', 'emil']) {
      const entry = ['alice', 'chen'].includes(id) ? `${id}.ts` : id;
      const report = path.join(out, `inproc-${id}.json`);
      spawnSync(
        process.execPath,
        [
          require.resolve('jest/bin/jest'),
          '-c',
          path.join(grader, 'jest.hidden.config.js'),
          '--ci',
          '--silent',
          '--json',
          '--outputFile',
          report,
          path.join(grader, 'src', 'assignments', 'decay'),
        ],
        {
          env: { ...process.env, DECAYLAB_SUBMISSION: path.join(grader, 'examples', 'submissions', entry), TF_CPP_MIN_LOG_LEVEL: '2' },
          timeout: RUN_LIMIT_MS,
        },
      );
      const inProcess = JSON.parse(fs.readFileSync(report, 'utf8')).testResults[0].assertionResults.map(
        (a: { title: string; status: string }) => `${a.title}:${a.status}`,
      );
      const sandboxed = passedById(first.get(id)!);
      expect(inProcess).toEqual(sandboxed);
    }
  }, 120_000);

  test('grading the same class twice gives identical results', () => {
    gradeFolder(path.join(grader, 'examples', 'submissions'), 'run2');
    expect(withoutTimes(path.join(out, 'run2'))).toEqual(withoutTimes(path.join(out, 'run1')));
  }, 180_000);
});

describe('misconceptions: each real wrong submission fails its own test, and the feedback names it', () => {
  const expected: Record<string, [string, RegExp]> = {
    'adamw-l2-in-gradient': ['adamWStep.decoupled', /equals Adam with L2 added to the gradient/],
    'adamw-decay-without-lr': ['adamWStep.decayTimesLr', /by \(1 - weightDecay\) instead of \(1 - lr \* weightDecay\)/],
    'sgd-decay-without-lr': ['sgdDecayStep.decayTimesLr', /by \(1 - weightDecay\) instead of \(1 - lr \* weightDecay\)/],
    'no-bias-correction': ['adamWStep.biasCorrection', /skips the bias correction/],
    'sgd-wrong-sign': ['sgdL2Step.descends', /along the gradient/],
    'penalty-missing-half': ['l2Penalty.half', /without the factor 1\/2/],
    'penalty-l1': ['l2Penalty.squaredL2', /L1/],
    'step-counter-not-advanced': ['adam.stepCounter', /returned state\.t = 0 after a step from t = 0/],
    'leaks-tensors': ['contract.noLeaks', /l2Penalty left \d+ tensor\(s\) allocated/],
    'disposes-inputs': ['contract.inputsKept', /sgdL2Step disposed its input grads\[0\]/],
    'mutates-state': ['contract.inputsUnchanged', /modified its arguments in place/],
    'mutates-grads-array': ['contract.inputsUnchanged', /sgdL2Step modified its arguments in place/],
    'flattens-outputs': ['contract.shapes', /sgdDecayStep\[0\] has shape \[1\] but params\[0\] has shape \[\]/],
    'async-results': ['contract.synchronous', /l2Penalty returned a Promise/],
    'eps-inside-sqrt': ['adamWStep.epsOutsideSqrt', /adds eps inside the square root/],
    'adam-l2-decoupled': ['adamL2Step.l2InMoments', /your adamL2Step equals AdamW/],
  };
  let results: Map<string, Results>;
  beforeAll(() => {
    results = gradeFolder(path.join(grader, 'fixtures', 'misconceptions'), 'misconceptions');
  }, 180_000);

  test.each(Object.entries(expected))('%s', (name, [testId, message]) => {
    const f = failed(results.get(name)!);
    expect(f.has(testId)).toBe(true);
    expect(f.get(testId)).toMatch(message);
  });

  test('there is a fixture for every expectation and an expectation for every fixture', () => {
    expect([...results.keys()].sort()).toEqual(Object.keys(expected).sort());
  });

  /** The catalogue id each wrong formula's own test carries in results.json (contract fixtures name none). */
  const catalogued: Record<string, string> = {
    'adamw-l2-in-gradient': 'adamWStep.l2-in-gradient',
    'adamw-decay-without-lr': 'adamWStep.decay-without-lr',
    'sgd-decay-without-lr': 'sgdDecayStep.decay-without-lr',
    'no-bias-correction': 'adamWStep.no-bias-correction',
    'sgd-wrong-sign': 'sgdL2Step.wrong-sign',
    'penalty-missing-half': 'l2Penalty.missing-half',
    'penalty-l1': 'l2Penalty.half-l1',
    'eps-inside-sqrt': 'adamWStep.eps-inside-sqrt',
    'adam-l2-decoupled': 'adamL2Step.decoupled-instead',
  };
  test.each(Object.entries(catalogued))('%s carries misconception %s as a typed field, and the feedback links its section', (name, id) => {
    const t = results.get(name)!.tests.find((x) => x.name.startsWith(`${expected[name][0]}:`))!;
    expect(t.extra_data).toEqual({ misconception: id });
    expect(t.output).toMatch(/\nThe course explains this in chapter \d, ".+": 0\d-[a-z0-9-]+\.html#[a-z0-9-]+$/);
  });
  test('a failure that matches no catalogued formula carries no misconception', () => {
    for (const name of ['leaks-tensors', 'async-results', 'flattens-outputs']) expect(results.get(name)!.tests.some((t) => t.extra_data)).toBe(false);
  });
});

/** Fixtures whose attack is their file name: copied into the class under that name (too awkward to keep in git). */
const HOSTILE_NAMES: Record<string, string> = {
  'long-name': 'l'.repeat(252),
  'csv-formula': "=2+5+cmd|' -C calc'!A0",
  'bidi-name': 'c17-\u202Eecila-ltr',
};

describe('hostile submissions are contained, and the rest of the batch is graded as if they were not there', () => {
  let results: Map<string, Results>;
  let gradebook: string;
  let batchStdout: string;
  let connections = 0;
  const sleepSeconds = `600.${process.pid}`;
  const pwned = ['/decaylab-pwned', '/usr/decaylab-pwned', path.join(grader, '..', 'decaylab-pwned')];
  beforeAll(async () => {
    const server = net.createServer((s) => {
      connections++;
      s.destroy();
    });
    // An ephemeral port: a fixed one collides with any other run of this suite on the machine.
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-hostile-'));
    // Symbolic links are copied as links: two fixtures are nothing else.
    fs.cpSync(path.join(grader, 'fixtures', 'hostile'), folder, { recursive: true, verbatimSymlinks: true });
    for (const [fixture, name] of Object.entries(HOSTILE_NAMES)) fs.renameSync(path.join(folder, `${fixture}.ts`), path.join(folder, `${name}.ts`));
    // Constants unique to this run: other runs of this suite on a shared machine neither collide nor get counted.
    const personalize = (file: string, declaration: string, value: string) => {
      const target = path.join(folder, file);
      const text = fs.readFileSync(target, 'utf8');
      if (!text.includes(declaration)) throw new Error(`fixtures/hostile/${file} no longer has "${declaration}"`);
      fs.writeFileSync(target, text.replace(declaration, declaration.replace(/= .*;$/, `= ${value};`)));
    };
    personalize('snoop.ts', 'const LISTENER_PORT = 47123;', String(port));
    personalize('fork-bomb.ts', "const SLEEP_SECONDS = '600';", `'${sleepSeconds}'`);
    fs.copyFileSync(path.join(grader, 'examples', 'submissions', 'alice.ts'), path.join(folder, 'alice.ts'));
    try {
      // Jest's hook timer must be armed before the blocking run; an expectation failing inside it rejects the hook.
      ({ results, stdout: batchStdout } = await new Promise<ReturnType<typeof gradeFolderWithOutput>>((resolve, reject) =>
        setImmediate(() => {
          try {
            resolve(gradeFolderWithOutput(folder, 'hostile'));
          } catch (e) {
            reject(e);
          }
        }),
      ));
      gradebook = fs.readFileSync(path.join(out, 'hostile', 'gradebook.csv'), 'utf8');
    } finally {
      // Also when grading fails: a listener left open would keep Jest from exiting.
      server.close();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }, 240_000);

  const full = (id: string) => expect(results.get(id)!.score).toBe(results.get(id)!.max_score);
  const adamWOnly = (id: string, reason: RegExp) => {
    const f = failed(results.get(id)!);
    expect([...f.keys()].every((t) => t.startsWith('adamWStep.') || t === 'adam.stepCounter' || t.startsWith('contract.'))).toBe(true);
    expect(f.get('adamWStep.firstStep')).toMatch(reason);
    expect(results.get(id)!.score).toBeGreaterThan(0);
  };

  test('an honest student in the same batch gets full marks', () => full('alice'));
  test('an infinite loop costs only the looping function (time limit)', () => adamWOnly('infinite-loop', /did not return within 2\.0 s/));
  test('a crash in one function costs only that function', () => adamWOnly('crash-in-call', /killed by SIGABRT|exited with code 134/));
  // With 2 s per call and both shares' workers competing for the machine, the hog may reach the time limit first;
  // the memory limit itself is tested on its own below, with room to reach it.
  test('a memory hog costs only the hoarding function', () => adamWOnly('memory-hog', /more than 1024 MB of memory|memory limit|did not return within 2\.0 s/));
  test('a memory hog is stopped at the memory limit', () => {
    const file = path.join(out, 'memory-hog.json');
    const r = decaylab(
      'grade',
      path.join(grader, 'fixtures', 'hostile', 'memory-hog.ts'),
      '--assignment',
      'decay',
      '--out',
      file,
      '--test-timeout',
      '20',
      '--memory',
      '1024',
    );
    expect(r.code).toBe(0);
    const f = failed(JSON.parse(fs.readFileSync(file, 'utf8')) as Results);
    expect(f.get('adamWStep.firstStep')).toMatch(/more than 1024 MB of memory/);
  }, 120_000);
  test('process.exit in one function costs only that function', () => {
    const f = failed(results.get('exit-in-call')!);
    expect(f.get('l2Penalty.random')).toMatch(/exited with code 3/);
    expect(f.has('adamWStep.trajectory')).toBe(false);
  });
  test('process.exit at load, a hang at load: score 0 with a clear message', () => {
    expect(results.get('exit-on-load')!.score).toBe(0);
    expect(results.get('exit-on-load')!.output).toMatch(/could not be loaded: the worker process exited with code 0/);
    expect(results.get('hang-on-load')!.score).toBe(0);
    expect(results.get('hang-on-load')!.output).toMatch(/did not finish loading within the time limit/);
  });
  test('killing the parent (the zygote) or every process in sight is refused', () => full('kill-parent'));
  test('a worker cannot stop, renice, trace or read the zygote or any other process, start processes or write files', () => full('zygote-attack'));
  test('a fork bomb starts no process and leaves none behind', () => {
    const f = failed(results.get('fork-bomb')!);
    expect([...f.keys()].every((t) => t.startsWith('adamWStep.') || t === 'adam.stepCounter' || t.startsWith('contract.'))).toBe(true);
    const leftovers = spawnSync('ps', ['-eo', 'args='])
      .stdout.toString()
      .split('\n')
      .filter((a) => a === `/bin/sleep ${sleepSeconds}`);
    expect(leftovers).toEqual([]);
  });
  test('a flood of output is discarded and changes nothing', () => full('output-flood'));
  test('patching tfjs, Math, prototypes and expect does not hide a leak', () => {
    expect([...failed(results.get('monkeypatch')!).keys()]).toEqual(['contract.noLeaks']);
  });
  test('no reading of the grader, the reference or other students, no writes (not even /tmp) or host sysctls, no network', () => {
    full('snoop');
    expect(connections).toBe(0);
    for (const f of pwned) expect(fs.existsSync(f)).toBe(false);
  });
  test('forged replies and fake output do not earn points the functions do not', () => {
    const f = failed(results.get('forger')!);
    for (const id of ['l2Penalty.random', 'sgdL2Step.random', 'sgdDecayStep.random', 'adamWStep.firstStep', 'adamL2Step.firstStep'])
      expect(f.has(id)).toBe(true);
  });

  // One student against another, or against the whole class.
  const outputs = () => [...results.values()].flatMap((r) => [r.output, ...r.tests.map((t) => t.output)]);
  const passedAll = (id: string, prefix: string) => {
    const tests = results.get(id)!.tests.filter((t) => t.name.startsWith(prefix));
    expect(tests.length).toBeGreaterThan(0);
    expect(tests.filter((t) => t.status !== 'passed').map((t) => `${t.name}: ${t.output}`)).toEqual([]);
  };
  test('a line outside the protocol ends only the worker that sent it, charged to its own student', () => {
    expect(outputs().filter((o) => /could not judge this test/.test(o))).toEqual([]);
    expect(results.get('null-line')!.output).toMatch(/could not be loaded: the worker broke the channel protocol/);
  });
  test('a worker that sends lines nobody asked for is ended at once', () => {
    expect(results.get('channel-flood')!.score).toBe(0);
    expect(results.get('channel-flood')!.output).toMatch(/could not be loaded: the worker sent a message it was not asked for/);
  });
  test('connections to the channel beyond the worker admitted are refused, not held open', () => passedAll('connection-flood', 'l2Penalty.'));
  test('a value with its own Symbol.toStringTag cannot make feedback or results files big', () => {
    const f = failed(results.get('huge-feedback')!);
    expect(f.get('l2Penalty.random')).toMatch(/should be a tf\.Tensor but is a typed array/);
    expect(JSON.stringify(results.get('huge-feedback')!).length).toBeLessThan(64 * 1024);
    for (const o of outputs()) expect(o.length).toBeLessThanOrEqual(4000);
  });
  // Information leaks.
  test('the sandbox shows no process an environment the grader did not give it on purpose', () => passedAll('environ', 'l2Penalty.'));
  test('nothing a student controls beyond its thrown message reaches its feedback (no toStringTag channel)', () => {
    expect(failed(results.get('tostringtag-exfil')!).get('l2Penalty.random')).toMatch(/should be a tf\.Tensor but is a typed array$/);
    expect(outputs().filter((o) => o.includes('EXFIL'))).toEqual([]);
  });
  test('a submission that is a symbolic link is not followed (a notebook linking to /etc/passwd)', () => {
    expect(results.get('passwd-link')!.score).toBe(0);
    expect(results.get('passwd-link')!.output).toMatch(/passwd-link\.ipynb is a symbolic link/);
    expect(outputs().filter((o) => o.includes('root:'))).toEqual([]);
  });
  test("a folder entry linking to another student's file is not graded as this student's work", () => {
    expect(results.get('borrowed')!.score).toBe(0);
    expect(results.get('borrowed')!.output).toMatch(/work\.ts in folder borrowed is a symbolic link/);
  });
  // Entries that used to stop the whole class.
  test('a file name of 255 bytes gets its results under a safe file name, the id kept inside', () => {
    const id = HOSTILE_NAMES['long-name'];
    expect(results.get(id)!.extra_data?.student).toBe(id);
    expect(gradebook.split('\n').some((l) => l.startsWith(`${id},0,`))).toBe(true);
  });
  test('two entries with the same id are both graded, under distinct ids, with a warning', () => {
    for (const id of ['twin.ts', 'twin.ipynb']) expect(results.get(id)!.output).toMatch(/twin\.ipynb and twin\.ts both give the student id "twin"/);
    expect(results.has('twin')).toBe(false);
  });
  test('gradebook cells that a spreadsheet would run as formulas are neutralised', () => {
    expect(gradebook).toContain("\n'=2+5+cmd|' -C calc'!A0,0,");
    expect(gradebook.split('\n').filter((l) => /^[=+\-@\t\r]/.test(l))).toEqual([]);
  });
  test('bidi controls in an id are escaped in printed output', () => {
    expect(batchStdout).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(batchStdout).toContain('c17-\\u{202e}ecila-ltr: 0/');
  });
  // Cheating the contract tests, and honest code penalised.
  test('the contract is checked on every call, not only on the recognisable contract case', () => {
    const f = failed(results.get('contract-cheat')!);
    expect(f.get('contract.synchronous')).toMatch(/l2Penalty returned a Promise/);
    expect(f.get('contract.noLeaks')).toMatch(/l2Penalty left \d+ tensor/);
    expect(f.get('contract.inputsKept')).toMatch(/sgdL2Step disposed its input grads/);
    expect(f.get('contract.inputsUnchanged')).toMatch(/sgdDecayStep modified its arguments in place/);
    expect(f.get('contract.shapes')).toMatch(/the result of sgdL2Step\[\d\] has shape \[\d+\] but params\[\d\] has shape/);
  });
  test('plain objects shaped like the wire encoding are not tensors', () => {
    expect(failed(results.get('fake-tensors')!).get('l2Penalty.random')).toMatch(/should be a tf\.Tensor but is a plain object/);
  });
  test('tensors are reported with their real dtype (bool moments fail the float32 contract)', () => {
    expect(failed(results.get('bool-moments')!).get('contract.shapes')).toMatch(/initAdamState\(\.\.\.\)\.m\[0\] is bool; the API is float32/);
  });
  test('objects with their own toString and errors that name themselves work as in plain node', () => full('own-tostring'));
  test('a WebAssembly.Memory does not stop a module from loading', () => passedAll('wasm-memory', 'l2Penalty.'));

  test('every hostile fixture is graded and has its expectation above', () => {
    const named = ['alice', 'infinite-loop', 'crash-in-call', 'memory-hog', 'exit-in-call', 'exit-on-load', 'hang-on-load', 'kill-parent', 'zygote-attack'];
    named.push('fork-bomb', 'output-flood', 'monkeypatch', 'snoop', 'forger', 'null-line', 'channel-flood', 'connection-flood', 'huge-feedback', 'environ');
    named.push('tostringtag-exfil', 'passwd-link', 'borrowed', ...Object.values(HOSTILE_NAMES), 'twin.ts', 'twin.ipynb', 'contract-cheat', 'fake-tensors');
    named.push('bool-moments', 'own-tostring', 'wasm-memory');
    expect([...results.keys()].sort()).toEqual(named.sort());
  });
});

describe('the chapter assignments (norms, double-descent)', () => {
  test('norms: the correct example gets full marks; the naive one loses overflow and spectral points, named', () => {
    const r = gradeFolder(path.join(grader, 'examples', 'norms'), 'norms', 'norms');
    expect(r.get('ines')!.score).toBe(r.get('ines')!.max_score);
    const f = failed(r.get('jonas')!, norms);
    expect(f.get('l2Norm.largeEntries')).toMatch(/overflows float32/);
    expect(f.get('spectralNorm.notFrobenius')).toMatch(/returns the Frobenius norm/);
  }, 120_000);

  test('double-descent: the correct example gets full marks; missing cutoff and lambda squared are named', () => {
    const r = gradeFolder(path.join(grader, 'examples', 'double-descent'), 'double-descent', 'double-descent');
    expect(r.get('kofi')!.score).toBe(r.get('kofi')!.max_score);
    const f = failed(r.get('lena')!, doubleDescent);
    expect(f.get('minNormLeastSquares.rankDeficient')).toMatch(/keeps a singular value that is only rounding noise/);
    expect(f.get('ridgeRegression.random')).toMatch(/uses lambda\^2/);
  }, 120_000);
});

describe('exit codes and the single-submission command', () => {
  test('grade writes results.json and exits 0; a failing submission is still exit 0', () => {
    const file = path.join(out, 'single', 'results.json');
    const r = decaylab('grade', path.join(grader, 'fixtures', 'misconceptions', 'penalty-l1.ts'), '--assignment', 'decay', '--out', file, ...FAST);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/failed l2Penalty\.squaredL2: /);
    expect(validate(JSON.parse(fs.readFileSync(file, 'utf8')))).toBe(true);
  }, 60_000);

  test('usage errors exit 2 with a message and no stack trace', () => {
    for (const args of [
      ['grade-batch', path.join(grader, 'examples', 'submissions'), '--assignment', 'nope', '--out', out],
      ['grade', '/no/such/file.ts', '--assignment', 'decay', '--out', path.join(out, 'x.json')],
      ['grade-batch', '--assignment', 'decay'],
      ['frobnicate'],
    ]) {
      const r = decaylab(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/decaylab|error/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  test('a fault outside any submission (an unwritable output folder, no bubblewrap) exits 1 with a message', () => {
    const unwritable = decaylab('grade', path.join(grader, 'examples', 'submissions', 'gus.ts'), '--assignment', 'decay', '--out', '/dev/null/results.json');
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toMatch(/^decaylab: internal error: .*\/dev\/null/);
    const noSandbox = spawnSync(
      process.execPath,
      [bin, 'grade', path.join(grader, 'examples', 'submissions', 'alice.ts'), '--assignment', 'decay', '--out', path.join(out, 'nosandbox.json')],
      {
        encoding: 'utf8',
        env: { ...process.env, PATH: fs.mkdtempSync(path.join(out, 'empty-path-')) },
        timeout: RUN_LIMIT_MS,
      },
    );
    expect(noSandbox.status).toBe(1);
    expect(noSandbox.stderr).toMatch(/bwrap is not available/);
    for (const r of [unwritable.stderr, noSandbox.stderr]) expect(r).not.toMatch(/\n\s+at /);
  }, 60_000);

  test('assignments lists every test with its points', () => {
    const r = decaylab('assignments');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^decay: .*\(42 points;/);
    expect(r.stdout).toMatch(/\nnorms: .*points;/);
    expect(r.stdout).toMatch(/\ndouble-descent: .*points;/);
    expect(r.stdout).toMatch(/\n\s+2\s+adamWStep\.decoupled\s+/);
  });
});
