"""Write requirements/runtime.in and requirements/test.in from pyproject.toml.

pyproject.toml is the one place where direct dependencies are declared. pip-compile (and
Dependabot's pip-compile support, which only recognises ``.in`` files) compiles these two
derived files into the hash-locked requirements/runtime.txt and requirements/test.txt.
The build backend (``build-system.requires``) goes into runtime.in so that the editable install
(``--no-build-isolation``) gets setuptools from the lock too.

Usage: python3 scripts/lock_inputs.py          write the files
       python3 scripts/lock_inputs.py --check  exit 1 if they differ from pyproject.toml
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements"
HEADER = (
    "# Generated from pyproject.toml by scripts/lock.sh (scripts/lock_inputs.py): edit pyproject.toml, not this file.\n"
    "# Compiled with hashes into {output}; Dependabot updates both.\n"
)


def inputs(pyproject: dict) -> dict[str, str]:
    """File name in requirements/ -> content."""
    project = pyproject["project"]
    runtime = [*pyproject["build-system"]["requires"], *project["dependencies"]]
    test = project["optional-dependencies"]["test"]
    return {
        "runtime.in": HEADER.format(output="runtime.txt") + "".join(f"{r}\n" for r in runtime),
        "test.in": HEADER.format(output="test.txt")
        + "-c runtime.txt\n-r runtime.in\n"
        + "".join(f"{r}\n" for r in test),
    }


def main(argv: list[str]) -> int:
    expected = inputs(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8")))
    stale = [
        name
        for name, text in expected.items()
        if not (REQUIREMENTS / name).exists() or (REQUIREMENTS / name).read_text(encoding="utf-8") != text
    ]
    if "--check" in argv:
        for name in stale:
            print(f"requirements/{name} is out of date with pyproject.toml: run ./scripts/lock.sh", file=sys.stderr)
        return 1 if stale else 0
    for name in stale:
        (REQUIREMENTS / name).write_text(expected[name], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
