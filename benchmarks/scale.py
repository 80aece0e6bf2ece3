"""Build speed and size at scale, on records as rich as the real ones, against plain Material in the same run.

The lieux are copies of the demo's own lieux (their hours, closures, descriptions, contacts, services, label),
moved to other communes with new addresses and positions (``spro synthetique``, build_tools/synthetic.py); the
figures of the two datasets are printed side by side first. Then, at 3,000 lieux, three interleaved rounds of:
``spro build`` (MkDocs + Material), ``spro build --rendu zensical``, and plain MkDocs + Material building 3,000
short hand-written pages (its default configuration, one page per lieu); each side's best of the three, and the
ratios (targets: at most 1.0 for one renderer, at most 1.5 for MkDocs). These full builds each start from an
empty page cache (build_tools/page_cache.py). Then the refresh after one lieu changes (target: under 2 s), each
build reusing the previous one's pages, by ``spro build`` and by ``mkdocs serve`` (the live preview), and 30,000
lieux (targets: under 90 s and 1 GiB, the same bytes from two builds from an empty cache, and from a third that
reuses the second's pages).

    .venv/bin/python benchmarks/scale.py [--rapide]     (--rapide: 3,000 only, one round)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import yaml  # noqa: E402
from site_helpers import project_copy  # noqa: E402

from build_tools.loader import load_dataset  # noqa: E402
from build_tools.synthetic import generate, profile  # noqa: E402

PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
ENVIRONMENT = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1795219200"}
CACHES = Path(tempfile.mkdtemp(prefix="spro-bench-caches-"))


def environment(cache: Path | None) -> dict[str, str]:
    """The builds' environment, with its page cache: ``cache`` (kept from one build to the next), else a new empty
    one (a full build)."""
    return {**ENVIRONMENT, "SPRO_CACHE_DIR": str(cache or tempfile.mkdtemp(dir=CACHES))}


def timed(command: list[str], cwd: Path, cache: Path | None = None) -> tuple[float, float, str]:
    """(seconds, peak resident memory in MiB of the command and its children, what it printed on stderr)."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", PEAK, *command], cwd=cwd, capture_output=True, text=True, env=environment(cache)
    )
    if result.returncode != 0:
        raise SystemExit(f"échec de {' '.join(command)} :\n{result.stderr[-3000:]}")
    return time.perf_counter() - start, int(result.stdout.strip()) / 1024, result.stderr


def reused(said: str) -> str:
    """What spro build said of the pages it reused (« 2990/3095 »), or « 0 »."""
    found = re.search(r"Pages de l'annuaire : (\d+) sur (\d+) reprises", said)
    return f"{found[1]}/{found[2]}" if found else "0"


def tree_memory_peak(command: list[str], cwd: Path, cache: Path | None = None) -> tuple[float, float]:
    """(seconds, peak in MiB of the memory of the command and all its descendants together): their proportional
    set sizes (PSS, shared pages counted once across processes) summed, sampled every 0.1 s. The build forks a
    second process that shares most of its memory with the first: the largest process alone would tell too
    little, and adding their resident sizes would count the shared pages twice."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=environment(cache), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, sum(_pss_kib(pid) for pid in _process_tree(process.pid)))
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"échec de {' '.join(command)} :\n{process.stderr.read()[-3000:]}")
    return seconds, peak / 1024


def _process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(child) for child in children.read_text().split()]
            except OSError:
                pass
    return tree


def _pss_kib(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:  # (ended meanwhile)
        return 0
    return next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)


def spro_build(*options: str) -> list[str]:
    return [sys.executable, "-m", "build_tools.cli", "build", *options]


def project_with(tmp: Path, name: str, count: int) -> Path:
    project = project_copy(tmp / name, with_lieux=False)
    shutil.rmtree(project / "data")
    generate(ROOT / "data", project / "data", count)
    return project


def plain_material(tmp: Path, count: int) -> Path:
    """The same number of hand-written pages, plain MkDocs + Material (its default plugins)."""
    project = tmp / f"material-{count}"
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
    (project / "mkdocs.yml").write_text(
        "site_name: Comparaison\ntheme:\n  name: material\n  language: fr\n  font: false\n"
        "nav:\n  - Accueil: index.md\n",
        encoding="utf-8",
    )
    return project


def digest(site: Path) -> str:
    """One hash of every file of a site, its path included."""
    total = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        total.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes())
    return total.hexdigest()


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def compare_data(tmp: Path) -> None:
    real, _ = load_dataset(ROOT / "data")
    made, _ = load_dataset(project_with(tmp, "profil", 3000) / "data")
    print(f"{'':30} {'démonstration':>14} {'synthétique 3 000':>18}")
    for (label, value), other in zip(profile(real).items(), profile(made).values()):
        print(f"{label:30} {value:14} {other:18}")


def at_3000(tmp: Path, rounds: int) -> None:
    ours = project_with(tmp, "ours-3000", 3000)
    material = plain_material(tmp, 3000)
    runs = {
        "spro build (MkDocs + Material)": (spro_build("--site-dir", "site-mkdocs"), ours),
        "spro build --rendu zensical": (spro_build("--rendu", "zensical", "--site-dir", "site-zensical"), ours),
        "MkDocs + Material seul": ([sys.executable, "-m", "mkdocs", "build", "-q"], material),
    }
    best = {label: float("inf") for label in runs}
    for _ in range(rounds):  # interleaved: each round builds every side once
        for label, (command, cwd) in runs.items():
            best[label] = min(best[label], timed(command, cwd)[0])
    baseline = best["MkDocs + Material seul"]
    print(f"\n3 000 lieux, meilleur de {rounds} construction(s) alternées :")
    for label, seconds in best.items():
        print(f"  {label:32} {seconds:6.1f} s   rapport {seconds / baseline:4.2f}")
    mkdocs, zensical = best["spro build (MkDocs + Material)"] / baseline, best["spro build --rendu zensical"] / baseline
    print(
        f"  objectif MkDocs ≤ 1,5 : {'atteint' if mkdocs <= 1.5 else 'MANQUÉ'} ; "
        f"un rendu ≤ 1,0 : {'atteint' if min(mkdocs, zensical) <= 1.0 else 'MANQUÉ'}"
    )
    refresh(ours)


def refresh(project: Path) -> None:
    """One lieu changes (its hours, then its name), then one is added: ``spro build`` again after each, reusing the
    pages of the build before."""
    lieux = project / "data" / "lieux"
    cache = Path(tempfile.mkdtemp(dir=CACHES))
    record = yaml.safe_load((lieux / "lieu-001500.yaml").read_text(encoding="utf-8"))

    def write(name: str, **changes) -> None:
        (lieux / name).write_text(yaml.safe_dump({**record, **changes}, allow_unicode=True, sort_keys=False))

    edits = [
        ("horaires d'un lieu", lambda: write("lieu-001500.yaml", horaires="Mo-Fr 10:00-16:00; PH off")),
        ("nom d'un lieu", lambda: write("lieu-001500.yaml", nom="Nouveau nom du lieu")),
        ("un lieu de plus", lambda: write("lieu-999999.yaml", adresse={**record["adresse"], "voie": "999 rue Neuve"})),
    ]
    print("\nAprès une modification (3 000 lieux), spro build (pages reprises de la construction précédente) :")
    seconds, _, _ = timed(spro_build("--site-dir", "site-mkdocs"), project, cache)
    print(f"  {'première (cache vide)':32} {seconds:6.2f} s")
    timings = []
    for label, edit in edits:
        edit()
        seconds, _, said = timed(spro_build("--site-dir", "site-mkdocs"), project, cache)
        timings.append(seconds)
        print(f"  {label:32} {seconds:6.2f} s   pages reprises {reused(said)}")
    print(f"  objectif < 2 s : {'atteint' if max(timings) < 2 else 'MANQUÉ'}")
    live_preview(project, cache, write)


def live_preview(project: Path, cache: Path, write) -> None:
    """The same edit under ``mkdocs serve`` (the partners' live preview): from the file saved to MkDocs' « Documentation
    built », as it prints it (its own figure is the build alone, without noticing the change)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", "127.0.0.1:0"],
        cwd=project,
        env=environment(cache),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = iter(server.stdout)

    def printed(pattern: str) -> tuple[float, re.Match]:
        for line in lines:
            found = re.search(pattern, line)
            if found:
                return time.perf_counter(), found
        raise SystemExit("mkdocs serve s'est arrêté")

    def built() -> tuple[float, float]:
        when, found = printed(r"Documentation built in ([\d.]+) seconds")
        return when, float(found[1])

    try:
        _, first = built()
        printed("Serving on")  # (it watches the files from then on)
        print(f"\nmkdocs serve (aperçu en direct, 3 000 lieux) : première construction {first:6.2f} s")
        for label, hours in (("horaires d'un lieu", "Mo-Fr 08:30-16:00; PH off"), ("de nouveau", "Mo-Fr 09:00-16:00")):
            saved = time.perf_counter()
            write("lieu-001500.yaml", horaires=hours)
            ready, own = built()
            print(f"  {label:32} {ready - saved:6.2f} s de l'enregistrement à la page prête ({own:.2f} s selon MkDocs)")
    finally:
        server.send_signal(signal.SIGINT)  # (Ctrl-C: MkDocs removes its temporary folders)
        server.wait()


def at_30000(tmp: Path) -> None:
    project = project_with(tmp, "ours-30000", 30000)
    seconds, largest, _ = timed(spro_build("--site-dir", "site-1"), project)
    first = digest(project / "site-1")
    size = size_mb(project / "site-1")
    shutil.rmtree(project / "site-1")
    cache = Path(tempfile.mkdtemp(dir=CACHES))
    again, together = tree_memory_peak(spro_build("--site-dir", "site-2"), project, cache)
    same = digest(project / "site-2") == first
    shutil.rmtree(project / "site-2")
    reusing, _, _ = timed(spro_build("--site-dir", "site-3"), project, cache)
    same = same and digest(project / "site-3") == first
    print(
        f"\n30 000 lieux : {seconds:6.1f} s (puis {again:6.1f} s ; {reusing:6.1f} s en reprenant les pages de la "
        f"précédente) ; mémoire max {together:6.0f} Mio pour tous les processus ensemble (PSS), {largest:6.0f} Mio "
        f"pour le plus gros seul ; site {size:7.1f} Mo ; trois constructions {'identiques' if same else 'DIFFÉRENTES'}"
    )
    ok = min(seconds, again) < 90 and together < 1024 and same
    print(f"  objectif < 90 s, < 1 Gio, identiques : {'atteint' if ok else 'MANQUÉ'}")


def main(quick: bool) -> None:
    with tempfile.TemporaryDirectory() as folder, _removed(CACHES):
        tmp = Path(folder)
        compare_data(tmp)
        at_3000(tmp, 1 if quick else 3)
        if not quick:
            at_30000(tmp)


@contextlib.contextmanager
def _removed(folder: Path):
    try:
        yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main("--rapide" in sys.argv[1:])
