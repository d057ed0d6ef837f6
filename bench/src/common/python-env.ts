import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const BENCH_ROOT = path.resolve(__dirname, '..', '..');
const VENV = path.join(BENCH_ROOT, '.venv');
const REQUIREMENTS = path.join(BENCH_ROOT, 'python', 'requirements.txt');
/** The repository's one way of creating a virtual environment (also used by tools/setup/system-deps.sh). */
const CREATE_ENV = path.join(BENCH_ROOT, '..', 'tools', 'setup', 'python-env.sh');

export type PythonEnv = { python: string; versions: string } | { python: null; reason: string };

/**
 * The Python peers run in bench/.venv. With `install`, a missing venv or package is created / pip-installed from
 * python/requirements.txt by tools/setup/python-env.sh; otherwise the caller skips the peer with `reason`.
 */
export function pythonEnv(modules: string[], install: boolean): PythonEnv {
  const python = path.join(VENV, 'bin', 'python');
  const probe = () => importable(python, modules);
  let found = fs.existsSync(python) ? probe() : { ok: false, detail: `no virtual environment at ${VENV}` };
  if (!found.ok && install) {
    const r = spawnSync('bash', [CREATE_ENV, VENV, REQUIREMENTS, ...modules], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 20 * 60_000 });
    if (r.status !== 0) return { python: null, reason: `tools/setup/python-env.sh failed (exit ${r.status ?? r.signal ?? r.error?.message})` };
    found = probe();
  }
  if (!found.ok) {
    const how = install ? '' : ' (a run without --quick creates it from bench/python/requirements.txt)';
    return { python: null, reason: `${found.detail}${how}` };
  }
  return { python, versions: found.detail };
}

function importable(python: string, modules: string[]): { ok: boolean; detail: string } {
  const code = `import sys, importlib\nprint(' '.join(m + ' ' + importlib.import_module(m).__version__ for m in sys.argv[1:]))`;
  const r = spawnSync(python, ['-c', code, ...modules], { encoding: 'utf8' });
  if (r.status === 0) return { ok: true, detail: `Python ${pythonVersion(python)}, ${r.stdout.trim()}` };
  const last = (r.stderr || String(r.error ?? '')).trim().split('\n').pop() ?? 'unknown error';
  return { ok: false, detail: `cannot import ${modules.join(', ')} in ${python}: ${last}` };
}

function pythonVersion(python: string): string {
  return spawnSync(python, ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).stdout.trim();
}

/** Runs a script from bench/python and parses the JSON object it prints as its last stdout line. */
export function runPythonJson<T>(python: string, script: string, args: string[]): T {
  const file = path.join(BENCH_ROOT, 'python', script);
  // OpenMP's default spin-waiting workers stall ~8 ms per parallel region when the parent's threads share the two
  // cores (measured: fused AdamW at 1e3 params 8 ms vs 0.04 ms); passive waiting removes that artefact.
  const env = { ...process.env, OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE' };
  const r = spawnSync(python, [file, ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, stdio: ['ignore', 'pipe', 'inherit'], env });
  if (r.status !== 0) throw new Error(`${script} exited with ${r.status ?? r.signal}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}
