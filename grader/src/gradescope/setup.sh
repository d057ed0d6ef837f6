#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu), from the unpacked zip in
# /autograder/source. It installs Node 20 (from the npm registry) if no Node 20+ is there, the tools the grader's
# sandbox and native backend need (Ubuntu packages), bubblewrap where the image has it, and the project (npm ci, whose
# postinstall provisions libtensorflow from the tensorflow-cpu wheel and builds the addons). Every step is skipped
# when its result is already there, so a second run only checks.
set -euo pipefail
SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$SOURCE"
NODE_VERSION=20.20.2
NPM_VERSION=11.19.1
say() { printf '[decaylab setup] %s\n' "$*"; }
started=$(date +%s)

missing=()
for tool in make g++ python3 setpriv prlimit unshare; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
python3 -m pip --version >/dev/null 2>&1 || missing+=(pip)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing build tools, python3-pip and util-linux (missing: ${missing[*]})"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential python3 python3-pip util-linux ca-certificates >/dev/null
fi
if ! command -v bwrap >/dev/null 2>&1; then
  # Where the container forbids user namespaces bubblewrap cannot run anyway; the grader then confines differently.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null 2>&1 || say "bubblewrap is not installable here"
fi

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 20 ]; then
  say "installing Node $NODE_VERSION from the npm registry (node-linux-<arch>)"
  command -v npm >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) say "no Node build for $(uname -m)"; exit 1 ;; esac
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  mkdir -p "$tmp/node" "$tmp/npm" /usr/local/lib/node_modules
  tar -xzf "$tmp"/node-linux-*.tgz -C "$tmp/node"
  tar -xzf "$tmp"/npm-*.tgz -C "$tmp/npm"
  install -m 755 "$tmp/node/package/bin/node" /usr/local/bin/node
  rm -rf /usr/local/lib/node_modules/npm && mv "$tmp/npm/package" /usr/local/lib/node_modules/npm
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
  rm -rf "$tmp"
  hash -r
fi
say "node $(node --version), npm $(npm --version)"

# npm ci again only when the lockfile changed since the last successful install.
stamp=node_modules/.decaylab-setup
want="$(sha256sum package-lock.json | cut -d' ' -f1) node $(node --version)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "npm ci (provisions libtensorflow from the tensorflow-cpu wheel and builds the addons)"
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --prefer-offline
  # Loads the native backend once: a broken install fails the image build, not the first student.
  node "$SOURCE/grader/bin/decaylab.js" --version
  echo "$want" > "$stamp"
fi

# Student code runs as other uids: the hidden tests and the reference are closed to them, node_modules is not.
chmod 711 "$SOURCE"
chmod 700 "$SOURCE/grader" "$SOURCE/solutions" "$SOURCE/node_modules/@decaylab"
say "ready in $(( $(date +%s) - started )) s"
