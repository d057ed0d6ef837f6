import { spawnSync } from 'child_process';
import * as fs from 'fs';

// What confines a sandbox. Where unprivileged user namespaces exist (a TA's machine, CI) bubblewrap gives the zygote
// its own mount, pid, network and user namespaces. Some containers (Gradescope's among them) forbid creating user
// namespaces; there, run as root, the sandbox still gets a uid of its own with no capabilities and no_new_privs, the
// fork server's seccomp filter in every worker, prlimit caps, and its own network namespace where root may create
// one. The grader's own folders must then be closed to other users by their permissions, since no mount namespace
// hides them: the choice is refused otherwise.

export enum Confinement {
  Namespaces = 'namespaces',
  UnprivilegedUser = 'unprivileged-user',
}

/** Forces a confinement (`namespaces` or `unprivileged-user`) instead of probing; the engine sets it for its lanes. */
export const CONFINEMENT_ENV = 'DECAYLAB_CONFINEMENT';

export type ConfinementChoice = { confinement: Confinement; network: 'own namespace' | 'host network'; why: string };

let chosen: ConfinementChoice | undefined;

/** The confinement in force in this process (probed once, or as $DECAYLAB_CONFINEMENT says). */
export function confinementInForce(): ConfinementChoice {
  chosen ??= choose();
  return chosen;
}

function choose(): ConfinementChoice {
  const forced = process.env[CONFINEMENT_ENV];
  if (forced !== undefined && !Object.values<string>(Confinement).includes(forced)) {
    throw new Error(`${CONFINEMENT_ENV}=${forced} is not one of ${Object.values(Confinement).join(', ')}`);
  }
  if (forced === Confinement.Namespaces) return { confinement: Confinement.Namespaces, network: 'own namespace', why: `${CONFINEMENT_ENV} says so` };
  const probe = forced === undefined ? namespacesWork() : { ok: false, missing: false, error: `${CONFINEMENT_ENV} says so` };
  // A missing bwrap is for the sandbox check to report (install it), not a reason to confine less.
  if (probe.ok || probe.missing)
    return { confinement: Confinement.Namespaces, network: 'own namespace', why: probe.ok ? 'user namespaces are available' : probe.error };
  return { confinement: Confinement.UnprivilegedUser, network: netNamespaceWorks() ? 'own namespace' : 'host network', why: probe.error };
}

/** bwrap's own check, as the unprivileged uid the sandbox would run as (root could create namespaces anyway). */
function namespacesWork(): { ok: boolean; missing: boolean; error: string } {
  const tools = spawnSync('sh', ['-c', 'command -v bwrap && command -v setpriv'], { stdio: 'ignore' });
  if (tools.status !== 0) return { ok: false, missing: true, error: 'bwrap or setpriv is not installed' };
  const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
  const cmd = [...asUser, 'bwrap', '--unshare-all', '--ro-bind', '/', '/', '/bin/true'];
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
  return { ok: r.status === 0, missing: false, error: (r.error?.message ?? r.stderr?.trim()) || `bwrap exited ${r.status}` };
}

function netNamespaceWorks(): boolean {
  return process.getuid?.() === 0 && spawnSync('unshare', ['--net', '/bin/true'], { stdio: 'ignore' }).status === 0;
}

/** Folders other users can read or enter (under the unprivileged-user confinement, a worker could read them). */
export function openToOthers(dirs: string[]): string[] {
  return dirs.filter((d) => fs.existsSync(d) && (fs.statSync(d).mode & 0o005) !== 0);
}

/** One line for the instructor: what isolates the students' code on this machine. */
export function describeConfinement(c: ConfinementChoice): string {
  if (c.confinement === Confinement.Namespaces) {
    return 'sandbox: bubblewrap (own user, mount, pid, network and IPC namespaces, read-only view of the system), seccomp filter per worker, uid of its own as root, prlimit caps';
  }
  const net = c.network === 'own namespace' ? 'own empty network namespace' : 'NO network isolation (this container lets root create no network namespace)';
  return `sandbox: no user namespaces here (${c.why}); each sandbox runs as a uid of its own without capabilities (setpriv, no_new_privs), seccomp filter per worker, prlimit caps, ${net}; the grader's folders are closed to other users by their permissions`;
}
