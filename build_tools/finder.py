"""What « Trouver un lieu » means, shared by the browser finder and ``spro search``.

- Text: the query is folded (case, accents, œ -> oe) and split into words; French stop words
  are dropped. Every remaining word must match one of the lieu's tokens: as a prefix, or, for
  words of five letters or more, within one edit (plain Levenshtein, as Whoosh's FuzzyTerm).
- Filters: OR inside a group, AND across groups. A lieu open to ``tous-publics`` matches any
  public filter.
- « Ouvert maintenant »: from per-expression day tables computed here with the
  ``opening_hours`` library (French public holidays included), plus each lieu's closures.
- Order: by straight-line distance when a position is known (rounded to the metre), then by
  folded name, then id.

The browser receives these tables as JSON (:func:`finder_index`) and applies the same rules in
``finder.js``; ``tests/test_finder_agreement.py`` checks that both return the same lieux in the
same order.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .horaires_tables import hours_table, ranges_on
from .model import Dataset, Lieu
from .positions import Geography

PARIS = ZoneInfo("Europe/Paris")
STOP_WORDS = frozenset("a au aux d de des du en et l la le les pour sur un une".split())
MODALITES = (("sur-place", "Sur place"), ("telephone", "Par téléphone"), ("visio", "En visioconférence"),
             ("courriel", "Par courriel"))
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


def fold(text: str) -> str:
    """« Châtellerault – Œuvres » -> "chatellerault oeuvres" (same as fold() in finder.js)."""
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def words(text: str) -> list[str]:
    return [w for w in fold(text).split() if w not in STOP_WORDS]


def within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance at most 1."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def word_matches(word: str, token: str) -> bool:
    return token.startswith(word) or (len(word) >= 5 and within_one_edit(word, token))


def lieu_tokens(dataset: Dataset, lieu: Lieu) -> list[str]:
    """Everything a person may type to find this lieu, folded, without duplicates."""
    reseau = dataset.reseaux[lieu.reseau]
    texts = [lieu.nom, lieu.structure or "", lieu.adresse.commune, lieu.adresse.code_postal, reseau.nom,
             dataset.bassins[lieu.bassin].nom]
    for code in lieu.services:
        texts += [dataset.services[code].nom, dataset.services[code].nom_court]
    seen: dict[str, None] = {}
    for text in texts:
        for word in words(text):
            seen.setdefault(word, None)
    return list(seen)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, R = 6371 km), as in finder.js."""
    to_rad = math.pi / 180
    dlat, dlon = (lat2 - lat1) * to_rad, (lon2 - lon1) * to_rad
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1 * to_rad) * math.cos(lat2 * to_rad) * math.sin(dlon / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


# -- opening hours ------------------------------------------------------------------------------


def closures(lieu: Lieu, reference: dt.date) -> list[list[int]]:
    return [[(f.du - reference).days, (f.au - reference).days] for f in lieu.fermetures if f.au >= reference]


def open_at(lieu: Lieu, reference: dt.date, moment: dt.datetime) -> bool:
    """Open at ``moment`` (any timezone; read in Europe/Paris)? Unknown hours count as not open."""
    if not lieu.horaires:
        return False
    local = moment.astimezone(PARIS)
    day = local.date()
    offset = (day - reference).days
    if any(start <= offset <= end for start, end in closures(lieu, reference)):
        return False
    minute = local.hour * 60 + local.minute
    return any(opens <= minute < closes for opens, closes in ranges_on(hours_table(lieu.horaires, reference), reference, day))


# -- the query ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    text: str = ""
    services: tuple[str, ...] = ()
    publics: tuple[str, ...] = ()
    bassins: tuple[str, ...] = ()
    reseaux: tuple[str, ...] = ()
    modalites: tuple[str, ...] = ()
    pmr: bool = False
    commune: str | None = None
    """INSEE code or postal code; gives the position results are sorted from."""
    ouvert_maintenant: bool = False


def passes_filters(lieu: Lieu, query: Query) -> bool:
    if query.services and not set(query.services) & set(lieu.services):
        return False
    if query.publics and "tous-publics" not in lieu.publics and not set(query.publics) & set(lieu.publics):
        return False
    if query.bassins and lieu.bassin not in query.bassins:
        return False
    if query.reseaux and lieu.reseau not in query.reseaux:
        return False
    if query.modalites and not set(query.modalites) & set(lieu.modalites):
        return False
    return not (query.pmr and lieu.accessibilite.pmr is not True)


def gazetteer(dataset: Dataset, geography: Geography) -> list:
    """Communes with a position, main towns first (most lieux), then by name.

    The order decides which commune a postal code shared by several communes means
    (79000 is Niort and Bessines): the browser's list follows it too.
    """
    lieux = Counter(l.adresse.code_insee for l in dataset.lieux.values())
    return sorted(geography.communes.values(), key=lambda c: (-lieux[c.code_insee], fold(c.nom), c.code_insee))


def find_commune(dataset: Dataset, geography: Geography, code: str):
    """A gazetteer commune from an INSEE code, or the main commune with that postal code."""
    if code in geography.communes:
        return geography.communes[code]
    return next((c for c in gazetteer(dataset, geography) if code in c.codes_postaux), None)


def order(dataset: Dataset, geography: Geography, ids: list[str], origin: tuple[float, float] | None) -> list[tuple[str, float | None]]:
    """Sort matching ids; returns (id, distance in km or None)."""
    ranked = []
    for identifier in ids:
        lieu = dataset.lieux[identifier]
        position = geography.positions.get(identifier)
        distance = distance_km(*origin, position.lat, position.lon) if origin and position else None
        metres = round(distance * 1000) if distance is not None else math.inf
        ranked.append(((metres if origin else 0, fold(lieu.nom), identifier), identifier, distance))
    ranked.sort(key=lambda item: item[0])
    return [(identifier, distance) for _, identifier, distance in ranked]


def find(dataset: Dataset, geography: Geography, query: Query, moment: dt.datetime,
         origin: tuple[float, float] | None = None) -> list[tuple[str, float | None]]:
    """The lieux matching ``query`` at ``moment``, ordered; text matching goes through Whoosh."""
    from .search_engine import Document, SearchIndex  # only the command line needs Whoosh

    index = SearchIndex(
        Document(l.id, tuple(lieu_tokens(dataset, l)), l.services, l.publics, l.bassin, l.reseau, l.modalites,
                 l.accessibilite.pmr is True) for l in dataset.lieux.values()
    )
    matching = index.search(words(query.text), query.services, query.publics, query.bassins, query.reseaux,
                            query.modalites, query.pmr)
    matching = [i for i in matching if passes_filters(dataset.lieux[i], query)]
    if query.ouvert_maintenant:
        matching = [i for i in matching if open_at(dataset.lieux[i], moment.date(), moment)]
    return order(dataset, geography, matching, origin)


# -- the browser's index ------------------------------------------------------------------------


def _round(value: float) -> float:
    return round(value, 5)


def finder_index(dataset: Dataset, geography: Geography, reference: dt.date) -> dict:
    """Compact JSON for finder.js: tables, token vocabulary, hours tables and one row per lieu."""
    services, publics = list(dataset.services), list(dataset.publics)
    bassins, reseaux = list(dataset.bassins), list(dataset.reseaux)
    modalites = [code for code, _ in MODALITES]
    vocabulary: dict[str, int] = {}
    hours: dict[str, int] = {}
    hour_tables = []
    rows = []
    for lieu in dataset.lieux.values():
        tokens = [vocabulary.setdefault(token, len(vocabulary)) for token in lieu_tokens(dataset, lieu)]
        if lieu.horaires and lieu.horaires not in hours:
            hours[lieu.horaires] = len(hour_tables)
            hour_tables.append(hours_table(lieu.horaires, reference))
        position = geography.positions.get(lieu.id)
        rows.append([
            lieu.id, lieu.nom, lieu.adresse.commune, reseaux.index(lieu.reseau),
            [services.index(s) for s in lieu.services], [publics.index(p) for p in lieu.publics], bassins.index(lieu.bassin),
            [modalites.index(m) for m in lieu.modalites], {True: 1, False: 0}.get(lieu.accessibilite.pmr),
            _round(position.lat) if position else None, _round(position.lon) if position else None,
            hours.get(lieu.horaires, -1) if lieu.horaires else -1, closures(lieu, reference), int(lieu.sur_rendez_vous),
            tokens, fold(lieu.nom),
        ])
    communes = [[c.code_insee, c.nom, list(c.codes_postaux), _round(c.lat), _round(c.lon), fold(c.nom)]
                for c in gazetteer(dataset, geography)]
    return {
        "reference": reference.isoformat(),
        "services": [[code, dataset.services[code].nom_court, dataset.services[code].nom] for code in services],
        "publics": [[code, dataset.publics[code].nom] for code in publics],
        "bassins": [[code, dataset.bassins[code].nom] for code in bassins],
        "reseaux": [[code, dataset.reseaux[code].nom] for code in reseaux],
        "modalites": [list(m) for m in MODALITES],
        "stop": sorted(STOP_WORDS),
        "vocabulaire": list(vocabulary),
        "horaires": hour_tables,
        "communes": communes,
        "lieux": rows,
    }
