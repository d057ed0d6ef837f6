import type { Wire } from '../sandbox/wire';
import { recordedCalls, recordedShapeProblems, type ContractFacts } from './contract-record';
import type { Check } from './define-suite';
import { fail } from './feedback';
import type { Probe } from './probe';
import { observe } from './read-result';

// The API contract every assignment shares: results returned directly (no Promise), no leaked tensors, inputs neither
// disposed nor modified, outputs shaped as specified, and new tensors rather than inputs passed through. Each function
// is called once on a fixed case per student; the six contract tests judge those observations first (their feedback
// names a known case), then every other call the hidden tests made (contract-record.ts), so that a submission cannot
// keep the contract only where it recognises the fixed case.

export type ContractPlan = { fn: string; args: Wire[]; argNames: string[]; expectShapes: (v: Wire) => void }[];
type ContractCall = { fn: string; facts: ContractFacts; argNames: string[]; expectShapes?: (v: Wire) => void; value?: Wire };

export const CONTRACT_TESTS = [
  'contract.synchronous',
  'contract.noLeaks',
  'contract.inputsKept',
  'contract.inputsUnchanged',
  'contract.shapes',
  'contract.freshOutputs',
];

export function contractChecks(plan: () => ContractPlan): Record<string, Check> {
  const cache = new WeakMap<Probe, Promise<ContractCall[]>>();
  const planned = (probe: Probe) => {
    if (!cache.has(probe)) {
      cache.set(
        probe,
        (async () => {
          const out: ContractCall[] = [];
          for (const p of plan()) {
            const obs = await observe(probe, p.fn, p.args);
            out.push({ ...p, facts: obs, value: obs.value });
          }
          return out;
        })(),
      );
    }
    return cache.get(probe)!;
  };
  const calls = async (probe: Probe): Promise<ContractCall[]> => {
    const fixed = await planned(probe);
    const argNames = new Map(fixed.map((c) => [c.fn, c.argNames]));
    return [...fixed, ...recordedCalls(probe).map((r) => ({ ...r, argNames: argNames.get(r.fn) ?? [] }))];
  };
  const judge =
    (verdict: (c: ContractCall, where: (p: string) => string) => string | undefined): Check =>
    async (probe) => {
      for (const c of await calls(probe)) {
        const problem = verdict(c, (p) => p.replace(/args\[(\d+)\]/, (whole, i: string) => c.argNames[Number(i)] ?? whole));
        if (problem) fail(problem);
      }
    };
  return {
    'contract.synchronous': judge(({ fn, facts }) =>
      facts.returnedPromise ? `${fn} returned a Promise; the API is synchronous (drop async/await and use dataSync or plain tensor ops)` : undefined,
    ),
    'contract.noLeaks': judge(({ fn, facts }) =>
      facts.leaked > 0 ? `${fn} left ${facts.leaked} tensor(s) allocated besides its result; wrap the work in tf.tidy or dispose intermediates` : undefined,
    ),
    'contract.inputsKept': judge(({ fn, facts }, where) =>
      facts.disposedInputs.length ? `${fn} disposed its input ${where(facts.disposedInputs[0])}; inputs belong to the caller` : undefined,
    ),
    'contract.inputsUnchanged': judge(({ fn, facts }, where) =>
      facts.mutatedInputs.length ? `${fn} modified ${where(facts.mutatedInputs[0])}; return new values instead` : undefined,
    ),
    'contract.shapes': async (probe) => {
      for (const { expectShapes, value } of await planned(probe)) expectShapes?.(value as Wire);
      const [problem] = recordedShapeProblems(probe);
      if (problem) fail(problem);
    },
    'contract.freshOutputs': judge(({ fn, facts }, where) =>
      facts.aliasedInputs.length ? `${fn} returned its input ${where(facts.aliasedInputs[0])} itself; return new tensors` : undefined,
    ),
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
