import { tensorToWire, type Wire } from '../../sandbox/wire';
import type { Check } from '../../hidden/define-suite';
import { contractChecks, type ContractPlan } from '../../hidden/contract';
import { fail } from '../../hidden/feedback';
import { recordShapeProblem } from '../../hidden/contract-record';
import type { Probe } from '../../hidden/probe';
import { close, field, observe, readTensor, readTensorList, sameSizes, worstError, type Host, type Tolerance } from '../../hidden/read-result';
import { host, sampleAdamCases, sampleParamLists, sampleStepCases, type AdamCase, type HostTensor, type StepCase } from './cases';
import { refAdamTrajectory, refL2Penalty, refSgd, zeroState, type AdamKind, type HostState } from './reference';
import { adamL2Variants, adamStep64, adamWVariants, l2PenaltyVariants, sgdDecayVariants, sgdL2Variants, type AdamRule } from './variants';
import type { Variant } from '../../core/misconception';

// The decay assignment's hidden checks, one per test id in ./index.ts. Inputs are seeded draws or hand-picked cases
// that separate look-alike updates; feedback names the misconception a wrong output matches, never the inputs.

const TOL: Tolerance = { atol: 1e-5, rtol: 1e-4 };
const TRAJECTORY_TOL: Tolerance = { atol: 5e-5, rtol: 5e-4 };
const TRAJECTORY_STEPS = 6;

const w = (h: HostTensor): Wire => tensorToWire(h.shape, h.values);
const ws = (hs: HostTensor[]): Wire => hs.map(w);
const stateWire = (c: { params: HostTensor[] }, s: HostState): Wire => ({
  t: s.t,
  m: s.m.map((m, i) => tensorToWire(c.params[i].shape, m)),
  v: s.v.map((v, i) => tensorToWire(c.params[i].shape, v)),
});

function named<F>(variants: Variant<F>[], matches: (f: F) => boolean): Variant<F> | undefined {
  return variants.find((x) => matches(x.fn));
}

/** The first way a list of returned tensors is not shaped like the params or not float32, for contract.shapes. */
function shapeProblem(got: Host[], shapes: number[][], what: string): string | undefined {
  for (const [i, t] of got.entries()) {
    if (t.shape.join() !== shapes[i].join()) return `${what}[${i}] has shape [${t.shape}] but params[${i}] has shape [${shapes[i]}]`;
    if (t.dtype !== 'float32') return `${what}[${i}] is ${t.dtype}; the API is float32`;
  }
  return undefined;
}

const shapesOf = (hs: HostTensor[]) => hs.map((h) => h.shape);

function mismatch(fn: string, where: string, err: number, diagnosis: Variant<unknown> | undefined): never {
  const says = diagnosis ? `: ${diagnosis.says}` : '';
  fail(`${fn} differs from the expected result ${where} (largest error beyond tolerance: ${err.toPrecision(3)})${says}`, diagnosis);
}

// ---- l2Penalty

async function checkPenalty(probe: Probe, list: HostTensor[], where: string): Promise<void> {
  const got = readTensor((await observe(probe, 'l2Penalty', [ws(list)])).value, 'the result of l2Penalty');
  if (got.values.length !== 1) fail(`l2Penalty returned a tensor with ${got.values.length} elements; it must be a scalar`);
  recordShapeProblem(probe, shapeProblem([got], [[]], 'the result of l2Penalty'));
  const expected = refL2Penalty(list);
  const err = worstError([got.values], [[expected]], TOL)!;
  if (err > 0) {
    const vals = list.map((h) => h.values);
    mismatch(
      'l2Penalty',
      where,
      err,
      named(l2PenaltyVariants, (f) => close([got.values], [[f(vals)]], TOL)),
    );
  }
}

const penaltyRandom: Check = async (probe) => {
  const cases = sampleParamLists(10, 1);
  for (const [k, list] of cases.entries()) await checkPenalty(probe, list, `on random case ${k + 1} of ${cases.length}`);
};

// ---- SGD steps

type SgdFn = 'sgdL2Step' | 'sgdDecayStep';
const sgdVariants = { sgdL2Step: sgdL2Variants, sgdDecayStep: sgdDecayVariants };

async function checkSgd(probe: Probe, fn: SgdFn, c: StepCase, where: string): Promise<void> {
  const o: Wire = fn === 'sgdL2Step' ? { lr: c.lr, l2: c.coef } : { lr: c.lr, weightDecay: c.coef };
  const obs = await observe(probe, fn, [ws(c.params), ws(c.grads), o]);
  const got = readTensorList(obs.value, c.params.length, `the result of ${fn}`);
  recordShapeProblem(probe, shapeProblem(got, shapesOf(c.params), `the result of ${fn}`));
  const expected = refSgd(fn, c);
  sameSizes(got, expected, `the result of ${fn}`);
  const err = worstError(values(got), expected, TOL)!;
  if (err === 0) return;
  const diagnosis = named(sgdVariants[fn], (f) =>
    close(
      values(got),
      c.params.map((p, i) => p.values.map((wj, j) => f(wj, c.grads[i].values[j], c.lr, c.coef))),
      TOL,
    ),
  );
  mismatch(fn, where, err, diagnosis);
}

const sgdRandom =
  (fn: SgdFn, salt: number): Check =>
  async (probe) => {
    const cases = sampleStepCases(8, salt);
    for (const [k, c] of cases.entries()) await checkSgd(probe, fn, c, `on random case ${k + 1} of ${cases.length}`);
  };

// ---- initAdamState

const initZeros: Check = async (probe) => {
  for (const list of sampleParamLists(4, 4)) {
    const s = (await observe(probe, 'initAdamState', [ws(list)])).value;
    const t = field(s, 't', 'the state returned by initAdamState');
    if (t !== 0) fail(`initAdamState must start at t = 0 (got ${describeCount(t)})`);
    for (const key of ['m', 'v']) {
      const got = readTensorList(field(s, key, 'the state'), list.length, `state.${key}`);
      recordShapeProblem(probe, shapeProblem(got, shapesOf(list), `initAdamState(...).${key}`));
      got.forEach((g, i) => {
        if (g.shape.join() !== list[i].shape.join()) fail(`state.${key}[${i}] has shape [${g.shape}] but params[${i}] has shape [${list[i].shape}]`);
        if (g.values.some((x) => x !== 0)) fail(`state.${key}[${i}] must start at zero`);
      });
    }
  }
};

// ---- Adam steps

type AdamRun = { params: Host[]; state: Wire }[];

/** Runs the student's step `nSteps` times, each step fed the student's own previous params and state. */
async function runStudentAdam(probe: Probe, fn: AdamKind, c: AdamCase, start: HostState, nSteps: number): Promise<AdamRun> {
  const key = fn === 'adamWStep' ? 'weightDecay' : 'l2';
  const o = { lr: c.lr, beta1: c.beta1, beta2: c.beta2, eps: c.eps, [key]: c.coef };
  const grads = [c.grads, ...c.steps].slice(0, nSteps);
  let params: Wire = ws(c.params);
  let state: Wire = stateWire(c, start);
  const run: AdamRun = [];
  for (const [k, g] of grads.entries()) {
    const out = (await observe(probe, fn, [params, ws(g), state, o])).value;
    const what = nSteps > 1 ? `the result of ${fn} at step ${k + 1}` : `the result of ${fn}`;
    params = field(out, 'params', what);
    state = field(out, 'state', what);
    const got = readTensorList(params, c.params.length, `${what}.params`);
    recordShapeProblem(probe, shapeProblem(got, shapesOf(c.params), `${fn}(...).params`));
    run.push({ params: got, state });
  }
  return run;
}

function variantTrajectory(c: AdamCase, start: HostState, rule: AdamRule, nSteps: number): Float64Array[][] {
  const grads = [c.grads, ...c.steps].slice(0, nSteps);
  let params: ArrayLike<number>[] = c.params.map((p) => p.values);
  let state = { t: start.t, m: start.m.map((m) => Float64Array.from(m)), v: start.v.map((v) => Float64Array.from(v)) };
  const h = { lr: c.lr, beta1: c.beta1, beta2: c.beta2, eps: c.eps, coef: c.coef };
  return grads.map((g) => {
    const out = adamStep64(
      params,
      g.map((x) => x.values),
      state,
      h,
      rule,
    );
    params = out.w;
    state = out.state;
    return out.w;
  });
}

async function checkAdam(probe: Probe, fn: AdamKind, c: AdamCase, nSteps: number, where: string): Promise<void> {
  const start = zeroState(c);
  const run = await runStudentAdam(probe, fn, c, start, nSteps);
  const expected = refAdamTrajectory(fn, c, nSteps);
  const tol = nSteps > 1 ? TRAJECTORY_TOL : TOL;
  for (const [k, step] of run.entries()) {
    sameSizes(step.params, expected[k].params, `the params returned by ${fn}`);
    const err = worstError(values(step.params), expected[k].params, tol)!;
    if (err > 0) {
      const variants = fn === 'adamWStep' ? adamWVariants : adamL2Variants;
      const diagnosis = named(variants, (rule) =>
        variantTrajectory(c, start, rule, nSteps).every((vw, j) => j >= run.length || close(values(run[j].params), vw, tol)),
      );
      mismatch(fn, `${where}${nSteps > 1 ? `, step ${k + 1} of ${nSteps}` : ''}`, err, diagnosis);
    }
    for (const key of ['m', 'v'] as const) {
      const got = readTensorList(field(step.state, key, `the state returned by ${fn}`), c.params.length, `state.${key}`);
      recordShapeProblem(probe, shapeProblem(got, shapesOf(c.params), `${fn}(...).state.${key}`));
      sameSizes(got, expected[k].state[key], `state.${key}`);
      const errM = worstError(values(got), expected[k].state[key], tol)!;
      if (errM > 0) mismatch(fn, `in state.${key} ${where}`, errM, undefined);
    }
  }
}

const adamRandom =
  (fn: AdamKind, nSteps: number, n: number, salt: number): Check =>
  async (probe) => {
    const cases = sampleAdamCases(n, nSteps, salt);
    for (const [k, c] of cases.entries()) await checkAdam(probe, fn, c, nSteps, `on random case ${k + 1} of ${cases.length}`);
  };

function handCase(over: Partial<AdamCase> & { params: HostTensor[]; grads: HostTensor[] }): AdamCase {
  return { lr: 0.01, coef: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, steps: [over.grads, over.grads], ...over };
}

const targeted =
  (fn: AdamKind, c: AdamCase, nSteps: number): Check =>
  (probe) =>
    checkAdam(probe, fn, c, nSteps, 'on a hand-picked case');

const stepCounter: Check = async (probe) => {
  const c = sampleAdamCases(1, 0, 9)[0];
  for (const fn of ['adamWStep', 'adamL2Step'] as const) {
    for (const t0 of [0, 5]) {
      const start = zeroState(c, t0);
      const run = await runStudentAdam(probe, fn, c, start, 1);
      const t = field(run[0].state, 't', `the state returned by ${fn}`);
      if (t !== t0 + 1) fail(`${fn} returned state.t = ${describeCount(t)} after a step from t = ${t0}; it must be ${t0 + 1}`);
    }
  }
};

// ---- the API contract, checked once per function on one fixed case

function contractPlan(): ContractPlan {
  const c = contractCase();
  const n = c.params.length;
  const shapes = c.params.map((p) => p.shape);
  const state = stateWire(c, { t: 3, m: c.grads.map((g) => g.values), v: c.grads.map((g) => g.values.map((x) => x * x)) });
  const list = (v: Wire, what: string) => {
    const problem = shapeProblem(readTensorList(v, n, what), shapes, what);
    if (problem) fail(problem);
  };
  const adamShapes = (fn: string) => (v: Wire) => {
    list(field(v, 'params', `the result of ${fn}`), `${fn}(...).params`);
    for (const k of ['m', 'v']) list(field(field(v, 'state', `the result of ${fn}`), k, `${fn}(...).state`), `${fn}(...).state.${k}`);
  };
  const adamArgs = (extra: Record<string, number>) => [ws(c.params), ws(c.grads), state, { lr: c.lr, beta1: c.beta1, beta2: c.beta2, eps: c.eps, ...extra }];
  const step = ['params', 'grads', 'o'];
  const adam = ['params', 'grads', 'state', 'o'];
  return [
    {
      fn: 'l2Penalty',
      args: [ws(c.params)],
      argNames: ['params'],
      expectShapes: (v) => {
        const t = readTensor(v, 'the result of l2Penalty');
        if (t.shape.length !== 0) fail(`l2Penalty returned shape [${t.shape}]; a tf.Scalar has shape []`);
      },
    },
    { fn: 'sgdL2Step', args: [ws(c.params), ws(c.grads), { lr: c.lr, l2: c.coef }], argNames: step, expectShapes: (v) => list(v, 'the result of sgdL2Step') },
    {
      fn: 'sgdDecayStep',
      args: [ws(c.params), ws(c.grads), { lr: c.lr, weightDecay: c.coef }],
      argNames: step,
      expectShapes: (v) => list(v, 'the result of sgdDecayStep'),
    },
    {
      fn: 'initAdamState',
      args: [ws(c.params)],
      argNames: ['params'],
      expectShapes: (v) => ['m', 'v'].forEach((k) => list(field(v, k, 'the state'), `initAdamState(...).${k}`)),
    },
    { fn: 'adamL2Step', args: adamArgs({ l2: c.coef }), argNames: adam, expectShapes: adamShapes('adamL2Step') },
    { fn: 'adamWStep', args: adamArgs({ weightDecay: c.coef }), argNames: adam, expectShapes: adamShapes('adamWStep') },
  ];
}

/** A scalar, a matrix and a vector, so that any reshaping of an output shows. */
function contractCase(): AdamCase {
  const [a, b] = sampleParamLists(2, 12).map((l) => l.flatMap((t) => [...t.values]));
  const pick = (vals: number[], shapes: number[][]) => {
    let k = 0;
    return shapes.map((sh) => {
      const n = sh.reduce((x, y) => x * y, 1);
      return host(
        Array.from({ length: n }, () => vals[k++ % vals.length] || 0.5),
        sh,
      );
    });
  };
  const shapes = [[], [2, 3], [4]];
  return { params: pick(a, shapes), grads: pick(b, shapes), steps: [], lr: 0.05, coef: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
}

const penaltyCase = (values: number[][]) => values.map((v) => host(v));

export const decayChecks: Record<string, Check> = {
  'l2Penalty.random': penaltyRandom,
  'l2Penalty.half': (probe) => checkPenalty(probe, [host([1, 2, -3]), host([0.5], [])], 'on a hand-picked case'),
  'l2Penalty.squaredL2': (probe) =>
    checkPenalty(
      probe,
      penaltyCase([
        [3, -4],
        [1, 1, -1, 1],
      ]),
      'on a hand-picked case',
    ),
  'l2Penalty.scalar': async (probe) => {
    const got = readTensor((await observe(probe, 'l2Penalty', [ws(sampleParamLists(1, 11)[0])])).value, 'the result of l2Penalty');
    if (got.shape.length !== 0) fail(`l2Penalty returned shape [${got.shape}]; a tf.Scalar has shape []`);
  },
  'sgdL2Step.random': sgdRandom('sgdL2Step', 2),
  'sgdL2Step.descends': (probe) =>
    checkSgd(probe, 'sgdL2Step', { params: penaltyCase([[1, -2, 0.5]]), grads: penaltyCase([[0.5, 0.5, -1]]), lr: 0.1, coef: 0.4 }, 'on a hand-picked case'),
  'sgdDecayStep.random': sgdRandom('sgdDecayStep', 3),
  'sgdDecayStep.decayTimesLr': (probe) =>
    checkSgd(probe, 'sgdDecayStep', { params: penaltyCase([[2, -3]]), grads: penaltyCase([[0, 1]]), lr: 0.1, coef: 0.5 }, 'on a hand-picked case'),
  'initAdamState.zeros': initZeros,
  'adamL2Step.firstStep': adamRandom('adamL2Step', 1, 6, 5),
  'adamL2Step.trajectory': adamRandom('adamL2Step', TRAJECTORY_STEPS, 3, 6),
  'adamL2Step.l2InMoments': targeted('adamL2Step', handCase({ params: penaltyCase([[1, -2, 3]]), grads: penaltyCase([[-0.1, 0.1, -0.1]]), coef: 0.5 }), 3),
  'adamL2Step.biasCorrection': targeted('adamL2Step', handCase({ params: penaltyCase([[1, -2]]), grads: penaltyCase([[0.3, -0.2]]), lr: 0.1, coef: 0.01 }), 2),
  'adamWStep.firstStep': adamRandom('adamWStep', 1, 6, 7),
  'adamWStep.trajectory': adamRandom('adamWStep', TRAJECTORY_STEPS, 3, 8),
  'adamWStep.decoupled': targeted('adamWStep', handCase({ params: penaltyCase([[1, -2, 3]]), grads: penaltyCase([[-0.1, 0.1, -0.1]]), coef: 0.5 }), 3),
  'adamWStep.decayTimesLr': targeted('adamWStep', handCase({ params: penaltyCase([[2, -3]]), grads: penaltyCase([[0.1, 0.1]]), coef: 0.5 }), 1),
  'adamWStep.biasCorrection': targeted('adamWStep', handCase({ params: penaltyCase([[1, -2]]), grads: penaltyCase([[0.3, -0.2]]), lr: 0.1, coef: 0.01 }), 2),
  'adamWStep.epsOutsideSqrt': targeted('adamWStep', handCase({ params: penaltyCase([[1, -1]]), grads: penaltyCase([[1e-3, -2e-3]]), eps: 1e-4, coef: 0 }), 1),
  'adam.stepCounter': stepCounter,
  ...contractChecks(contractPlan),
};

/** A step counter as feedback shows it: a number, or only what kind of value it is (never the student's text). */
function describeCount(t: Wire): string {
  return typeof t === 'number' ? String(t) : Array.isArray(t) ? 'an array' : t === null ? 'null' : `a ${typeof t === 'object' ? 'non-number value' : typeof t}`;
}

function values(hs: Host[]): ArrayLike<number>[] {
  return hs.map((h) => h.values);
}
