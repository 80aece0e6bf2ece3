#!/usr/bin/env bash
# Regenerate the dependency locks in requirements/ (developers only; see DEVELOPERS.md, « Locked installs »).
#   ./scripts/lock.sh                          keep every locked version that still fits pyproject.toml
#   ./scripts/lock.sh --upgrade                newest versions of everything
#   ./scripts/lock.sh --upgrade-package NAME   newest version of one package (repeatable)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .cache/pip-tools/bin/pip-compile ]; then
  python3 -m venv .cache/pip-tools
  .cache/pip-tools/bin/python -m pip install --quiet --require-hashes -r requirements/pip-tools.txt
fi
python3 scripts/lock_inputs.py
compile() {
  .cache/pip-tools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
    --no-emit-index-url --no-emit-find-links "$@"
}
compile "$@" --output-file=requirements/runtime.txt requirements/runtime.in
compile "$@" --output-file=requirements/test.txt requirements/test.in
compile --output-file=requirements/pip-tools.txt requirements/pip-tools.in
compile --output-file=requirements/compat/pyyaml-6.0.3.txt requirements/compat/pyyaml-6.0.3.in
