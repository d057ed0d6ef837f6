import * as fs from 'fs';

/** Resident memory of a process in MB, from VmRSS in /proc/<pid>/status (in kB whatever the page size); 0 once it is gone. */
export function residentMb(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? 0 : Number(kb) / 1024;
  } catch {
    return 0;
  }
}
