#!/usr/bin/env bash
# The one way this repository creates a Python virtual environment: tools/setup/system-deps.sh (Jupyter in .venv/)
# and bench (PyTorch and numpy in bench/.venv/) both call it.
#   usage: python-env.sh <venv folder> <requirements file> <module to import>...
# Creates the folder with `python3 -m venv` unless it holds a Python already, pip-installs the pinned requirements
# unless every module named imports, then checks that they do. On failure: one line naming the requirements file on
# stderr, exit 1.
set -euo pipefail

say() { printf '[python-env] %s\n' "$*" >&2; }

if [ "$#" -lt 3 ]; then
  say "usage: python-env.sh <venv folder> <requirements file> <module to import>..."
  exit 2
fi
venv="$1"; requirements="$2"; shift 2
if [ ! -r "$requirements" ]; then say "error: $requirements: no such requirements file"; exit 1; fi

imports() { "$venv/bin/python" -c "import sys, importlib; [importlib.import_module(m) for m in sys.argv[1:]]" "$@" >/dev/null 2>&1; }

if [ -x "$venv/bin/python" ] && imports "$@"; then exit 0; fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv" || { say "error: python3 -m venv $venv failed (is python3-venv installed?)"; exit 1; }
say "installing $requirements into $venv (pip)"
# Where the public index is unreachable and a local one is configured, pip's default back-off costs ~8 s a package
# before it falls back (13 minutes for Jupyter, minutes for PyTorch): no retries and a short timeout make that a fast
# failure. Both stay overridable for a slow but working network.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
"$venv/bin/python" -m pip install --disable-pip-version-check --quiet --retries "${PIP_RETRIES:-0}" --timeout "${PIP_TIMEOUT:-5}" \
  -r "$requirements" >"$log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  reason="$(grep -E '^ERROR' "$log" | tail -1 || true)"
  [ -n "$reason" ] || reason="$(grep -v '^[[:space:]]*$' "$log" | tail -1 || true)"
  say "error: pip could not install $requirements into $venv: ${reason:-pip exited with status $status and printed nothing}"
  exit 1
fi
imports "$@" || { say "error: after installing $requirements, $venv cannot import $*"; exit 1; }
