"""Validation time for synthetic datasets (targets on the 2-core reference machine:
3,000 lieux under 3 s, 30,000 under 30 s). Prints the figures; asserts nothing.

    .venv/bin/python benchmarks/validate.py [3000 30000 ...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from build_tools.loader import load_dataset
from build_tools.synthetic import generate

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {3000: 3.0, 30000: 30.0}


def main(sizes: list[int]) -> None:
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data"
            generate(ROOT / "data", data, size)
            start = time.perf_counter()
            dataset, report = load_dataset(data)
            elapsed = time.perf_counter() - start
            assert dataset is not None and not report.errors, report.errors[:3]
            target = TARGETS.get(size)
            verdict = (
                ""
                if target is None
                else f" (objectif < {target:.0f} s : {'atteint' if elapsed < target else 'MANQUÉ'})"
            )
            print(f"validation de {size:>6} lieux : {elapsed:6.2f} s, {elapsed / size * 1000:.3f} ms par lieu{verdict}")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [3000, 30000])
