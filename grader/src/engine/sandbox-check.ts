import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GraderFault } from '../core/errors';
import type { GradingLimits } from '../core/limits';
import { firstUntraversable, nodeModulesDir, sandboxCommand } from '../sandbox/bwrap-command';
import { Confinement, CONFINEMENT_ENV, confinementInForce, openToOthers, type ConfinementChoice } from '../sandbox/confinement';
import { toolPath } from '../sandbox/tool-path';

// Before any student is graded: without a working sandbox every student would get 0 for the grader's own problem,
// so the engine refuses to start instead, naming what is missing or unreachable and what to change. It also settles
// the confinement (./sandbox/confinement.ts) its lanes use.

export function checkSandbox(harnessDir: string, limits: GradingLimits): ConfinementChoice {
  let c: ConfinementChoice;
  try {
    c = confinementInForce();
  } catch (e) {
    throw new GraderFault((e as Error).message);
  }
  // The lanes inherit the environment: they confine their zygotes the same way without probing again.
  process.env[CONFINEMENT_ENV] = c.confinement;
  // Looked up on PATH, not run: the sandbox's start below runs the ones it uses, and one that is there but broken
  // fails that start in its own words.
  const tools: [string, string][] = [
    ['prlimit', 'install util-linux'],
    ['setpriv', 'install util-linux'],
  ];
  if (c.confinement === Confinement.Namespaces) tools.unshift(['bwrap', 'install bubblewrap (tools/setup/system-deps.sh does)']);
  for (const [tool, fix] of tools) {
    if (!toolPath(tool)) throw new GraderFault(`${tool} is not available (not found on PATH); ${fix}`);
  }
  if (c.confinement === Confinement.UnprivilegedUser) {
    if (process.getuid?.() !== 0) {
      throw new GraderFault(`the sandbox cannot start here: ${c.why}; without user namespaces only root can give it a uid of its own`);
    }
    const open = openToOthers(privateDirs());
    if (open.length > 0) {
      throw new GraderFault(`without user namespaces (${c.why}) the sandbox could read ${open.join(', ')}: close them to other users (chmod 700) first`);
    }
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
  let cmd: { file: string; args: string[]; env?: NodeJS.ProcessEnv };
  try {
    cmd = sandboxCommand(harnessDir, harnessDir, limits, ['/bin/true']);
  } catch (e) {
    throw new GraderFault((e as Error).message);
  }
  const r = spawnSync(cmd.file, cmd.args, { env: cmd.env, encoding: 'utf8' });
  if (r.status !== 0) {
    const said = (r.error?.message ?? r.stderr.trim()) || `exit ${r.status}`;
    throw new GraderFault(
      `the sandbox does not start here (${cmd.file} said: ${said}). If bubblewrap cannot create namespaces, enable unprivileged user namespaces ` +
        '(sysctl kernel.unprivileged_userns_clone=1, and on Ubuntu 24.04+ kernel.apparmor_restrict_unprivileged_userns=0)',
    );
  }
  return c;
}

/** The hidden tests and the reference: no student's code may read them. */
function privateDirs(): string[] {
  const grader = path.resolve(__dirname, '..', '..');
  const solutions = path.dirname(require.resolve('@decaylab/solutions/package.json'));
  return [grader, solutions, path.join(nodeModulesDir(), '@decaylab')];
}
