"""The geocoding cache committed in ``data/``: one JSON record a line, sorted by key.

One line per address keeps diffs readable in pull requests. The key is the normalised query
plus the expected INSEE code, so changing an address (or its commune) gives a new key: the old
entry is no longer used. Writes are atomic (temporary file + ``os.replace``), so an interrupted
or failed run leaves either the old file or the new one, never a truncated one.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .atomic import write_atomically
from .diagnostics import Diagnostic
from .loader import fold

CACHE_FILE_NAME = "geocodage.jsonl"
APPROXIMATE_TYPES = frozenset({"street", "municipality", "locality"})


def cache_key(query: str, code_insee: str) -> str:
    return f"{fold(query)}|{code_insee}"


@dataclass(frozen=True)
class Entry:
    """One geocoded address, as the geocoder answered it."""

    cle: str
    requete: str
    lat: float
    lon: float
    score: float
    label: str
    type: str
    citycode: str
    date: str
    source: str

    def approximate(self, minimum_score: float) -> bool:
        return self.score < minimum_score or self.type in APPROXIMATE_TYPES


class GeocodeCache:
    def __init__(self, path: Path, entries: dict[str, Entry] | None = None):
        self.path = Path(path)
        self.entries: dict[str, Entry] = dict(entries or {})

    @classmethod
    def load(cls, path: Path) -> tuple["GeocodeCache", list[Diagnostic]]:
        """Read the cache; unreadable lines are reported and skipped, never fatal."""
        cache = cls(path)
        if not cache.path.exists():
            return cache, []
        problems = []
        shown = cache.path.as_posix()
        for number, line in enumerate(cache.path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                entry = Entry(**json.loads(line))
            except (ValueError, TypeError) as exc:
                problems.append(Diagnostic(shown, number, 1, "", f"ligne du cache de géocodage illisible, ignorée ({exc})"))
                continue
            cache.entries[entry.cle] = entry
        return cache, problems

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)

    def put(self, entry: Entry) -> None:
        self.entries[entry.cle] = entry

    def keep_only(self, keys: set[str]) -> int:
        """Drop entries no address uses any more; returns how many were dropped."""
        stale = [key for key in self.entries if key not in keys]
        for key in stale:
            del self.entries[key]
        return len(stale)

    def render(self) -> str:
        return "".join(
            json.dumps(asdict(self.entries[key]), ensure_ascii=False, sort_keys=False) + "\n" for key in sorted(self.entries)
        )

    def save(self) -> None:
        write_atomically(self.path, self.render())
