"""« Trouver un lieu » at scale: transfer sizes and keystroke-to-list latency in headless Chromium.

Builds a 3,000-lieu synthetic site; for 30,000 lieux, only the finder index is regenerated into a
copy of it. Typing is replayed one character at a time; each measure covers the input event handler
(matching, relevance, filters, counts, list rendering) and the layout it forces.

The commune gazetteer (trouver/communes.json, fetched when « Près de » is first used) is measured
for the Région's 1,338 communes and for a synthesised national one (35,000 communes, 4,000 former
names), so that a larger Région knows what to expect; « Près de » keystrokes are measured with both.

Targets: page + scripts + index < 150 KB gzipped at 3,000 lieux; gazetteer <= 40 KB gzipped at
1,338 communes; keystroke p95 < 16 ms at 3,000 lieux and < 50 ms at 30,000.

    .venv/bin/python benchmarks/finder.py
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from site_helpers import StaticServer, build, project_copy  # noqa: E402

from build_tools.finder import finder_index  # noqa: E402
from build_tools.geocache import CACHE_FILE_NAME, GeocodeCache  # noqa: E402
from build_tools.loader import load_dataset  # noqa: E402
from build_tools.model import Commune, CommuneDeleguee  # noqa: E402
from build_tools.places import gazetteer_json  # noqa: E402
from build_tools.positions import locate  # noqa: E402
from build_tools.synthetic import generate  # noqa: E402

TYPED = [
    "mission locale",
    "chatelerault",
    "poitiers cep",
    "france travail niort",
    "lieu 12",
    "creation entreprise",
    "bilan de competences",
    "valdiation des acquis",
    "handicap",
    "jeunes 16 25 ans",
]
PLACES = ["saint jean d angely", "chatel", "79120", "la rochelle", "lezai"]
NATIONAL = 35_000
GAZETTEER_TARGET = 40 * 1024


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def gz_file(path: Path) -> int:
    return gz(path.read_bytes())


def synthetic_project(tmp: Path, size: int) -> Path:
    project = project_copy(tmp / f"p{size}", with_lieux=False)
    shutil.rmtree(project / "data")
    generate(ROOT / "data", project / "data", size)
    return project


def national_gazetteer(
    communes: dict[str, Commune],
    deleguees: dict[str, CommuneDeleguee],
    count: int = NATIONAL,
    former: int = 4_000,
    seed: int = 2026,
) -> dict:
    """A France-sized gazetteer made from the Région's: real names, suffixed when reused, in 96 departments,
    postal codes shared by about three communes, positions over metropolitan France."""
    rng = random.Random(seed)
    names = [c.nom for c in communes.values()]
    suffixes = ["", "-sur-Loire", "-en-Vallée", "-le-Haut", "-la-Forêt", " (Bourg)", "-les-Bains", "-du-Bois"]
    made: dict[str, Commune] = {}
    for i in range(count):
        departement = f"{i % 95 + 1:02d}"
        code = f"{departement}{i // 95 + 1:03d}"
        postal = f"{departement}{rng.randrange(0, 1000, 10):03d}"
        name = rng.choice(names) + suffixes[(i // len(names)) % len(suffixes)]
        made[code] = Commune(
            code,
            name,
            (postal,),
            int(rng.lognormvariate(6.5, 1.3)),
            round(rng.uniform(42.3, 51.1), 5),
            round(rng.uniform(-4.8, 8.2), 5),
        )
    codes = sorted(made)
    formers = {
        f"F{i:04d}": CommuneDeleguee(
            f"F{i:04d}", rng.choice(list(deleguees.values())).nom, "deleguee", rng.choice(codes)
        )
        for i in range(former)
    }
    return gazetteer_json(made, formers)


def latencies(site: Path, field: str, typed: list[str]) -> list[float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, StaticServer(site) as server:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server.url) else r.abort())
        page.goto(server.url + "trouver/", wait_until="load")
        page.locator("#spro-statut").filter(has_text="trouvé").wait_for(timeout=60_000)
        if field == "#spro-commune":  # the communes arrive on first use: measure keystrokes once they are there
            page.focus(field)
            page.locator("#spro-trouver[data-communes-chargees]").wait_for(state="attached", timeout=60_000)
        timings = page.evaluate(
            """([field, typed]) => {
            const input = document.querySelector(field), list = document.querySelector('#spro-resultats');
            const times = [];
            for (const text of typed) {
                for (let i = 1; i <= text.length; i++) {
                    const start = performance.now();
                    input.value = text.slice(0, i);
                    input.dispatchEvent(new Event('input', {bubbles: true}));
                    list.getBoundingClientRect();  // force layout
                    times.push(performance.now() - start);
                }
                input.value = ''; input.dispatchEvent(new Event('input', {bubbles: true}));
            }
            return times;
        }""",
            [field, typed],
        )
        browser.close()
    return timings


def report(label: str, times: list[float], target: float | None) -> None:
    p95 = statistics.quantiles(times, n=20)[18]
    verdict = f" (objectif < {target:.0f} ms : {'atteint' if p95 < target else 'MANQUÉ'})" if target else ""
    print(f"{label} : {len(times)} frappes, médiane {statistics.median(times):.1f} ms, p95 {p95:.1f} ms{verdict}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = synthetic_project(Path(tmp), 3000)
        site = build(project)
        trouver = site / "trouver"
        scripts = sum(gz_file(site / f"assets/spro/{name}.js") for name in ("finder", "finder-core", "horaires"))
        own = gz_file(trouver / "index.html") + scripts + gz_file(trouver / "index.json")
        shared = sum(
            gz_file(site / p)
            for p in (
                "assets/spro/vendor/leaflet/leaflet.js",
                "assets/spro/vendor/leaflet/leaflet.css",
                "assets/spro/vendor/leaflet.markercluster/leaflet.markercluster.js",
                "assets/spro/spro.css",
            )
        )
        print(
            f"3 000 lieux : page + scripts + index = {own / 1024:.1f} Kio gzip (objectif < 150 Ko : "
            f"{'atteint' if own < 150_000 else 'MANQUÉ'}) ; index seul {gz_file(trouver / 'index.json') / 1024:.1f} Kio ; "
            f"scripts {scripts / 1024:.1f} Kio ; Leaflet et CSS partagés avec les autres pages : {shared / 1024:.1f} Kio"
        )

        region = (trouver / "communes.json").read_bytes()
        count = len(json.loads(region)["insee"])
        print(
            f"Répertoire des communes ({count} communes, chargé au premier usage de « Près de ») : "
            f"{len(region) / 1024:.1f} Kio, {gz(region) / 1024:.1f} Kio gzip (objectif <= 40 Kio : "
            f"{'atteint' if gz(region) <= GAZETTEER_TARGET else 'MANQUÉ'})"
        )
        report("3 000 lieux, « Ce que vous cherchez »", latencies(site, "#spro-q", TYPED), 16)
        report(f"« Près de », {count} communes", latencies(site, "#spro-commune", PLACES), 16)

        data, _ = load_dataset(ROOT / "data")
        national = json.dumps(
            national_gazetteer(data.communes, data.communes_deleguees), ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
        (trouver / "communes.json").write_bytes(national)
        print(
            f"Répertoire national synthétique ({NATIONAL} communes, 4 000 anciens noms) : {len(national) / 1024:.1f} Kio, "
            f"{gz(national) / 1024:.1f} Kio gzip"
        )
        report(f"« Près de », {NATIONAL} communes", latencies(site, "#spro-commune", PLACES), None)
        (trouver / "communes.json").write_bytes(region)

        big = synthetic_project(Path(tmp), 30000) / "data"
        data, _ = load_dataset(big)
        geography = locate(data, GeocodeCache.load(big / CACHE_FILE_NAME)[0])
        index = finder_index(data, geography, dt.date.today())
        (trouver / "index.json").write_text(
            json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        print(f"30 000 lieux : index {gz_file(trouver / 'index.json') / 1024:.1f} Kio gzip")
        report("30 000 lieux, « Ce que vous cherchez »", latencies(site, "#spro-q", TYPED), 50)


if __name__ == "__main__":
    main()
