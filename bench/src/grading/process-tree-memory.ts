import * as fs from 'fs';

const PAGE = 4096;

/** Resident memory (bytes) of the `roots` and all their descendants, from /proc (Linux). */
export function treeRss(roots: Iterable<number>): number {
  return treePids(roots).reduce((total, pid) => {
    const statm = readOrNull(`/proc/${pid}/statm`);
    return statm ? total + Number(statm.split(' ')[1]) * PAGE : total;
  }, 0);
}

/**
 * Proportional set size (bytes) of the same tree: each shared page counted once over the processes sharing it, so a
 * zygote and the workers forked from it (which RSS counts once each) are charged as a memory cgroup would charge them.
 */
export function treePss(roots: Iterable<number>): number {
  return treePids(roots).reduce((total, pid) => {
    const kb = /^Pss:\s+(\d+) kB$/m.exec(readOrNull(`/proc/${pid}/smaps_rollup`) ?? '')?.[1];
    return kb ? total + Number(kb) * 1024 : total;
  }, 0);
}

/** The `roots` and all their descendants as /proc shows them now (Linux). */
export function treePids(roots: Iterable<number>): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readOrNull(`/proc/${name}/stat`);
    if (!stat) continue;
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const pids: number[] = [];
  const stack = [...roots];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    pids.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return pids;
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Samples the summed RSS of several process trees every `everyMs` until stopped; keeps the peak. */
export class PeakMemory {
  peak = 0;
  /** Peak PSS, sampled only when asked for (reading smaps_rollup costs the kernel a walk of each process's pages). */
  peakPss = 0;
  private roots = new Set<number>();
  private timer: NodeJS.Timeout;

  constructor(
    everyMs = 100,
    private readonly withPss = false,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  watch(pid: number | undefined): void {
    if (pid !== undefined) this.roots.add(pid);
  }

  unwatch(pid: number | undefined): void {
    if (pid !== undefined) this.roots.delete(pid);
  }

  sample(): void {
    this.peak = Math.max(this.peak, treeRss(this.roots));
    if (this.withPss) this.peakPss = Math.max(this.peakPss, treePss(this.roots));
  }

  stop(): number {
    clearInterval(this.timer);
    return this.peak;
  }
}
