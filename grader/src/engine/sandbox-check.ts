import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { GraderFault } from '../core/errors';
import type { GradingLimits } from '../core/limits';
import { firstUntraversable, sandboxCommand } from '../sandbox/bwrap-command';

// Before any student is graded: without a working sandbox every student would get 0 for the grader's own problem,
// so the engine refuses to start instead, naming what is missing or unreachable and what to change.

export function checkSandbox(harnessDir: string, limits: GradingLimits): void {
  for (const [tool, args, fix] of [
    ['bwrap', ['--version'], 'install bubblewrap (tools/setup/system-deps.sh does)'],
    ['prlimit', ['--version'], 'install util-linux'],
    ['setpriv', ['--version'], 'install util-linux'],
  ] as const) {
    const r = spawnSync(tool, args, { stdio: 'ignore' });
    if (r.error || r.status !== 0) throw new GraderFault(`${tool} is not available (${r.error?.message ?? `exit ${r.status}`}); ${fix}`);
  }
  // Run as root, the sandbox runs as an unprivileged uid of its own, which must be able to reach what it is given.
  if (process.getuid?.() === 0) {
    for (const [what, p] of [
      ['the run folder (under TMPDIR)', harnessDir],
      ['node', process.execPath],
    ]) {
      const blocked = firstUntraversable(p);
      if (blocked) {
        const mode = (fs.statSync(blocked).mode & 0o777).toString(8).padStart(4, '0');
        throw new GraderFault(
          `the sandbox's unprivileged user cannot reach ${what} at ${p}: ${blocked} is mode ${mode} and lets no other user through; ` +
            `run \`chmod o+x ${blocked}\`, or ${what.startsWith('node') ? 'install node outside it' : 'point TMPDIR at a folder other users can traverse (such as /tmp)'}`,
        );
      }
    }
  }
  const cmd = sandboxCommand(harnessDir, harnessDir, limits, ['/bin/true']);
  const r = spawnSync(cmd.file, cmd.args, { encoding: 'utf8' });
  if (r.status !== 0) {
    const said = (r.error?.message ?? r.stderr.trim()) || `exit ${r.status}`;
    throw new GraderFault(
      `the sandbox does not start here (${cmd.file} said: ${said}). If bubblewrap cannot create namespaces, enable unprivileged user namespaces ` +
        '(sysctl kernel.unprivileged_userns_clone=1, and on Ubuntu 24.04+ kernel.apparmor_restrict_unprivileged_userns=0)',
    );
  }
}
