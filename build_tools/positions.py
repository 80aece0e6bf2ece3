"""Where each lieu and each commune is on the map.

Positions come, in order of precedence, from the lieu's manual ``coordonnees`` (never
overwritten), from the geocoding cache, and failing that from its commune's centre in the
gazetteer (flagged approximate), so a site never loses a position it could know. Communes are
never geocoded: their centres come from data/communes.csv. The build never calls out:
:func:`build_tools.geocoder.geocode_missing` (``spro geocode``) fills the cache beforehand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .geocache import GeocodeCache, Request, address_text
from .model import Commune, Dataset, Lieu


@dataclass(frozen=True)
class Position:
    lat: float
    lon: float
    approximatif: bool
    origine: str
    """« manuelle », « géocodage » or « commune »."""


@dataclass
class Geography:
    positions: dict[str, Position] = field(default_factory=dict)
    communes: dict[str, Commune] = field(default_factory=dict)
    """Every commune of the gazetteer, by INSEE code (the finder's « Près de » uses their centres)."""
    missing: list[Request] = field(default_factory=list)
    """Addresses with no cache entry (their lieu may still have its commune's position)."""
    unplaced: list[str] = field(default_factory=list)
    """Lieux with no position at all."""

    @property
    def approximate(self) -> list[str]:
        return sorted(i for i, p in self.positions.items() if p.approximatif)


def address_query(lieu: Lieu) -> str:
    a = lieu.adresse
    return address_text(a.voie, a.code_postal, a.commune)


def requests_for(dataset: Dataset) -> list[Request]:
    """Every lieu address the site needs (those without manual coordinates), without duplicates, in a stable order."""
    requests: dict[str, Request] = {}
    for lieu in dataset.lieux.values():
        if lieu.coordonnees is None:
            request = Request(address_query(lieu), lieu.adresse.code_insee, lieu.source)
            requests.setdefault(request.key, request)
    return list(requests.values())


def locate(dataset: Dataset, cache: GeocodeCache) -> Geography:
    """Positions from what is known now; never calls out."""
    minimum = dataset.site.geocodage.score_minimal
    geography = Geography(communes=dict(dataset.communes))
    for request in requests_for(dataset):
        if cache.get(request.key) is None:
            geography.missing.append(request)
    for lieu in dataset.lieux.values():
        position = _position(lieu, cache, geography.communes, minimum)
        if position is None:
            geography.unplaced.append(lieu.id)
        else:
            geography.positions[lieu.id] = position
    return geography


def _position(lieu: Lieu, cache: GeocodeCache, communes: dict[str, Commune], minimum: float) -> Position | None:
    if lieu.coordonnees is not None:
        return Position(lieu.coordonnees.lat, lieu.coordonnees.lon, approximatif=False, origine="manuelle")
    entry = cache.get(Request(address_query(lieu), lieu.adresse.code_insee, "").key)
    if entry is not None:
        return Position(entry.lat, entry.lon, approximatif=entry.approximate(minimum), origine="géocodage")
    commune = communes.get(lieu.adresse.code_insee)
    if commune is not None:
        return Position(commune.lat, commune.lon, approximatif=True, origine="commune")
    return None
