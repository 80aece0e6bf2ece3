"""Reading the commune gazetteer, and the size of the basin outlines (targets: reading data/communes.csv and
data/communes-deleguees.csv well under 0.1 s; each outline at most 200 KiB). Prints; asserts nothing.

    .venv/bin/python benchmarks/gazetteer.py
"""

from __future__ import annotations

import time
from pathlib import Path

from build_tools.gazetteer import Gazetteer, read_gazetteer
from build_tools.loader import load_dataset

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    files, problems = read_gazetteer(DATA, str, None, None)
    assert files is not None, problems
    elapsed = best_of(20, lambda: read_gazetteer(DATA, str, None, None))
    print(
        f"lecture du répertoire : {len(files.communes)} communes, {len(files.deleguees)} communes déléguées ou "
        f"associées en {elapsed * 1000:.1f} ms (objectif < 100 ms : {'atteint' if elapsed < 0.1 else 'MANQUÉ'})"
    )
    gazetteer = Gazetteer(files.communes, files.deleguees)
    elapsed = best_of(20, lambda: Gazetteer(files.communes, files.deleguees).resolve("st jean d angely", "17400"))
    print(
        f"première recherche par nom (index compris) : {elapsed * 1000:.1f} ms ; "
        f"{gazetteer.resolve('st jean d angely', '17400').commune.nom}"
    )
    elapsed = best_of(5, lambda: load_dataset(DATA))
    print(f"validation de toute la démo : {elapsed:.2f} s")
    sizes = {path.stem: path.stat().st_size for path in sorted((DATA / "bassins").glob("*.geojson"))}
    if sizes:
        print(
            f"contours des bassins : {len(sizes)} fichiers, {sum(sizes.values()) / 1024:.1f} Kio en tout, "
            f"de {min(sizes.values()) / 1024:.1f} à {max(sizes.values()) / 1024:.1f} Kio (objectif ≤ 200 Kio chacun)"
        )
        for code, size in sizes.items():
            print(f"  {code:<22} {size / 1024:6.1f} Kio")


if __name__ == "__main__":
    main()
