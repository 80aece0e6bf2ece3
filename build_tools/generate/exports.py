"""Open-data exports: lieux.csv, lieux.geojson and the data·inclusion v1 structures/services."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .. import records
from ..contract import columns_of
from ..export_pieces import MADE, ExportPieces
from ..formats import phone_uri
from ..model import Lieu
from ..positions import Position
from ..text import slug

if TYPE_CHECKING:
    from .site_view import SiteView

EXPORTED = tuple(column for column in columns_of(records.LIEU) if column.declared.export)
"""The lieu fields published in lieux.csv and lieux.geojson (declared in records.py)."""
EXPORT_NAME = {column.field: column.declared.export for column in EXPORTED}
"""A field's column name in the exports (« coordonnees.lat » -> « latitude »)."""
LATITUDE, LONGITUDE = EXPORT_NAME["coordonnees.lat"], EXPORT_NAME["coordonnees.lon"]
_ADDED_AFTER = {
    EXPORT_NAME["reseau"]: ("reseau_nom", "nom du réseau"),
    LONGITUDE: ("position_approximative", "oui si la position n'est pas celle de l'adresse exacte"),
}
"""Columns the build adds to the fields, and the column each follows."""


def _csv_columns():
    for column in EXPORTED:
        yield column.declared.export, column.declared.export_label or column.label
        if column.declared.export in _ADDED_AFTER:
            yield _ADDED_AFTER[column.declared.export]


CSV_COLUMNS = tuple(_csv_columns())
"""(name, what it holds) of each column of lieux.csv, in order."""

# Spreadsheets run cells starting with these as formulas (OWASP "CSV injection").
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def spreadsheet_safe(value: str) -> str:
    return "'" + value if _FORMULA_START.match(value) else value


def _csv_cell(value: str | float | None) -> str:
    """Numbers stay numbers (``float()`` and spreadsheets read them back as written: the shortest
    representation, as in the GeoJSON); the formula guard is for text, which partners write."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return spreadsheet_safe(value)


def _cell(value) -> str | float:
    """A field's value as an export cell: lists joined by « | », « oui »/« non », ISO dates, empty for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, tuple):
        return "|".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _at(lieu: Lieu, path: str):
    value = lieu
    for name in path.split("."):
        value = getattr(value, name) if value is not None else None
    return value


def _row(site: SiteView, lieu: Lieu, position: Position | None) -> dict[str, str | float | None]:
    """One lieu as export cells: text, except the coordinates (numbers, None without a position), which are where
    the lieu is shown (typed by hand or geocoded)."""
    cells = {column.declared.export: _cell(_at(lieu, column.field)) for column in EXPORTED}
    cells |= {
        "reseau_nom": site.reseaux[lieu.reseau].nom,
        LATITUDE: float(position.lat) if position else None,  # where the lieu is shown (typed or geocoded)
        LONGITUDE: float(position.lon) if position else None,
        "position_approximative": _cell(position.approximatif) if position else "",
    }
    return {name: cells[name] for name, _ in CSV_COLUMNS}


# Each export is made in pieces (one lieu each), which the build writes one after the other: at 30,000 lieux, one
# export made whole was a string of 87 MB, and the pieces it was joined from as much again. A lieu's piece is made
# of the lieu, its position and the site's view only (what its maker is given), so that the build can take it from
# an earlier one by those (:mod:`build_tools.export_pieces`).


def lieux_csv(site: SiteView, lieux: Iterable[Lieu], positions: dict, pieces: ExportPieces = MADE) -> Iterator[str]:
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow([name for name, _ in CSV_COLUMNS])
    yield header.getvalue()
    yield from _pieces(site, lieux, positions, pieces, _csv_piece)
    pieces.done()


def _pieces(site: SiteView, lieux: Iterable[Lieu], positions: dict, pieces: ExportPieces, make) -> Iterator[str]:
    """``make(site, lieu, position)`` of each lieu, or its piece kept from an earlier build."""
    for lieu in lieux:
        position = positions.get(lieu.id)
        yield pieces.piece(site.lieu_inputs(lieu, position), make, site, lieu, position)


def _csv_piece(site: SiteView, lieu: Lieu, position: Position | None) -> str:
    buffer = io.StringIO()
    row = _row(site, lieu, position).values()
    csv.writer(buffer, lineterminator="\n").writerow([_csv_cell(cell) for cell in row])
    return buffer.getvalue()


def lieux_geojson(site: SiteView, lieux: Iterable[Lieu], positions: dict, pieces: ExportPieces = MADE) -> Iterator[str]:
    yield '{\n "type": "FeatureCollection",\n "features": '
    yield from _json_joined(_pieces(site, lieux, positions, pieces, _feature_piece), depth=1)
    yield "\n}\n"
    pieces.done()


def _feature_piece(site: SiteView, lieu: Lieu, position: Position | None) -> str:
    return _json_items([_feature(site, lieu, position)], depth=1)


def _feature(site: SiteView, lieu: Lieu, position: Position | None) -> dict:
    properties = {key: value for key, value in _row(site, lieu, position).items() if key not in (LATITUDE, LONGITUDE)}
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [position.lon, position.lat]} if position else None,
        "properties": properties,
    }


def _json_list(items: Iterable, depth: int = 0) -> Iterator[str]:
    """``json.dumps(list(items), indent=1)`` as written at nesting ``depth``, in pieces, one item at a time: the
    list of a 30,000-lieu export dumped at once took half a gigabyte (the encoder's pieces, every record's dict)."""
    return _json_joined((_json_items([item], depth) for item in items), depth)


def _json_items(items: Iterable, depth: int = 0) -> str:
    """Items of a list written by :func:`_json_list`, each after a comma: one lieu's piece (none, one or more)."""
    pad = "\n" + " " * (depth + 1)
    return "".join("," + pad + json.dumps(item, ensure_ascii=False, indent=1).replace("\n", pad) for item in items)


def _json_joined(pieces: Iterable[str], depth: int = 0) -> Iterator[str]:
    """The list of the items in ``pieces`` (from :func:`_json_items`), as ``json.dumps(indent=1)`` writes it."""
    first = True
    for piece in pieces:
        if piece:
            yield "[" + piece[1:] if first else piece
            first = False
    yield "[]" if first else "\n" + " " * depth + "]"


def _source_code(site: SiteView) -> str:
    return f"spro-{slug(site.site.region)}"


def _page_url(site: SiteView, lieu: Lieu) -> str | None:
    site_url = site.options.site_url
    return f"{site_url.rstrip('/')}/lieux/{lieu.id}/" if site_url else None


def _e164(telephone: str | None) -> str | None:
    """data·inclusion's telephone: E.164 (« +33549123456 », « +262262123456 »), a short number as it is."""
    return phone_uri(telephone).removeprefix("tel:") if telephone else None


def _location(lieu: Lieu, position: Position | None) -> dict:
    return {
        "commune": lieu.adresse.commune,
        "code_postal": lieu.adresse.code_postal,
        "code_insee": lieu.adresse.code_insee,
        "adresse": lieu.adresse.voie,
        "complement_adresse": lieu.adresse.complement,
        "longitude": position.lon if position else None,
        "latitude": position.lat if position else None,
    }


def data_inclusion_structures(
    site: SiteView, lieux: Iterable[Lieu], positions: dict, pieces: ExportPieces = MADE
) -> Iterator[str]:
    """structures.json following the data·inclusion v1 schema: one structure per lieu."""
    yield from _json_joined(_pieces(site, lieux, positions, pieces, _structure_piece))
    yield "\n"
    pieces.done()


def data_inclusion_services(
    site: SiteView, lieux: Iterable[Lieu], positions: dict, pieces: ExportPieces = MADE
) -> Iterator[str]:
    """services.json following the data·inclusion v1 schema: one service per service of each lieu."""
    yield from _json_joined(_pieces(site, lieux, positions, pieces, _services_piece))
    yield "\n"
    pieces.done()


def _structure_piece(site: SiteView, lieu: Lieu, position: Position | None) -> str:
    return _json_items([_structure(site, lieu, position)])


def _services_piece(site: SiteView, lieu: Lieu, position: Position | None) -> str:
    return _json_items(_services_of(site, lieu, position))


def _structure(site: SiteView, lieu: Lieu, position: Position | None) -> dict:
    reseau = site.reseaux[lieu.reseau]
    source = _source_code(site)
    return {
        "source": source,
        "id": f"{source}--{lieu.id}",
        "nom": lieu.nom,
        "date_maj": lieu.verifie_le.isoformat(),
        "description": lieu.description,
        "lien_source": _page_url(site, lieu),
        "siret": lieu.siret,
        **_location(lieu, position),
        "telephone": _e164(lieu.contact.telephone),
        "courriel": lieu.contact.courriel,
        "site_web": lieu.contact.site,
        "horaires_accueil": lieu.horaires,
        "accessibilite_lieu": lieu.accessibilite.acceslibre,
        "reseaux_porteurs": [reseau.reseau_porteur_data_inclusion] if reseau.reseau_porteur_data_inclusion else None,
    }


def _services_of(site: SiteView, lieu: Lieu, position: Position | None) -> list[dict]:
    structure_id = f"{_source_code(site)}--{lieu.id}"
    publics = sorted({site.publics[p].public_data_inclusion or p for p in lieu.publics})
    modes_accueil = sorted({records.MODES_ACCUEIL_DATA_INCLUSION[m] for m in lieu.modalites}) or ["en-presentiel"]
    mobilisation = [
        m
        for m, present in (
            ("se-presenter", "sur-place" in lieu.modalites and not lieu.sur_rendez_vous),
            ("telephoner", bool(lieu.contact.telephone)),
            ("envoyer-un-courriel", bool(lieu.contact.courriel)),
        )
        if present
    ]
    services = []
    for code in lieu.services:
        service = site.services[code]
        services.append(
            {
                "source": _source_code(site),
                "structure_id": structure_id,
                "id": f"{structure_id}--{code}",
                "nom": service.nom,
                "description": service.description.strip(),
                "lien_source": _page_url(site, lieu),
                "date_maj": lieu.verifie_le.isoformat(),
                "type": service.type_data_inclusion,
                "thematiques": list(service.thematiques_data_inclusion),
                "frais": "gratuit",
                "publics": [records.TOUS_PUBLICS] if records.TOUS_PUBLICS in publics else publics,
                **_location(lieu, position),
                "telephone": _e164(lieu.contact.telephone),
                "courriel": lieu.contact.courriel,
                "modes_accueil": modes_accueil,
                "modes_mobilisation": mobilisation or None,
                "mobilisable_par": ["usagers"],
                "horaires_accueil": lieu.horaires,
            }
        )
    return services
