"""« Près de »: the commune a person means, from what they type or what a link says.

The finder sorts lieux from a commune's centre (data/communes.csv). This module says which
commune is meant; ``assets/finder-core.js`` (``Gazetteer``) applies the same rules in the browser
and ``tests/test_finder_node.py`` checks that both agree on every commune.

- A **name** is compared by its key (:func:`place_key`): case, accents, hyphens, apostrophes,
  dots, « St »/« Ste » and a leading article are forgiven, so « ST JEAN D ANGELY »,
  « Saint-Jean-d'Angély » and « rochelle » (La Rochelle) all designate their commune. The name
  of a former commune (delegated or associated, data/communes-deleguees.csv) designates the
  commune it joined. Homonyms give several communes: the person chooses.
- **Five digits typed** are a postal code, never an INSEE code: people know their postal code.
  A postal code shared by several communes gives them all: the person chooses.
- **Links** say what their code is: ``insee=`` or ``code_postal=``. The older ``commune=`` held
  either; it still works when the code designates one commune only (:meth:`Places.by_code`),
  and otherwise the person is asked.
- Candidates come most populous first, then by name, then by INSEE code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import DEPARTEMENTS, departement_of
from .model import Commune, CommuneDeleguee
from .text import search_fold

ARTICLES = frozenset(("le", "la", "les", "l"))
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
CODE = re.compile(r"\d{5}|2[AB]\d{3}")
"""An INSEE code or a postal code, as a link or the command line may hold."""
_NAME_AND_POSTAL_CODE = re.compile(r"^(.*?)[\s(]*(\d{5})\)?\s*$")
_POSTAL_CODE_AND_NAME = re.compile(r"^\s*(\d{5})\s+(.*\D.*)$")
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")
"""« Bors (Canton de Charente-Sud) »: the official name distinguishes homonyms; people type « Bors »."""
CLOSEST = 3
"""How many close names « not recognised » offers."""


def place_key(text: str) -> str:
    """« Saint-Jean-d'Angély » -> "saint jean d angely"; « St Jean » -> "saint jean"."""
    return " ".join(_ABBREVIATIONS.get(word, word) for word in search_fold(text).split())


def keys_of(name: str) -> tuple[str, ...]:
    """The keys a name answers to: itself, without its leading article (« La Rochelle »: also "rochelle"), and
    without the qualifier of a homonym (« Bors (Canton de Charente-Sud) »: also "bors")."""
    keys = []
    for variant in dict.fromkeys((name, _QUALIFIER.sub("", name))):
        key = place_key(variant)
        first, _, rest = key.partition(" ")
        keys += [key, rest] if first in ARTICLES and rest else [key]
    return tuple(dict.fromkeys(k for k in keys if k))


def osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent swaps), or ``limit + 1`` beyond ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1] if previous[-1] <= limit else limit + 1


def closeness_limit(key: str) -> int:
    """How many edits a name may be away to be offered as « vouliez-vous dire »: 1 up to 5 letters, then 2, 3 beyond 10."""
    return 1 if len(key) <= 5 else 2 if len(key) <= 10 else 3


@dataclass(frozen=True)
class Answer:
    """What a text designates: communes (none, one, or several to choose from), and close names when none."""

    communes: tuple[Commune, ...] = ()
    closest: tuple[Commune, ...] = ()


class Places:
    def __init__(self, communes: dict[str, Commune], deleguees: dict[str, CommuneDeleguee] | None = None):
        self.communes = communes
        self._order = {c.code_insee: rank for rank, c in enumerate(sorted(communes.values(), key=self._rank))}
        self._by_postal: dict[str, list[Commune]] = {}
        self._by_key: dict[str, list[Commune]] = {}
        for commune in communes.values():
            for code in commune.codes_postaux:
                self._by_postal.setdefault(code, []).append(commune)
            for key in keys_of(commune.nom):
                self._by_key.setdefault(key, []).append(commune)
        for deleguee in (deleguees or {}).values():
            if deleguee.commune in communes:
                for key in keys_of(deleguee.nom):
                    self._by_key.setdefault(key, []).append(communes[deleguee.commune])

    @staticmethod
    def _rank(commune: Commune):
        return -commune.population, search_fold(commune.nom), commune.code_insee

    def _sorted(self, communes) -> tuple[Commune, ...]:
        unique = {c.code_insee: c for c in communes}
        return tuple(sorted(unique.values(), key=lambda c: self._order[c.code_insee]))

    def by_insee(self, code: str) -> Commune | None:
        return self.communes.get(code)

    def by_postal_code(self, code: str) -> tuple[Commune, ...]:
        return self._sorted(self._by_postal.get(code, ()))

    def by_name(self, text: str) -> tuple[Commune, ...]:
        return self._sorted(self._by_key.get(place_key(text), ()))

    def by_code(self, code: str) -> tuple[Commune, ...]:
        """An INSEE code or a postal code (the older ``commune=`` links): every commune it may mean."""
        insee = self.by_insee(code)
        return self._sorted([*([insee] if insee else []), *self._by_postal.get(code, ())])

    def lookup(self, text: str) -> Answer:
        """What the « Près de » field (or ``spro search --commune``) designates.

        « 79120 » is a postal code; « Niort (79000) », « Niort 79000 » or « 79000 Niort » a name among that
        postal code's communes (the name alone when the code is not one of its own); anything else a name, a
        former name, a name without its article or without a homonym's qualifier.
        """
        text = text.strip()
        if re.fullmatch(r"\d{5}", text):
            found = self.by_postal_code(text)
            return Answer(found) if found else Answer()
        match = _NAME_AND_POSTAL_CODE.match(text)
        first = _POSTAL_CODE_AND_NAME.match(text)
        name, code = (
            (match.group(1), match.group(2)) if match else (first.group(2), first.group(1)) if first else ("", "")
        )
        if place_key(name):
            named = self.by_name(name)
            found = tuple(c for c in named if code in c.codes_postaux)
            if found or named:  # a wrong postal code beside a known name: the name says which commune
                return Answer(found or named)
            return Answer(closest=self.closest(name))
        found = self.by_name(text)
        return Answer(found) if found else Answer(closest=self.closest(text))

    def closest(self, text: str) -> tuple[Commune, ...]:
        """The communes whose name (or former name) is a few edits away from ``text``, closest first."""
        key = place_key(text)
        if len(key) < 3:
            return ()
        limit = closeness_limit(key)
        scored: dict[str, tuple[int, int]] = {}
        for candidate, communes in self._by_key.items():
            distance = osa_distance(key, candidate, limit)
            if distance <= limit:
                for commune in communes:
                    rank = (distance, self._order[commune.code_insee])
                    scored[commune.code_insee] = min(scored.get(commune.code_insee, rank), rank)
        ordered = sorted(scored, key=lambda code: scored[code])
        return tuple(self.communes[code] for code in ordered[:CLOSEST])


def gazetteer_json(communes: dict[str, Commune], deleguees: dict[str, CommuneDeleguee]) -> dict:
    """trouver/communes.json: every commune in columns (about 20 bytes a commune once gzipped), fetched by
    the finder only when « Près de » is first used. Positions are in 1e-5 degrees (about a metre)."""
    ordered = sorted(communes.values(), key=lambda c: c.code_insee)
    index = {c.code_insee: i for i, c in enumerate(ordered)}
    return {
        "insee": [c.code_insee for c in ordered],
        "nom": [c.nom for c in ordered],
        "cp": [" ".join(c.codes_postaux) for c in ordered],
        "population": [c.population for c in ordered],
        "lat": [round(c.lat * 100_000) for c in ordered],
        "lon": [round(c.lon * 100_000) for c in ordered],
        "anciens": [
            [d.nom, index[d.commune]]
            for d in sorted(deleguees.values(), key=lambda d: d.code_insee)
            if d.commune in index
        ],
        "departements": {
            code: DEPARTEMENTS.get(code, code) for code in sorted({departement_of(c.code_insee) for c in ordered})
        },
    }
