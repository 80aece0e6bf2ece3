"""Build time, site size and peak memory for the demo data and for synthetic datasets.

Each build runs ``spro build`` in a child process (peak memory is its maximum resident set
size). Targets on the 2-core reference machine at 3,000 lieux: under 30 s and 100 MB of site.

    .venv/bin/python benchmarks/build.py [3000 ...]
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from site_helpers import project_copy  # noqa: E402

from build_tools.synthetic import generate  # noqa: E402


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure(project: Path) -> tuple[float, int, int, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "build_tools.cli", "build"],
        cwd=project,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    site = project / "site"
    return elapsed, size_of(site), max(peak_kib, before), sum(1 for _ in site.rglob("*.html"))


def report(label: str, figures, target_seconds=None, target_mb=None) -> None:
    elapsed, size, peak_kib, pages = figures
    line = f"{label:<28} {elapsed:6.1f} s  {size / 1e6:7.1f} Mo  mémoire max {peak_kib / 1024:6.0f} Mio  {pages} pages HTML"
    if target_seconds:
        ok = elapsed < target_seconds and size / 1e6 < target_mb
        line += f"  (objectif < {target_seconds} s et < {target_mb} Mo : {'atteint' if ok else 'MANQUÉ'})"
    print(line)


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report("données de démonstration", measure(project_copy(Path(tmp) / "demo")))
        for size in sizes:
            project = project_copy(Path(tmp) / f"synth-{size}", with_lieux=False)
            shutil.rmtree(project / "data")
            generate(ROOT / "data", project / "data", size)
            report(
                f"{size} lieux synthétiques",
                measure(project),
                30 if size == 3000 else None,
                100 if size == 3000 else None,
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [3000])
