import * as tf from '@tensorflow/tfjs-node';
import { copyBandwidth } from '../common/bandwidth';
import { fail, parseCli } from '../common/cli';
import { describeMachine } from '../common/machine';
import { pythonEnv, runPythonJson } from '../common/python-env';
import { fmt, formatSummary, summarize, type Summary } from '../common/stats';
import { markdownTable } from '../common/table';
import { type RunPlan } from '../common/timing';
import { ADAM_CASES, agreement, SGD_CASES, type CaseFactory } from './tfjs-cases';
import { whereTheTimeGoes } from './profile-step';

const SCRIPT = 'bench/decay-update';
const USAGE = `Usage: node bench/dist/decay-update/main.js [--quick] [--sizes 1e3,1e6,1e7] [--no-python]
  One optimizer step (AdamW and SGD with decoupled weight decay) per parameter count: the functional reference and the
  AdamW/SGDW of @decaylab/tfjs-optimizers on tfjs-node, tfjs's built-in Adam/SGD, and PyTorch (foreach, fused) in bench/.venv.
  --quick       small sizes and few runs (CI); does not install Python packages
  --sizes       comma-separated parameter counts
  --no-python   skip the PyTorch columns`;

interface Row {
  family: 'AdamW' | 'SGD';
  size: number;
  impl: string;
  summary?: Summary;
  faults?: number;
  note?: string;
}

function plan(size: number, quick: boolean): RunPlan {
  if (quick) return { warmup: 2, runs: 5 };
  if (size <= 1e4) return { warmup: 20, runs: 200 };
  if (size <= 1e6) return { warmup: 5, runs: 40 };
  return { warmup: 3, runs: 15 };
}

function roundPlan(p: RunPlan, rounds: number): RunPlan {
  return { warmup: p.warmup, runs: Math.max(1, Math.ceil(p.runs / rounds)) };
}

function timeCase(factory: CaseFactory, size: number, p: RunPlan): { ms: number[]; faults: number } {
  const c = factory(size);
  for (let i = 0; i < p.warmup; i++) c.step();
  const ms: number[] = [];
  const f0 = process.resourceUsage().minorPageFault;
  for (let i = 0; i < p.runs; i++) {
    const t0 = process.hrtime.bigint();
    c.step();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const faults = (process.resourceUsage().minorPageFault - f0) / p.runs;
  c.dispose();
  return { ms, faults };
}

interface TorchOut {
  torch: string;
  threads: number;
  copy_gbps: number[];
  results: { size: number; impl: string; ms?: number[]; error?: string }[];
}

async function main(): Promise<void> {
  const args = parseCli(SCRIPT, USAGE, {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    'no-python': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  const quick = args.quick as boolean;
  const sizes = ((args.sizes as string | undefined) ?? (quick ? '1e3,1e4' : '1e3,1e6,1e7')).split(',').map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) fail(SCRIPT, `--sizes must be positive integers, got ${JSON.stringify(s)}`);
    return n;
  });
  if (tf.getBackend() !== 'tensorflow') fail(SCRIPT, `needs the tfjs-node backend, active backend is ${tf.getBackend()}`);

  // Correctness first: a fast step that computes something else is worthless. Exit non-zero on disagreement.
  for (const [label, ours, ref] of [
    ['AdamW', ADAM_CASES['AdamW (tfjs-optimizers)'], ADAM_CASES['reference adamWStep (eager tfjs ops)']],
    ['SGDW', SGD_CASES['SGDW (tfjs-optimizers)'], SGD_CASES['reference sgdDecayStep (eager tfjs ops)']],
  ] as const) {
    const err = agreement(ours, ref, Math.min(sizes[sizes.length - 1], 1e6), 5);
    console.log(`check: ${label} optimizer vs reference after 5 steps, max relative difference ${err.toExponential(2)}`);
    if (!(err < 1e-4)) fail(SCRIPT, `${label} optimizer disagrees with the reference (max relative difference ${err})`);
  }

  // The machine is shared and has two cores: a busy neighbour stalls any two-thread parallel region for a scheduler
  // tick. Rounds alternate the PyTorch process and the tfjs cases so both see the same conditions over time.
  const rounds = quick ? 1 : 3;
  const samples = new Map<string, { family: Row['family']; size: number; impl: string; ms: number[]; faults: number[]; note?: string }>();
  const add = (family: Row['family'], size: number, impl: string, ms: number[], faults?: number, note?: string) => {
    const key = `${family}|${size}|${impl}`;
    const entry = samples.get(key) ?? { family, size, impl, ms: [], faults: [], note };
    entry.ms.push(...ms);
    if (faults !== undefined) entry.faults.push(faults);
    samples.set(key, entry);
  };
  const env = args['no-python'] ? ({ python: null, reason: '--no-python' } as const) : pythonEnv(['torch'], !quick);
  let torchNote = env.python === null ? `PyTorch skipped: ${env.reason}.` : '';
  const copySamples: { js: number[]; torch: number[] } = { js: [], torch: [] };
  for (let round = 0; round < rounds; round++) {
    copySamples.js.push(copyBandwidth(quick ? 64 : 256, 3).median);
    if (env.python !== null) {
      const plans = Object.fromEntries(sizes.map((s) => [String(s), roundPlan(plan(s, quick), rounds)]));
      const request = { sizes, plans, copy_megabytes: quick ? 64 : 256 };
      const out = runPythonJson<TorchOut>(env.python, 'torch_decay_update.py', [JSON.stringify(request)]);
      copySamples.torch.push(...out.copy_gbps);
      torchNote = `PyTorch ${out.torch}, ${out.threads} threads (${env.versions}).`;
      for (const r of out.results) {
        add(r.impl.startsWith('AdamW') ? 'AdamW' : 'SGD', r.size, `torch ${r.impl}`, r.ms ?? [], undefined, r.error);
      }
    }
    for (const size of sizes) {
      const p = roundPlan(plan(size, quick), rounds);
      for (const [family, cases] of [
        ['AdamW', ADAM_CASES],
        ['SGD', SGD_CASES],
      ] as const) {
        for (const [impl, factory] of Object.entries(cases)) {
          const { ms, faults } = timeCase(factory, size, p);
          add(family, size, impl, ms, faults);
        }
      }
    }
  }
  const jsCopy = summarize(copySamples.js);
  const torchCopy = copySamples.torch.length > 0 ? summarize(copySamples.torch) : undefined;
  const bw = torchCopy && torchCopy.median > jsCopy.median ? torchCopy : jsCopy;
  const rows: Row[] = [...samples.values()].map((e) => ({
    family: e.family,
    size: e.size,
    impl: e.impl,
    summary: e.ms.length > 0 ? summarize(e.ms) : undefined,
    faults: e.faults.length > 0 ? e.faults.reduce((a, b) => a + b, 0) / e.faults.length : undefined,
    note: e.note,
  }));

  console.log(`\nMachine: ${describeMachine()}`);
  const torchCopyNote = torchCopy ? `, PyTorch multi-threaded copy_ ${formatSummary(torchCopy)}` : '';
  console.log(`Copy bandwidth (bytes read + written, GB/s): TypedArray.set ${formatSummary(jsCopy)}${torchCopyNote}; the bound uses the faster.`);
  console.log(`${torchNote}\n`);
  for (const family of ['AdamW', 'SGD'] as const) {
    const peerName = family === 'AdamW' ? 'tf.train.adam (built-in, no decay)' : 'tf.train.sgd (built-in, no decay)';
    const oursName = family === 'AdamW' ? 'AdamW (tfjs-optimizers)' : 'SGDW (tfjs-optimizers)';
    // AdamW reads w, g, m, v and writes w, m, v; SGD reads w, g and writes w: float32 each.
    const bytesPerParam = family === 'AdamW' ? 7 * 4 : 3 * 4;
    const table: string[][] = [];
    for (const size of sizes) {
      const at = rows.filter((r) => r.family === family && r.size === size);
      const peer = at.find((r) => r.impl === peerName)?.summary;
      const ours = at.find((r) => r.impl === oursName)?.summary;
      for (const r of at) {
        const m = r.summary?.median;
        table.push([
          size.toExponential(0),
          r.impl,
          r.summary ? formatSummary(r.summary) : `skipped: ${r.note}`,
          m && peer ? `${fmt(peer.median / m, 2)}x` : '',
          m && ours ? `${fmt(m / ours.median, 2)}x` : '',
          r.faults === undefined ? '' : fmt(r.faults, 2),
        ]);
      }
      const boundMs = ((bytesPerParam * size) / (bw.median * 1e9)) * 1e3;
      table.push([size.toExponential(0), `memory-bandwidth bound (${bytesPerParam} B/param)`, fmt(boundMs), '', '', '']);
    }
    console.log(`### One ${family === 'AdamW' ? 'AdamW' : 'SGD-with-decay'} step, milliseconds (median (min-max))\n`);
    console.log(markdownTable(['params', 'implementation', 'ms', `speed-up vs ${peerName.split(' ')[0]}`, 'time / ours', 'page faults/step'], table));
    console.log('');
  }
  console.log(await whereTheTimeGoes(sizes[sizes.length - 1], quick ? 3 : 9));
}

main().catch((e: Error) => fail(SCRIPT, e.message));
