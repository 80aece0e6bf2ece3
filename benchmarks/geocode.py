"""Geocoding the demo dataset from an empty cache against a local BAN-like server.

Replays the committed demo cache's answers from 127.0.0.1 (no network), runs the real
``spro geocode`` twice and prints requests and time: the second run must send none.

    .venv/bin/python benchmarks/geocode.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fake_ban import FakeBan, answering_from  # noqa: E402

from build_tools.geocache import CACHE_FILE_NAME, GeocodeCache  # noqa: E402


def geocode(data: Path, url: str) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "build_tools.cli", "--data", str(data), "geocode"],
        capture_output=True,
        text=True,
        env={**os.environ, "SPRO_GEOCODER_URL": url},
    )
    return time.perf_counter() - start, result.stdout


def main() -> None:
    demo_cache, _ = GeocodeCache.load(ROOT / "data" / CACHE_FILE_NAME)
    with tempfile.TemporaryDirectory() as tmp, FakeBan(answering_from(demo_cache.entries.values())) as ban:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(CACHE_FILE_NAME))
        elapsed, output = geocode(data, ban.url)
        first = ban.count()
        print(f"cache vide : {first} requêtes, {elapsed:.2f} s ({first / elapsed:.1f} requêtes/s)")
        print("  " + output.splitlines()[1] if len(output.splitlines()) > 1 else output)
        elapsed, _ = geocode(data, ban.url)
        print(f"second passage : {ban.count() - first} requête, {elapsed:.2f} s")
        same = (data / CACHE_FILE_NAME).read_text(encoding="utf-8").count("\n")
        print(f"cache écrit : {same} entrées (démo committée : {len(demo_cache.entries)})")


if __name__ == "__main__":
    main()
