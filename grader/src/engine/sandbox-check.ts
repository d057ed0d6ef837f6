import { spawnSync } from 'child_process';
import { GraderFault } from '../core/errors';
import type { GradingLimits } from '../core/limits';
import { sandboxCommand } from '../sandbox/bwrap-command';

// Before any student is graded: without a working sandbox every student would get 0 for the grader's own problem,
// so the engine refuses to start instead, saying what is missing.

export function checkSandbox(harnessDir: string, limits: GradingLimits): void {
  for (const [tool, args, fix] of [
    ['bwrap', ['--version'], 'install bubblewrap (tools/setup/system-deps.sh does)'],
    ['prlimit', ['--version'], 'install util-linux'],
    ['setpriv', ['--version'], 'install util-linux'],
  ] as const) {
    const r = spawnSync(tool, args, { stdio: 'ignore' });
    if (r.error || r.status !== 0) throw new GraderFault(`${tool} is not available (${r.error?.message ?? `exit ${r.status}`}); ${fix}`);
  }
  const cmd = sandboxCommand(harnessDir, harnessDir, limits, ['/bin/true']);
  const r = spawnSync(cmd.file, cmd.args, { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new GraderFault(
      `the sandbox does not start here (${(r.error?.message ?? r.stderr.trim()) || `exit ${r.status}`}); bubblewrap needs unprivileged user namespaces ` +
        '(sysctl kernel.unprivileged_userns_clone=1, and on Ubuntu 24.04+ kernel.apparmor_restrict_unprivileged_userns=0)',
    );
  }
}
