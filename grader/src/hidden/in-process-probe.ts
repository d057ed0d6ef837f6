import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-node';
import { makeObserver } from '../sandbox/observe-call';
import type { CallOutcome, Loaded } from '../sandbox/sandbox-worker';
import type { Wire } from '../sandbox/wire';
import { prepareSubmission } from '../submission/load-submission';
import type { Probe } from './probe';

// The unisolated mode: the submission is loaded into the Jest process itself and called directly. This is the
// baseline the benchmark compares against (one fresh Jest per submission); it gives the same scores as the sandbox
// for well-behaved code and offers no protection at all against hostile code.

export class InProcessProbe implements Probe {
  private loaded: Loaded;
  private mod: Record<string, unknown> = {};
  private observe = makeObserver(tf);
  private dir: string | undefined;

  constructor(entry: string) {
    const prepared = prepareSubmission(entry);
    if ('error' in prepared) {
      this.loaded = { kind: 'load-error', message: prepared.error };
      return;
    }
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decaylab-inproc-'));
    const file = path.join(this.dir, 'submission.js');
    fs.writeFileSync(file, aliasTfjs(prepared.js));
    try {
      this.mod = require(file) as Record<string, unknown>;
      this.loaded = { kind: 'ready', exports: Object.fromEntries(Object.keys(this.mod).map((k) => [k, typeof this.mod[k]])) };
    } catch (e) {
      this.loaded = { kind: 'load-error', message: (e as Error).message };
    }
  }

  async exports(): Promise<Loaded> {
    return this.loaded;
  }

  async call(fn: string, args: Wire[]): Promise<CallOutcome> {
    if (this.loaded.kind === 'load-error') return { kind: 'failed', reason: `your module could not be loaded: ${this.loaded.message}` };
    if (typeof this.mod[fn] === 'undefined') return { kind: 'failed', reason: `your submission does not export ${fn}` };
    return { kind: 'observed', obs: await this.observe(this.mod[fn], args) };
  }

  notes(): string[] {
    return [];
  }

  loadFailed(): boolean {
    return this.loaded.kind !== 'ready';
  }

  async close(): Promise<void> {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Both tfjs package names resolve to tfjs-node (the compiled module lives in a temp folder without node_modules). */
function aliasTfjs(js: string): string {
  const target = JSON.stringify(require.resolve('@tensorflow/tfjs-node'));
  return js.replace(/require\("@tensorflow\/tfjs(-node)?"\)/g, `require(${target})`);
}
