"""What « Trouver un lieu » means, shared by the browser finder and ``spro search``.

**Words.** The query is folded (case, accents, œ -> oe: :func:`~build_tools.text.search_fold`) and
split into words; French stop words (« de », « la », « pour », « je »…) are dropped, and words beyond
:data:`MAX_WORDS` are ignored. A word matches a token

- exactly (:data:`EXACT`);
- within one edit, for words of :data:`TYPO_MIN_LENGTH` letters or more, numbers aside (:data:`NEAR`):
  one wrong, missing or extra letter, or two neighbouring letters swapped (« valdiation » -> validation:
  optimal string alignment distance 1);
- as the start of the token, while typing (:data:`PREFIX`: « chatel » -> chatellerault).

**Fields.** A lieu is found by what it *is* and what it is *for*. Its tokens come in fields, each
with an integer weight (:data:`FIELD_WEIGHTS`): its name and structure, its network's name and
former names (Pôle emploi), its services' names, its commune and postal code, its publics' names,
its basin, its services' descriptions, and the words of data/synonymes.yaml whose entry names its
network, one of its services or one of its publics.

**Relevance.** Every word must match in some field. A word scores the best ``field weight ×
match weight`` among the lieu's matching tokens; the lieu's relevance is the sum over the words.
So « pole emploi » puts France Travail (former name, 8 × 3 twice) far above a lieu whose only
« emploi » is in a description; « handicap » puts Cap emploi (synonym naming its network, 4 × 3)
above lieux that list the public (3 × 3).

**Filters.** OR inside a group, AND across groups; a lieu open to ``tous-publics`` matches any
public filter (a *text* match on a public needs the lieu's own publics).

**Order.** Relevance (highest first), then straight-line distance from the place when one is known
(rounded to the metre), then folded name, then id.

**Nothing found.** A word that matches no token of the vocabulary gets « Vouliez-vous dire … »:
up to :data:`SUGGESTIONS` words of the vocabulary within two edits (:func:`did_you_mean`).

The browser receives the tables and the weights as JSON (:func:`finder_index`) and applies the same
rules in ``assets/finder-core.js``; ``spro search`` matches words with Whoosh
(:mod:`build_tools.search_engine`) and ranks here. ``tests/test_finder_agreement.py`` checks that
both return the same lieux in the same order for several hundred generated queries.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .geo import distance_km
from .horaires_tables import ranges_on, schedule
from .model import Dataset, Lieu
from .places import osa_distance
from .positions import Geography
from .records import MODALITES, TOUS_PUBLICS
from .search_rules import (
    EXACT,
    FIELD_WEIGHTS,
    MAX_WORD_LENGTH,
    MAX_WORDS,
    NEAR,
    PREFIX,
    SUGGESTIONS,
    TYPO_MIN_LENGTH,
    match_weight,
    query_words,
)
from .text import SEARCH_STOP_WORDS as STOP_WORDS
from .text import search_fold
from .text import search_words as words

PARIS = ZoneInfo("Europe/Paris")

ROW = (
    "id",
    "nom",
    "commune",
    "reseau",
    "services",
    "publics",
    "bassin",
    "modalites",
    "pmr",
    "lat",
    "lon",
    "horaires",
    "fermetures",
    "rdv",
    "noms",
    "mots_commune",
)
"""The cells of a lieu's row in the index, in order: sent with it (``colonnes``), read by name in finder-core.js.
Codes are positions in the index's tables; ``noms`` and ``mots_commune`` are positions in its vocabulary."""
TABLES = {
    "services": ("code", "nom_court", "nom", "mots", "mots_description"),
    "publics": ("code", "nom", "mots"),
    "bassins": ("code", "nom", "mots"),
    "reseaux": ("code", "nom", "mots"),
    "modalites": ("code", "nom"),
    "synonymes": ("mots", "services", "publics", "reseaux"),
}
"""The cells of the rows of each table of the index, in order: sent with it (``colonnes_tables``) and read by
name (``mots``: positions in the vocabulary; a synonym's services, publics and networks: positions in their
tables)."""


def _rows(table: str, entries) -> list[list]:
    return [[cells[name] for name in TABLES[table]] for cells in entries]


def word_matches(word: str, token: str) -> bool:
    return match_weight(word, token) > 0


def did_you_mean(word: str, vocabulary) -> list[str]:
    """Words of the vocabulary close to a word that matches nothing: letters only, at most two edits
    (one for words of four letters or fewer), closest first, then nearest in length, then alphabetical."""
    if len(word) < 3 or word.isdigit():
        return []
    limit = 1 if len(word) <= 4 else 2
    scored = []
    for token in vocabulary:
        if len(token) >= 3 and token.isalpha():
            distance = osa_distance(word, token, limit)
            if distance <= limit:
                scored.append((distance, abs(len(token) - len(word)), token))
    return [token for _, _, token in sorted(scored)[:SUGGESTIONS]]


# -- what each lieu is found by ------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)  # (a commune's name, a network's, comes back for many lieux)
def _tokens(*texts: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for text in texts:
        for word in words(text):
            seen.setdefault(word, None)
    return tuple(seen)


class SearchTables:
    """The tokens of every field: per lieu (name, commune) or per network, service, public, basin and
    synonym entry (shared by their lieux, so the browser's index carries them once)."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.reseaux = {code: _tokens(r.nom, *r.anciens_noms) for code, r in dataset.reseaux.items()}
        self.services = {code: _tokens(s.nom, s.nom_court) for code, s in dataset.services.items()}
        self.descriptions = {code: _tokens(s.resume, s.description) for code, s in dataset.services.items()}
        self.publics = {code: _tokens(p.nom) for code, p in dataset.publics.items()}
        self.bassins = {code: _tokens(b.nom) for code, b in dataset.bassins.items()}
        self.synonymes = {code: _tokens(*s.mots) for code, s in dataset.synonymes.items()}

    @staticmethod
    def names(lieu: Lieu) -> tuple[str, ...]:
        return _tokens(lieu.nom, lieu.structure or "")

    @staticmethod
    def commune(lieu: Lieu) -> tuple[str, ...]:
        return _tokens(lieu.adresse.commune, lieu.adresse.code_postal)

    def fields(self, lieu: Lieu) -> dict[str, tuple[str, ...]]:
        """Field name -> the lieu's tokens in it (see :data:`FIELD_WEIGHTS`)."""

        def union(tables, codes):
            return _unique(token for code in codes for token in tables[code])

        synonymes = self.dataset.synonymes.values()
        return {
            "nom": self.names(lieu),
            "reseau": self.reseaux[lieu.reseau],
            "service": union(self.services, lieu.services),
            "commune": self.commune(lieu),
            "synonyme_reseau": union(self.synonymes, [s.code for s in synonymes if lieu.reseau in s.reseaux]),
            "public": union(self.publics, lieu.publics),
            "synonyme_service": union(
                self.synonymes, [s.code for s in synonymes if set(s.services) & set(lieu.services)]
            ),
            "synonyme_public": union(self.synonymes, [s.code for s in synonymes if set(s.publics) & set(lieu.publics)]),
            "bassin": self.bassins[lieu.bassin],
            "description": union(self.descriptions, lieu.services),
        }

    def vocabulary(self) -> list[str]:
        """Every token a word can match, in a stable order (the browser's index lists them once)."""
        tables = (self.reseaux, self.services, self.publics, self.bassins, self.synonymes, self.descriptions)
        lieux = self.dataset.lieux.values()
        return list(
            _unique(
                [
                    *(t for l in lieux for t in self.names(l) + self.commune(l)),
                    *(t for table in tables for tokens in table.values() for t in tokens),
                ]
            )
        )


def _unique(tokens) -> tuple[str, ...]:
    return tuple(dict.fromkeys(tokens))


def relevance(matches: list[list[tuple[str, str]]], query_words: list[str]) -> int:
    """Sum over the words of the best field weight × match weight among a lieu's matching (field, token) pairs;
    0 when a word does not match at all."""
    total = 0
    for word, pairs in zip(query_words, matches):
        best = max((FIELD_WEIGHTS[field] * match_weight(word, token) for field, token in pairs), default=0)
        if best == 0:
            return 0
        total += best
    return total


def _round(value: float) -> float:
    return round(value, 5)


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
    return any(opens <= minute < closes for opens, closes in ranges_on(lieu.horaires, reference, day))


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
    ouvert_maintenant: bool = False


@dataclass(frozen=True)
class Result:
    id: str
    relevance: int
    distance_km: float | None


def passes_filters(lieu: Lieu, query: Query) -> bool:
    if query.services and not set(query.services) & set(lieu.services):
        return False
    if query.publics and TOUS_PUBLICS not in lieu.publics and not set(query.publics) & set(lieu.publics):
        return False
    if query.bassins and lieu.bassin not in query.bassins:
        return False
    if query.reseaux and lieu.reseau not in query.reseaux:
        return False
    if query.modalites and not set(query.modalites) & set(lieu.modalites):
        return False
    return not (query.pmr and lieu.accessibilite.pmr is not True)


def order(
    dataset: Dataset,
    geography: Geography,
    scored: dict[str, int],
    origin: tuple[float, float] | None,
    names: dict[str, str] | None = None,
) -> list[Result]:
    """Relevance, then distance (metres), then folded name, then id. Positions are those of the browser's
    index (5 decimals), so that both engines measure the same distances. ``names``: folded names, if known."""
    names = names or {identifier: search_fold(dataset.lieux[identifier].nom) for identifier in scored}
    ranked = []
    for identifier, score in scored.items():
        position = geography.positions.get(identifier)
        distance = distance_km(*origin, _round(position.lat), _round(position.lon)) if origin and position else None
        metres = round(distance * 1000) if distance is not None else math.inf
        key = (-score, metres if origin else 0, names[identifier], identifier)
        ranked.append((key, Result(identifier, score, distance)))
    ranked.sort(key=lambda item: item[0])
    return [result for _, result in ranked]


class Finder:
    """``spro search``: Whoosh matches the words (:mod:`build_tools.search_engine`), this module ranks."""

    def __init__(self, dataset: Dataset, geography: Geography):
        from .search_engine import Document, SearchIndex  # only the command line needs Whoosh

        self.dataset, self.geography = dataset, geography
        self.tables = SearchTables(dataset)
        self.index = SearchIndex(
            Document(
                l.id,
                self.tables.fields(l),
                l.services,
                l.publics,
                l.bassin,
                l.reseau,
                l.modalites,
                l.accessibilite.pmr is True,
            )
            for l in dataset.lieux.values()
        )
        self._vocabulary: list[str] | None = None
        self._names = {identifier: search_fold(lieu.nom) for identifier, lieu in dataset.lieux.items()}

    def find(self, query: Query, moment: dt.datetime, origin: tuple[float, float] | None = None) -> list[Result]:
        searched = query_words(query.text)
        matching = self.index.search(
            searched, query.services, query.publics, query.bassins, query.reseaux, query.modalites, query.pmr
        )
        scored = {}
        for identifier, matches in matching.items():
            lieu = self.dataset.lieux[identifier]
            score = relevance(matches, searched)
            if (
                (score or not searched)
                and passes_filters(lieu, query)
                and (not query.ouvert_maintenant or open_at(lieu, moment.date(), moment))
            ):
                scored[identifier] = score
        return order(self.dataset, self.geography, scored, origin, self._names)

    def unknown_words(self, text: str) -> list[str]:
        """The words of ``text`` that match no token at all."""
        if self._vocabulary is None:
            self._vocabulary = self.tables.vocabulary()
        return [w for w in query_words(text) if not any(word_matches(w, t) for t in self._vocabulary)]

    def suggestions(self, text: str) -> dict[str, list[str]]:
        """For each word of ``text`` that matches no token at all: the words it may have meant."""
        return {w: found for w in self.unknown_words(text) if (found := did_you_mean(w, self._vocabulary))}


# -- the browser's index ------------------------------------------------------------------------


def finder_index(dataset: Dataset, geography: Geography, reference: dt.date) -> dict:
    """Compact JSON for finder-core.js: weights, tables with their tokens, hours tables, one row per lieu.

    Tokens are numbers into ``vocabulaire``. Networks, services, publics, basins and synonym entries
    carry their tokens once; a lieu row carries only its own (name, commune). Rows come sorted by folded
    name, then id: the order of equal relevance and distance, so the browser never folds names itself. The communes for
    « Près de » are in a separate file (:func:`build_tools.places.gazetteer_json`).
    """
    tables = SearchTables(dataset)
    vocabulary = {token: number for number, token in enumerate(tables.vocabulary())}

    def ids(tokens):
        return [vocabulary[t] for t in tokens]

    services, publics = list(dataset.services), list(dataset.publics)
    bassins, reseaux = list(dataset.bassins), list(dataset.reseaux)
    modalites = list(MODALITES)
    hours: dict[str, int] = {}
    hour_tables = []
    rows = []
    for lieu in sorted(
        dataset.lieux.values(), key=lambda l: (search_fold(l.nom), l.id)
    ):  # the order of equal relevance
        if lieu.horaires and lieu.horaires not in hours:
            hours[lieu.horaires] = len(hour_tables)
            hour_tables.append(schedule(lieu.horaires, reference).as_json(reference))
        position = geography.positions.get(lieu.id)
        cells = {
            "id": lieu.id,
            "nom": lieu.nom,
            "commune": lieu.adresse.commune,
            "reseau": reseaux.index(lieu.reseau),
            "services": [services.index(s) for s in lieu.services],
            "publics": [publics.index(p) for p in lieu.publics],
            "bassin": bassins.index(lieu.bassin),
            "modalites": [modalites.index(m) for m in lieu.modalites],
            "pmr": {True: 1, False: 0}.get(lieu.accessibilite.pmr),
            "lat": _round(position.lat) if position else None,
            "lon": _round(position.lon) if position else None,
            "horaires": hours.get(lieu.horaires, -1) if lieu.horaires else -1,
            "fermetures": closures(lieu, reference),
            "rdv": int(lieu.sur_rendez_vous),
            "noms": ids(tables.names(lieu)),
            "mots_commune": ids(tables.commune(lieu)),
        }
        rows.append([cells[name] for name in ROW])
    return {
        "reference": reference.isoformat(),
        "territoire": dataset.site.region,
        "regles": {
            "champs": FIELD_WEIGHTS,
            "exacte": EXACT,
            "proche": NEAR,
            "debut": PREFIX,
            "faute_min": TYPO_MIN_LENGTH,
            "mots_max": MAX_WORDS,
            "longueur_max": MAX_WORD_LENGTH,
            "suggestions": SUGGESTIONS,
        },
        "services": _rows(
            "services",
            (
                {
                    "code": code,
                    "nom_court": s.nom_court,
                    "nom": s.nom,
                    "mots": ids(tables.services[code]),
                    "mots_description": ids(tables.descriptions[code]),
                }
                for code, s in dataset.services.items()
            ),
        ),
        "publics": _rows(
            "publics", ({"code": c, "nom": p.nom, "mots": ids(tables.publics[c])} for c, p in dataset.publics.items())
        ),
        "bassins": _rows(
            "bassins", ({"code": c, "nom": b.nom, "mots": ids(tables.bassins[c])} for c, b in dataset.bassins.items())
        ),
        "reseaux": _rows(
            "reseaux", ({"code": c, "nom": r.nom, "mots": ids(tables.reseaux[c])} for c, r in dataset.reseaux.items())
        ),
        "synonymes": _rows(
            "synonymes",
            (
                {
                    "mots": ids(tables.synonymes[code]),
                    "services": [services.index(c) for c in s.services],
                    "publics": [publics.index(c) for c in s.publics],
                    "reseaux": [reseaux.index(c) for c in s.reseaux],
                }
                for code, s in dataset.synonymes.items()
            ),
        ),
        "modalites": _rows("modalites", ({"code": c, "nom": label} for c, label in MODALITES.items())),
        "colonnes_tables": {table: list(names) for table, names in TABLES.items()},
        "tous_publics": TOUS_PUBLICS,
        "stop": sorted(STOP_WORDS),
        "vocabulaire": list(vocabulary),
        "horaires": hour_tables,
        "colonnes": list(ROW),
        "lieux": rows,
    }
