"""Scale: 3,000 and 30,000 synthetic lieux, and a plain MkDocs + Material baseline.

For each size: validation time, build time (``spro build``: pages, maps, exports, Pagefind, CSP),
peak memory of the build, site size, finder index size. Then the build of 3,000 equivalent
hand-written Markdown pages with plain MkDocs + Material (same theme, explicit nav), and the ratio.
Targets: 30,000 built in under 3 minutes and 2 GB; ratio at 3,000 at most 2. This machine's timings
vary by up to 25 % between identical runs, so the 3,000 comparison takes the best of three builds
on each side.

    .venv/bin/python benchmarks/scale.py [3000 30000]
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from site_helpers import project_copy  # noqa: E402

from build_tools.geocache import CACHE_FILE_NAME  # noqa: E402
from build_tools.loader import load_dataset  # noqa: E402
from build_tools.synthetic import generate  # noqa: E402

PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, "
    "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


REPEATS_FOR_RATIO = 3


def timed_build(command: list[str], cwd: Path, repeats: int = 1) -> tuple[float, float]:
    """(best seconds of ``repeats`` builds, peak resident memory in MiB of the build and its children)."""
    timings, peaks = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", PEAK, *command],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        timings.append(time.perf_counter() - start)
        peaks.append(int(result.stdout.strip()) / 1024)
    return min(timings), max(peaks)


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def ours(tmp: Path, count: int) -> float:
    project = project_copy(tmp / f"ours-{count}", with_lieux=False)
    shutil.rmtree(project / "data")
    generate(ROOT / "data", project / "data", count)
    shutil.copy(ROOT / "data" / CACHE_FILE_NAME, project / "data" / CACHE_FILE_NAME)
    start = time.perf_counter()
    _, report = load_dataset(project / "data")
    validate = time.perf_counter() - start
    assert not report.errors
    repeats = REPEATS_FOR_RATIO if count == 3000 else 1
    seconds, peak = timed_build([sys.executable, "-m", "build_tools.cli", "build"], project, repeats)
    site = project / "site"
    index = site / "trouver" / "index.json"
    print(
        f"{count:>6} lieux : validation {validate:5.1f} s ; construction {seconds:6.1f} s ; mémoire max {peak:6.0f} Mio ; "
        f"site {size_mb(site):7.1f} Mo ; index de recherche {index.stat().st_size / 1e6:.2f} Mo "
        f"({len(gzip.compress(index.read_bytes())) / 1e6:.2f} Mo gzip) ; recherche du site en "
        f"{len(list(site.glob('pagefind*')))} lot(s)"
    )
    if count == 30000:
        ok = seconds < 180 and peak < 2048
        print(f"        objectif 30 000 : < 180 s et < 2 Gio : {'atteint' if ok else 'MANQUÉ'}")
    return seconds


def plain_mkdocs(tmp: Path, count: int) -> float:
    """The same number of hand-written pages, with plain MkDocs + Material (default plugins) and an explicit nav."""
    project = tmp / f"plain-{count}"
    docs = project / "docs"
    (docs / "lieux").mkdir(parents=True)
    (docs / "index.md").write_text("# Accueil\n\nAnnuaire.\n", encoding="utf-8")
    for index in range(count):
        (docs / "lieux" / f"lieu-{index:06d}.md").write_text(
            f"""# Lieu n° {index}

Mission locale · Bassin de Poitiers

## Adresse

{index} rue de la République
86000 Poitiers

## Contact

- Téléphone : [05 36 49 00 00](tel:+33536490000)
- Courriel : [accueil@exemple.fr](mailto:accueil@exemple.fr)

## Horaires

| Jour | Horaires |
| --- | --- |
| Lundi | 9 h – 12 h 30, 13 h 30 – 17 h |
| Mardi | 9 h – 12 h 30, 13 h 30 – 17 h |
| Mercredi | 9 h – 12 h 30, 13 h 30 – 17 h |
| Jeudi | 9 h – 12 h 30, 13 h 30 – 17 h |
| Vendredi | 9 h – 12 h 30, 13 h 30 – 17 h |

## Services

- Accueil personnalisé et individualisé
- Conseil en évolution professionnelle

Vérifié le 1er octobre 2026.
""",
            encoding="utf-8",
        )
    # Out-of-the-box MkDocs + Material: its default search plugin included (our build indexes search too).
    (project / "mkdocs.yml").write_text(
        "site_name: Comparaison\ntheme:\n  name: material\n  language: fr\n  font: false\n"
        "nav:\n  - Accueil: index.md\n",
        encoding="utf-8",
    )
    seconds, peak = timed_build([sys.executable, "-m", "mkdocs", "build", "-q"], project, REPEATS_FOR_RATIO)
    print(
        f"MkDocs + Material seul, {count} pages écrites à la main : {seconds:6.1f} s ; mémoire max {peak:6.0f} Mio ; "
        f"site {size_mb(project / 'site'):7.1f} Mo"
    )
    return seconds


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        timings = {size: ours(Path(tmp), size) for size in sizes}
        if 3000 in timings:
            baseline = plain_mkdocs(Path(tmp), 3000)
            ratio = timings[3000] / baseline
            print(f"rapport à 3 000 : {ratio:.2f} (objectif ≤ 2 : {'atteint' if ratio <= 2 else 'MANQUÉ'})")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [3000, 30000])
