#!/usr/bin/env bash
# Install the project into .venv from the lock: exact versions, checked against their hashes.
#   scripts/install.sh runtime   what spro needs (requirements/runtime.txt)
#   scripts/install.sh test      the same plus the test tools (requirements/test.txt)
# The venv is rebuilt from scratch when the lock changes, so nothing outside the lock stays in it.
# pip itself is the one Python's venv ships (never an unpinned « pip install --upgrade pip »).
set -euo pipefail
cd "$(dirname "$0")/.."
want="$1"
case "$want" in runtime|test) ;; *) echo "usage: scripts/install.sh runtime|test" >&2; exit 2 ;; esac
stamp=.venv/installed-lock
stamp_of() { echo "$1 $(sha256sum "requirements/$1.txt" | cut -d' ' -f1)"; }
have="$(cat "$stamp" 2>/dev/null || true)"
if [ "$have" = "$(stamp_of test)" ] || [ "$have" = "$(stamp_of "$want")" ]; then
  :  # already installed from this lock (test.txt holds runtime.txt's versions and more)
else
  if [ ! -x .venv/bin/python ] || [ "$have" != "$(stamp_of runtime)" ]; then
    python3 -m venv --clear .venv
  fi
  .venv/bin/python -m pip install --quiet --require-hashes -r "requirements/$want.txt"
  stamp_of "$want" > "$stamp"
fi
# The project itself, editable, built by the locked setuptools: nothing unpinned is downloaded.
.venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
