"""The validated model: what the generators receive once the data has passed the contract.

The classes of the data files take their fields from the contract (records.py, through
:func:`~build_tools.record_model.record`): what each holds is stated there once. What a class annotates
itself is added by the build (the file it came from, a code that is its file's name) or kept in another shape.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import records
from .record_model import record


@record(records.ADRESSE)
class Adresse:
    def lignes(self) -> list[str]:
        lines = [self.voie]
        if self.complement:
            lines.append(self.complement)
        lines.append(f"{self.code_postal} {self.commune}")
        return lines

    def une_ligne(self) -> str:
        return ", ".join(self.lignes())


@record(records.COORDONNEES)
class Coordonnees:
    """A position typed by hand, which replaces the geocoding of the address."""


@record(records.FERMETURE)
class Fermeture:
    pass


@record(records.CONTACT)
class Contact:
    pass


@record(records.ACCESSIBILITE)
class Accessibilite:
    pass


@record(records.LABEL)
class Label:
    pass


@record(records.LIEU)
class Lieu:
    id: str
    """The file's name (the contract's ``id``, when written, must be equal to it)."""
    source: str

    @property
    def labellise(self) -> bool:
        return self.label is not None

    @property
    def label_depuis(self) -> dt.date | None:
        return self.label.depuis if self.label else None


@dataclass(frozen=True)
class Commune:
    """A current commune of the gazetteer (data/communes.csv); ``bassin`` is joined from data/bassins/."""

    code_insee: str
    nom: str
    codes_postaux: tuple[str, ...]
    population: int
    lat: float
    lon: float
    """A point inside the commune (its centroid when that falls inside)."""
    bassin: str | None = None


@dataclass(frozen=True)
class CommuneDeleguee:
    """A former commune merged into ``commune`` (INSEE code), whose name people still use."""

    code_insee: str
    nom: str
    type: str
    """« deleguee » or « associee »."""
    commune: str


@dataclass(frozen=True)
class Outline:
    """A validated basin outline: rings of (longitude, latitude) pairs."""

    polygons: tuple[tuple[tuple[tuple[float, float], ...], ...], ...]
    """Each polygon is its exterior ring then its holes."""

    def as_geojson(self) -> dict:
        coordinates = [[[list(position) for position in ring] for ring in polygon] for polygon in self.polygons]
        if len(coordinates) == 1:
            return {"type": "Polygon", "coordinates": coordinates[0]}
        return {"type": "MultiPolygon", "coordinates": coordinates}


@record(records.BASSIN)
class Bassin:
    code: str
    communes: tuple[Commune, ...]
    """Sorted by name, for the pages (the file lists their INSEE codes)."""
    source: str
    contour: str | None = None
    """Path of the GeoJSON outline file beside the basin file (written by ``spro communes``), if valid."""
    outline: Outline | None = None
    """That file's geometry, as validated (the build never uses the file's text)."""


@record(records.SERVICE)
class Service:
    code: str


@record(records.RESEAU)
class Reseau:
    code: str


@record(records.PUBLIC)
class Public:
    code: str


@record(records.SYNONYME)
class Synonyme:
    """Words people type (``mots``) and the services, publics and networks they designate (data/synonymes.yaml)."""

    code: str


@record(records.LIEN)
class Lien:
    pass


@record(records.METIER)
class Metier:
    code: str
    """The ROME code: the file's name."""
    source: str


@record(records.EMPLACEMENT)
class Emplacement:
    def une_ligne(self) -> str:
        return ", ".join(filter(None, (self.nom, self.voie, f"{self.code_postal} {self.commune}")))


@record(records.EVENEMENT)
class Evenement:
    """A salon, forum or job fair; ``bassin`` is always set (taken from ``lieu`` when not written)."""

    id: str
    source: str
    bassin: str
    heures: tuple[str, str] | None = None
    """(opens, closes), from the file's « 09:00-17:00 »."""

    @property
    def dernier_jour(self) -> dt.date:
        return self.date_fin or self.date

    def a_venir(self, today: dt.date) -> bool:
        return self.dernier_jour >= today


@record(records.EMPRISE)
class Emprise:
    def contient(self, lat: float, lon: float) -> bool:
        return self.sud <= lat <= self.nord and self.ouest <= lon <= self.est


@record(records.GEOCODAGE)
class Geocodage:
    pass


@record(records.CARTE)
class Carte:
    pass


@record(records.SITE)
class Site:
    pass


@dataclass(frozen=True)
class Dataset:
    """Everything the generators need, in a stable order (sorted by code or id)."""

    site: Site
    services: dict[str, Service]
    reseaux: dict[str, Reseau]
    publics: dict[str, Public]
    bassins: dict[str, Bassin]
    lieux: dict[str, Lieu]
    metiers: dict[str, Metier]
    evenements: dict[str, Evenement] = field(default_factory=dict)
    """Sorted by date, then id."""
    communes: dict[str, Commune] = field(default_factory=dict)
    """The gazetteer: every commune of the Région's departments, by INSEE code, with its basin."""
    communes_deleguees: dict[str, CommuneDeleguee] = field(default_factory=dict)
    synonymes: dict[str, Synonyme] = field(default_factory=dict)
    """data/synonymes.yaml, by code (empty when the file is absent)."""
