"""« Trouver un lieu » at scale: transfer size and keystroke-to-list latency in headless Chromium.

Builds a 3,000-lieu synthetic site; for 30,000 lieux, only the finder index is regenerated
into a copy of it. Typing is replayed one character at a time; each measure covers the input
event handler (filter, counts, list rendering) and the layout it forces.
Targets: page + index < 150 KB gzipped at 3,000; p95 < 16 ms at 3,000 and < 50 ms at 30,000.

    .venv/bin/python benchmarks/finder.py
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from build_tools.finder import finder_index  # noqa: E402
from build_tools.geocache import CACHE_FILE_NAME, GeocodeCache  # noqa: E402
from build_tools.loader import load_dataset  # noqa: E402
from build_tools.positions import locate  # noqa: E402
from build_tools.synthetic import generate  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from site_helpers import StaticServer, build, project_copy  # noqa: E402

TYPED = ["mission locale", "chatelerault", "poitiers cep", "france travail niort", "lieu 12", "creation entreprise"]


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9))


def synthetic_project(tmp: Path, size: int) -> Path:
    project = project_copy(tmp / f"p{size}", with_lieux=False)
    shutil.rmtree(project / "data")
    generate(ROOT / "data", project / "data", size)
    shutil.copy(ROOT / "data" / CACHE_FILE_NAME, project / "data" / CACHE_FILE_NAME)
    return project


def latencies(site: Path) -> list[float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, StaticServer(site) as server:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server.url) else r.abort())
        page.goto(server.url + "trouver/", wait_until="load")
        page.locator("#spro-statut").filter(has_text="trouvé").wait_for(timeout=60_000)
        timings = page.evaluate("""typed => {
            const input = document.querySelector('#spro-q'), list = document.querySelector('#spro-resultats');
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
        }""", TYPED)
        browser.close()
    return timings


def report(label: str, times: list[float], target: float) -> None:
    p95 = statistics.quantiles(times, n=20)[18]
    print(f"{label}: {len(times)} frappes, médiane {statistics.median(times):.1f} ms, p95 {p95:.1f} ms "
          f"(objectif < {target:.0f} ms : {'atteint' if p95 < target else 'MANQUÉ'})")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = synthetic_project(Path(tmp), 3000)
        site = build(project)
        own = gz(site / "trouver/index.html") + gz(site / "assets/spro/finder.js") + gz(site / "trouver/index.json")
        shared = sum(gz(site / p) for p in ("assets/spro/vendor/leaflet/leaflet.js", "assets/spro/vendor/leaflet/leaflet.css",
                                             "assets/spro/vendor/leaflet.markercluster/leaflet.markercluster.js",
                                             "assets/spro/spro.css"))
        print(f"3 000 lieux : page + finder.js + index = {own / 1024:.1f} Kio gzip (objectif < 150 Ko : "
              f"{'atteint' if own < 150_000 else 'MANQUÉ'}) ; index seul {gz(site / 'trouver/index.json') / 1024:.1f} Kio ; "
              f"Leaflet et CSS partagés avec les autres pages : {shared / 1024:.1f} Kio")
        report("3 000 lieux", latencies(site), 16)

        big = synthetic_project(Path(tmp), 30000) / "data"
        data, report_ = load_dataset(big)
        geography = locate(data, GeocodeCache.load(big / CACHE_FILE_NAME)[0])
        index = finder_index(data, geography, dt.date.today())
        (site / "trouver/index.json").write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        print(f"30 000 lieux : index {gz(site / 'trouver/index.json') / 1024:.1f} Kio gzip")
        report("30 000 lieux", latencies(site), 50)


if __name__ == "__main__":
    main()
