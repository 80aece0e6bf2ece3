"""The validated model: what the generators receive once the data has passed the contract."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Adresse:
    voie: str
    code_postal: str
    commune: str
    code_insee: str
    complement: str | None = None

    def lignes(self) -> list[str]:
        lines = [self.voie]
        if self.complement:
            lines.append(self.complement)
        lines.append(f"{self.code_postal} {self.commune}")
        return lines

    def une_ligne(self) -> str:
        return ", ".join(self.lignes())


@dataclass(frozen=True)
class Fermeture:
    du: dt.date
    au: dt.date
    motif: str | None = None


@dataclass(frozen=True)
class Contact:
    telephone: str | None = None
    courriel: str | None = None
    site: str | None = None


@dataclass(frozen=True)
class Accessibilite:
    pmr: bool | None = None
    details: str | None = None
    acceslibre: str | None = None


@dataclass(frozen=True)
class Lieu:
    id: str
    nom: str
    reseau: str
    adresse: Adresse
    bassin: str
    services: tuple[str, ...]
    publics: tuple[str, ...]
    verifie_le: dt.date
    source: str
    structure: str | None = None
    siret: str | None = None
    coordonnees: tuple[float, float] | None = None
    modalites: tuple[str, ...] = ()
    sur_rendez_vous: bool = False
    horaires: str | None = None
    fermetures: tuple[Fermeture, ...] = ()
    contact: Contact = field(default_factory=Contact)
    accessibilite: Accessibilite = field(default_factory=Accessibilite)
    label_depuis: dt.date | None = None
    description: str | None = None

    @property
    def labellise(self) -> bool:
        return self.label_depuis is not None


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


@dataclass(frozen=True)
class Bassin:
    code: str
    nom: str
    departements: tuple[str, ...]
    communes: tuple[Commune, ...]
    """Sorted by name, for the pages."""
    source: str
    description: str | None = None
    contour: str | None = None
    """Path of the GeoJSON outline file beside the basin file (written by ``spro communes``), if valid."""
    outline: Outline | None = None
    """That file's geometry, as validated (the build never uses the file's text)."""


@dataclass(frozen=True)
class Service:
    code: str
    nom: str
    nom_court: str
    resume: str
    description: str
    pour_qui: str
    thematiques_data_inclusion: tuple[str, ...]
    type_data_inclusion: str


@dataclass(frozen=True)
class Reseau:
    code: str
    nom: str
    description: str
    site: str
    operateur_cep: bool
    reseau_porteur_data_inclusion: str | None = None
    type_service_public: str | None = None
    anciens_noms: tuple[str, ...] = ()
    """Former names people still use (Pôle emploi for France Travail): the finder knows them."""


@dataclass(frozen=True)
class Public:
    code: str
    nom: str
    description: str | None = None
    public_data_inclusion: str | None = None


@dataclass(frozen=True)
class Synonyme:
    """Words people type (``mots``) and the services, publics and networks they designate (data/synonymes.yaml)."""

    code: str
    mots: tuple[str, ...]
    services: tuple[str, ...] = ()
    publics: tuple[str, ...] = ()
    reseaux: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lien:
    titre: str
    url: str


@dataclass(frozen=True)
class Metier:
    code: str
    intitule: str
    secteur: str
    description: str
    acces: str
    source: str
    bassins: tuple[str, ...] = ()
    reseaux: tuple[str, ...] = ()
    liens: tuple[Lien, ...] = ()


@dataclass(frozen=True)
class Emplacement:
    nom: str
    code_postal: str
    commune: str
    code_insee: str
    voie: str | None = None

    def une_ligne(self) -> str:
        return ", ".join(filter(None, (self.nom, self.voie, f"{self.code_postal} {self.commune}")))


@dataclass(frozen=True)
class Evenement:
    """A salon, forum or job fair; ``bassin`` is always set (taken from ``lieu`` when not written)."""

    id: str
    titre: str
    type: str
    date: dt.date
    bassin: str
    publics: tuple[str, ...]
    source: str
    date_fin: dt.date | None = None
    heures: tuple[str, str] | None = None
    lieu: str | None = None
    emplacement: Emplacement | None = None
    en_ligne: bool = False
    organisateur: str | None = None
    lien: str | None = None
    description: str | None = None

    @property
    def dernier_jour(self) -> dt.date:
        return self.date_fin or self.date

    def a_venir(self, today: dt.date) -> bool:
        return self.dernier_jour >= today


@dataclass(frozen=True)
class Emprise:
    sud: float
    nord: float
    ouest: float
    est: float

    def contient(self, lat: float, lon: float) -> bool:
        return self.sud <= lat <= self.nord and self.ouest <= lon <= self.est


@dataclass(frozen=True)
class Site:
    region: str
    titre: str
    label: str
    depot: str
    branche: str
    demonstration: bool
    emprise: Emprise
    departements: tuple[str, ...]
    score_minimal: float = 0.6
    courriel_signalement: str | None = None
    """Where the public reports an error without a GitHub account."""
    tuiles: str | None = None
    attribution_tuiles: str | None = None


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
