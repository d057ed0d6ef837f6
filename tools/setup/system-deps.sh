#!/usr/bin/env bash
# Installs what DecayLab needs outside npm: bubblewrap (the grader's sandbox), redis-server (the grading service's
# queue), chromium (browser tests) and strace (a grader test) from Debian, and Jupyter with nbclient (to execute the
# chapters) into a project-local virtual environment at .venv/.
# Idempotent: a second run only checks. Run as root (apt-get) or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf '[setup] %s\n' "$*" >&2; }

# apt_package <command> <package>: installs the Debian package unless its command is already on PATH.
apt_package() {
  command -v "$1" >/dev/null 2>&1 && return 0
  say "installing $2 (apt-get)"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >/dev/null
}

apt_package bwrap bubblewrap
say "bubblewrap: $(bwrap --version)"
# The grading service's queue (decaylab serve / worker) and its tests run on Debian's redis-server (7.x).
apt_package redis-server redis-server
say "redis: $(redis-server --version | cut -d' ' -f1-3)"
# Headless Chromium for the browser tests (class report, course website), driven by puppeteer-core, which downloads none.
apt_package chromium chromium
say "chromium: $(chromium --version 2>/dev/null | head -1)"
# strace: the grader's durability test reads the order of its syncs and renames from the system calls.
apt_package strace strace
say "strace: $(strace -V | head -1)"
# The grader's sandbox needs user namespaces; some distributions (Ubuntu 24.04+) restrict them through AppArmor.
if ! bwrap --unshare-all --ro-bind / / true >/dev/null 2>&1; then
  say "error: bubblewrap cannot create a sandbox here (user namespaces are disabled or restricted)."
  say "  On Ubuntu 24.04+: sysctl -w kernel.apparmor_restrict_unprivileged_userns=0; elsewhere: sysctl -w kernel.unprivileged_userns_clone=1"
  exit 1
fi

bash tools/setup/python-env.sh .venv tools/setup/jupyter-requirements.txt nbclient ipykernel numpy
say "python: $(.venv/bin/python -c 'import nbclient, numpy, sys; print(sys.version.split()[0], "nbclient", nbclient.__version__, "numpy", numpy.__version__)')"
