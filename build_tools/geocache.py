"""The geocoding cache committed in ``data/``: one JSON record a line, sorted by key.

One line per address keeps diffs readable in pull requests. The key is the normalised query
plus the expected INSEE code, so changing an address (or its commune) gives a new key: the old
entry is no longer used. Writes are atomic (temporary file + ``os.replace``), so an interrupted
or failed run leaves either the old file or the new one, never a truncated one.

The file is data like any other, so it has a contract (:func:`parse_entry`): every member
typed, strings bounded and free of invisible characters, coordinates finite and inside the
Région, a known result type, a key consistent with its query. A line that breaks it is an
error, reported by ``spro validate`` and by the build, never silently used.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from . import formats
from .atomic import write_atomically
from .diagnostics import Diagnostic
from .json_source import parse_json
from .model import Emprise
from .text import fold

CACHE_FILE_NAME = "geocodage.jsonl"
APPROXIMATE_TYPES = frozenset({"street", "municipality", "locality"})
RESULT_TYPES = ("housenumber", "street", "locality", "municipality")
"""The ``type`` values of the national geocoder's answers (GeoCodeJSON)."""
MAX_LINE_BYTES = 4096
MAX_FILE_BYTES = 64 * 1024 * 1024
_TEXT_LIMITS = {"cle": 600, "requete": 500, "label": 500, "source": 200}


def address_text(voie: str, code_postal: str, commune: str) -> str:
    """What the geocoder is asked for an address (its official commune name)."""
    return f"{voie}, {code_postal} {commune}"


def cache_key(query: str, code_insee: str) -> str:
    return f"{fold(query)}|{code_insee}"


@dataclass(frozen=True)
class Request:
    """An address to geocode: the query sent, the commune it must fall in, and who needs it."""

    query: str
    code_insee: str
    used_by: str

    @property
    def key(self) -> str:
        return cache_key(self.query, self.code_insee)


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
    def parse(
        cls, path: Path, data: bytes, shown: str, bounds: Emprise | None
    ) -> tuple[GeocodeCache, list[Diagnostic]]:
        """The entries of the file's bytes that keep the contract, and an error for each line that does not."""
        cache = cls(path)
        if len(data) > MAX_FILE_BYTES:
            return cache, [
                Diagnostic(shown, 0, 0, "", f"cache trop volumineux (plus de {MAX_FILE_BYTES // 2**20} Mio)")
            ]
        problems: list[Diagnostic] = []
        for number, raw in enumerate(data.split(b"\n"), start=1):
            if not raw.strip():
                continue
            entry, line_problems = parse_entry(raw, number, shown, bounds)
            problems += line_problems
            if entry is not None:
                if entry.cle in cache.entries:
                    problems.append(
                        Diagnostic(
                            shown,
                            number,
                            1,
                            "cle",
                            "adresse déjà présente plus haut dans le cache : gardez une seule ligne",
                        )
                    )
                cache.entries[entry.cle] = entry
        return cache, problems

    @classmethod
    def load(
        cls, path: Path, bounds: Emprise | None = None, shown: str | None = None
    ) -> tuple[GeocodeCache, list[Diagnostic]]:
        """Read the cache file (absent: an empty cache); see :meth:`parse`."""
        from .safe_files import UnsafePath, read_regular

        path = Path(path)
        shown = shown or path.as_posix()
        if not path.exists() and not path.is_symlink():
            return cls(path), []
        try:
            data = read_regular(path.parent, path, MAX_FILE_BYTES)
        except UnsafePath as exc:
            return cls(path), [Diagnostic(shown, 0, 0, "", str(exc))]
        return cls.parse(path, data, shown, bounds)

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
            json.dumps(asdict(self.entries[key]), ensure_ascii=False, sort_keys=False) + "\n"
            for key in sorted(self.entries)
        )

    def save(self) -> None:
        write_atomically(self.path, self.render())


def parse_entry(raw: bytes, number: int, shown: str, bounds: Emprise | None) -> tuple[Entry | None, list[Diagnostic]]:
    """One line of the cache against the contract: the entry, or None and what is wrong (all of it)."""

    def problem(field: str, message: str) -> tuple[None, list[Diagnostic]]:
        return None, [Diagnostic(shown, number, 1, field, message)]

    if len(raw) > MAX_LINE_BYTES:
        return problem("", f"ligne trop longue ({len(raw)} octets, maximum {MAX_LINE_BYTES})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return problem("", "ligne non encodée en UTF-8")
    value, problems = parse_json(text, shown, line=number)
    if problems:
        return None, problems
    if not isinstance(value, dict):
        return problem("", "un objet JSON {…} est attendu sur chaque ligne")
    names = [f.name for f in fields(Entry)]
    unknown = sorted(set(value) - set(names))
    missing = [name for name in names if name not in value]
    diagnostics = [Diagnostic(shown, number, 1, name[:40], "membre inconnu") for name in unknown]
    diagnostics += [Diagnostic(shown, number, 1, name, "membre obligatoire manquant") for name in missing]
    for name in names:
        if name in value:
            message = _member_problem(name, value[name], bounds)
            if message:
                diagnostics.append(Diagnostic(shown, number, 1, name, message))
    if diagnostics:
        return None, diagnostics
    entry = Entry(**{name: float(value[name]) if name in ("lat", "lon", "score") else value[name] for name in names})
    if entry.cle != cache_key(entry.requete, entry.citycode):
        return problem(
            "cle",
            "clé incohérente avec « requete » et « citycode » (ligne modifiée à la main ?) : "
            "supprimez la ligne et relancez spro geocode",
        )
    return entry, []


def _member_problem(name: str, value, bounds: Emprise | None) -> str | None:
    if name in ("lat", "lon", "score"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "un nombre est attendu"
        number = float(value) if abs(value) < 1e300 else math.inf
        low, high = {
            "score": (0.0, 1.0),
            "lat": (bounds.sud, bounds.nord) if bounds else (-90.0, 90.0),
            "lon": (bounds.ouest, bounds.est) if bounds else (-180.0, 180.0),
        }[name]
        if not (math.isfinite(number) and low <= number <= high):
            where = "dans l'emprise de la Région (data/site.yaml)" if name != "score" else "entre 0 et 1"
            return f"{value!r:.40} : nombre attendu {where}"
        return None
    if not isinstance(value, str) or not value.strip():
        return "un texte non vide est attendu"
    if name == "type":
        return (
            None
            if value in RESULT_TYPES
            else f"type de résultat inconnu (valeurs possibles : {', '.join(RESULT_TYPES)})"
        )
    if name == "citycode":
        return None if re.fullmatch(formats.INSEE_CODE, value) else "code INSEE attendu (5 caractères)"
    if name == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return "date AAAA-MM-JJ attendue"
        return None if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else "date AAAA-MM-JJ attendue"
    if len(value) > _TEXT_LIMITS[name]:
        return f"texte trop long ({len(value)} caractères, maximum {_TEXT_LIMITS[name]})"
    if "\n" in value or "\t" in value:
        return "texte sur une seule ligne attendu"
    return formats.invisible_character_problem(value)
