import * as fs from 'fs';
import { treePids } from './process-tree-memory';

/** Linux's USER_HZ: /proc reports CPU times in these ticks on every architecture node runs on. */
const TICKS_PER_SECOND = 100;

export type ProcessCpu = { pid: number; ppid: number; command: string; selfSeconds: number; reapedSeconds: number };

/** CPU time of one process from /proc: its own, and that of the children it has already waited for. */
function readProcess(pid: number): ProcessCpu | undefined {
  let stat: string;
  let command: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = (i: number) => Number(f[i]) / TICKS_PER_SECOND;
  return { pid, ppid: Number(f[1]), command, selfSeconds: ticks(11) + ticks(12), reapedSeconds: ticks(13) + ticks(14) };
}

/** Every process of the tree below `root` (itself included), as /proc shows them now. */
export function processTree(root: number): ProcessCpu[] {
  return treePids([root]).flatMap((pid) => readProcess(pid) ?? []);
}

/**
 * Samples a process tree every `everyMs` and keeps each process's last reading, so the CPU of processes that have
 * ended (up to their last sample) still counts. `role` names which part of the system a process is.
 */
export class TreeCpu {
  private last = new Map<number, ProcessCpu>();
  private timer: NodeJS.Timeout;

  constructor(
    private root: number,
    everyMs = 50,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    for (const p of processTree(this.root)) {
      // A process that has ended but is not yet reaped still shows its final times, but no command line any more.
      const command = p.command || this.last.get(p.pid)?.command || '';
      this.last.set(p.pid, { ...p, command });
    }
  }

  /**
   * Seconds of CPU per role. `role` says what a process is (its parent's last reading given, when there was one) and
   * whether its own time counts, its reaped children's time, or both: a process whose children are short-lived
   * (a fork server's workers) is best counted by what it reaped, the children themselves not at all.
   */
  stop(role: (p: ProcessCpu, parent: ProcessCpu | undefined) => { role: string; self: boolean; reaped: boolean }): Map<string, number> {
    clearInterval(this.timer);
    this.sample();
    const totals = new Map<string, number>();
    for (const p of this.last.values()) {
      const r = role(p, this.last.get(p.ppid));
      const seconds = (r.self ? p.selfSeconds : 0) + (r.reaped ? p.reapedSeconds : 0);
      totals.set(r.role, (totals.get(r.role) ?? 0) + seconds);
    }
    return totals;
  }
}
