import type { Observation } from '../sandbox/wire';
import type { Probe } from './probe';

// What every call of a student's function showed about the API contract, kept per probe for the contract tests: the
// contract is judged on all calls the hidden tests make (random draws included), not only on one case a submission
// could recognise. Values are not kept.

export type ContractFacts = Omit<Observation, 'value' | 'threw'>;
export type RecordedCall = { fn: string; facts: ContractFacts };

/** Each kind of breach needs only its first call for feedback: a call is kept if it shows a kind not seen before. */
const KINDS = ['returnedPromise', 'leaked', 'disposedInputs', 'mutatedInputs', 'aliasedInputs'] as const;
const breaches = (f: ContractFacts) => KINDS.filter((k) => (k === 'returnedPromise' ? f.returnedPromise : k === 'leaked' ? f.leaked > 0 : f[k].length > 0));
const KEPT_SHAPE_PROBLEMS = 1;
const calls = new WeakMap<Probe, RecordedCall[]>();
const shapeProblems = new WeakMap<Probe, string[]>();

export function recordCall(probe: Probe, fn: string, obs: Observation): void {
  const { returnedPromise, leaked, disposedInputs, mutatedInputs, aliasedInputs } = obs;
  const facts = { returnedPromise, leaked, disposedInputs, mutatedInputs, aliasedInputs };
  const list = calls.get(probe) ?? [];
  const seen = new Set(list.flatMap((c) => breaches(c.facts)));
  if (breaches(facts).some((k) => !seen.has(k))) list.push({ fn, facts });
  calls.set(probe, list);
}

/** An output whose shape or dtype is not the specified one, found by a check that compared its values anyway. */
export function recordShapeProblem(probe: Probe, problem: string | undefined): void {
  const list = shapeProblems.get(probe) ?? [];
  if (problem !== undefined && list.length < KEPT_SHAPE_PROBLEMS) list.push(problem);
  shapeProblems.set(probe, list);
}

export function recordedCalls(probe: Probe): RecordedCall[] {
  return calls.get(probe) ?? [];
}

export function recordedShapeProblems(probe: Probe): string[] {
  return shapeProblems.get(probe) ?? [];
}
