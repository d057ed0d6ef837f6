import type { Observation, Wire } from '../sandbox/wire';
import type { Check } from './define-suite';
import { fail } from './feedback';
import type { Probe } from './probe';
import { observe } from './read-result';

// The API contract every assignment shares: results returned directly (no Promise), no leaked tensors, inputs neither
// disposed nor modified, outputs shaped as specified, and new tensors rather than inputs passed through. Each function
// is called once on a fixed case per student; the six contract tests judge those same observations.

export type ContractPlan = { fn: string; args: Wire[]; argNames: string[]; expectShapes: (v: Wire) => void }[];
type ContractCall = { fn: string; obs: Observation; argNames: string[]; expectShapes: (v: Wire) => void };

export const CONTRACT_TESTS = ['contract.synchronous', 'contract.noLeaks', 'contract.inputsKept', 'contract.inputsUnchanged', 'contract.shapes', 'contract.freshOutputs'];

export function contractChecks(plan: () => ContractPlan): Record<string, Check> {
  const cache = new WeakMap<Probe, Promise<ContractCall[]>>();
  const calls = (probe: Probe) => {
    if (!cache.has(probe)) {
      cache.set(probe, (async () => {
        const out: ContractCall[] = [];
        for (const p of plan()) out.push({ ...p, obs: await observe(probe, p.fn, p.args) });
        return out;
      })());
    }
    return cache.get(probe)!;
  };
  const judge = (verdict: (c: ContractCall, where: (p: string) => string) => string | undefined): Check => async (probe) => {
    for (const c of await calls(probe)) {
      const problem = verdict(c, (p) => p.replace(/args\[(\d+)\]/, (whole, i: string) => c.argNames[Number(i)] ?? whole));
      if (problem) fail(problem);
    }
  };
  return {
    'contract.synchronous': judge(({ fn, obs }) =>
      obs.returnedPromise ? `${fn} returned a Promise; the API is synchronous (drop async/await and use dataSync or plain tensor ops)` : undefined),
    'contract.noLeaks': judge(({ fn, obs }) =>
      obs.leaked > 0 ? `${fn} left ${obs.leaked} tensor(s) allocated besides its result; wrap the work in tf.tidy or dispose intermediates` : undefined),
    'contract.inputsKept': judge(({ fn, obs }, where) =>
      obs.disposedInputs.length ? `${fn} disposed its input ${where(obs.disposedInputs[0])}; inputs belong to the caller` : undefined),
    'contract.inputsUnchanged': judge(({ fn, obs }, where) =>
      obs.mutatedInputs.length ? `${fn} modified ${where(obs.mutatedInputs[0])}; return new values instead` : undefined),
    'contract.shapes': judge(({ expectShapes, obs }) => {
      try {
        expectShapes(obs.value as Wire);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    }),
    'contract.freshOutputs': judge(({ fn, obs }, where) =>
      obs.aliasedInputs.length ? `${fn} returned its input ${where(obs.aliasedInputs[0])} itself; return new tensors` : undefined),
  };
}

/** The contract tests' entries for an assignment's index (names and points), in the order above. */
export function contractTests(points: Record<string, number>): { id: string; name: string; points: number }[] {
  const names: Record<string, string> = {
    'contract.synchronous': 'every function returns its result directly, not a Promise',
    'contract.noLeaks': 'no function leaves tensors behind besides the ones it returns',
    'contract.inputsKept': 'no function disposes its inputs',
    'contract.inputsUnchanged': 'no function modifies its inputs (tensor values, fields, arrays)',
    'contract.shapes': 'outputs have the specified shapes and dtype float32',
    'contract.freshOutputs': 'returned tensors are new tensors, not the inputs passed through',
  };
  return CONTRACT_TESTS.map((id) => ({ id, name: names[id], points: points[id] ?? 1 }));
}
