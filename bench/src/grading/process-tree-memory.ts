import * as fs from 'fs';

const PAGE = 4096;

/** Resident memory (bytes) of the `roots` and all their descendants, from /proc (Linux). */
export function treeRss(roots: Iterable<number>): number {
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
  let total = 0;
  const stack = [...roots];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    const statm = readOrNull(`/proc/${pid}/statm`);
    if (statm) total += Number(statm.split(' ')[1]) * PAGE;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
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
  private roots = new Set<number>();
  private timer: NodeJS.Timeout;

  constructor(everyMs = 100) {
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
  }

  stop(): number {
    clearInterval(this.timer);
    return this.peak;
  }
}
