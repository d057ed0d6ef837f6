#!/usr/bin/env bash
# Installs what DecayLab needs outside npm: bubblewrap (the grader's sandbox) and chromium (browser tests) from Debian,
# and Jupyter with nbclient (to execute the chapters) into a project-local virtual environment at .venv/.
# Idempotent: a second run only checks. Run as root (apt-get) or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf '[setup] %s\n' "$*" >&2; }

if ! command -v bwrap >/dev/null 2>&1; then
  say "installing bubblewrap (apt-get)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq bubblewrap >/dev/null
fi
say "bubblewrap: $(bwrap --version)"
# Headless Chromium for the browser tests (the grader's class report), driven by puppeteer-core, which downloads none.
if ! command -v chromium >/dev/null 2>&1; then
  say "installing chromium (apt-get)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
say "chromium: $(chromium --version 2>/dev/null | head -1)"
# The grader's sandbox needs user namespaces; some distributions (Ubuntu 24.04+) restrict them through AppArmor.
if ! bwrap --unshare-all --ro-bind / / true >/dev/null 2>&1; then
  say "error: bubblewrap cannot create a sandbox here (user namespaces are disabled or restricted)."
  say "  On Ubuntu 24.04+: sysctl -w kernel.apparmor_restrict_unprivileged_userns=0; elsewhere: sysctl -w kernel.unprivileged_userns_clone=1"
  exit 1
fi

PY_PKGS=(jupyter==1.1.1 nbclient==0.11.0 nbconvert==7.17.1 ipykernel==7.4.0 numpy==2.4.6)
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import nbclient, ipykernel, numpy' >/dev/null 2>&1; then
  say "creating .venv with Jupyter, nbclient and numpy (pip)"
  python3 -m venv .venv
  # Where the public index is unreachable and a local one is configured, pip's default back-off on the public index
  # costs ~8 s a package (13 minutes for Jupyter); no retries make that a fast failure and pip uses the local index.
  PIP_RETRIES="${PIP_RETRIES:-0}" PIP_TIMEOUT="${PIP_TIMEOUT:-5}" .venv/bin/pip install --disable-pip-version-check -q "${PY_PKGS[@]}" 2>&1 | grep -v -i "warning\|retrying" >&2 || true
  .venv/bin/python -c 'import nbclient, ipykernel, numpy' || { say "error: pip could not install ${PY_PKGS[*]} into .venv"; exit 1; }
fi
say "python: $(.venv/bin/python -c 'import nbclient, numpy, sys; print(sys.version.split()[0], "nbclient", nbclient.__version__, "numpy", numpy.__version__)')"
