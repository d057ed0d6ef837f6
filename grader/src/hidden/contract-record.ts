import type { Observation } from '../sandbox/wire';
import type { Probe } from './probe';

// What every call of a student's function showed about the API contract, kept per probe for the contract tests: the
// contract is judged on all calls the hidden tests make (random draws included), not only on one case a submission
// could recognise. Values are not kept.

export type ContractFacts = Omit<Observation, 'value' | 'threw'>;
export type RecordedCall = { fn: string; facts: ContractFacts };

/** The first few of each suffice for feedback; a submission that breaks the contract on every call keeps no more. */
const KEPT = 20;
const calls = new WeakMap<Probe, RecordedCall[]>();
const shapeProblems = new WeakMap<Probe, string[]>();

export function recordCall(probe: Probe, fn: string, obs: Observation): void {
  const { returnedPromise, leaked, disposedInputs, mutatedInputs, aliasedInputs } = obs;
  if (!returnedPromise && leaked <= 0 && !disposedInputs.length && !mutatedInputs.length && !aliasedInputs.length) return;
  const list = calls.get(probe) ?? [];
  if (list.length < KEPT) list.push({ fn, facts: { returnedPromise, leaked, disposedInputs, mutatedInputs, aliasedInputs } });
  calls.set(probe, list);
}

/** An output whose shape or dtype is not the specified one, found by a check that compared its values anyway. */
export function recordShapeProblem(probe: Probe, problem: string | undefined): void {
  const list = shapeProblems.get(probe) ?? [];
  if (problem !== undefined && list.length < KEPT) list.push(problem);
  shapeProblems.set(probe, list);
}

export function recordedCalls(probe: Probe): RecordedCall[] {
  return calls.get(probe) ?? [];
}

export function recordedShapeProblems(probe: Probe): string[] {
  return shapeProblems.get(probe) ?? [];
}
