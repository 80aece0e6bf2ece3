"""The fuzz properties of tests/test_fuzz.py on many more inputs, with a new random seed each run.

    .venv/bin/python benchmarks/fuzz.py [EXAMPLES]     (default 5000 per property)

Prints what pytest prints; a failure shows the smallest input Hypothesis found.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    examples = sys.argv[1] if len(sys.argv) > 1 else "5000"
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_fuzz.py",
            "--hypothesis-show-statistics",
        ],
        cwd=ROOT,
        env={**os.environ, "SPRO_FUZZ_EXAMPLES": examples},
    )
    print(f"{examples} exemples par propriété, {time.perf_counter() - started:.0f} s.")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
