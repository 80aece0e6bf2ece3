"""Open-data exports: lieux.csv, lieux.geojson and the data·inclusion v1 structures/services."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Iterator

from .. import records
from ..contract import columns_of
from ..formats import phone_uri
from ..model import Dataset, Lieu
from ..positions import Geography
from ..text import slug

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


def _row(dataset: Dataset, geography: Geography, lieu: Lieu) -> dict[str, str | float | None]:
    """One lieu as export cells: text, except the coordinates (numbers, None without a position), which are where
    the lieu is shown (typed by hand or geocoded)."""
    position = geography.positions.get(lieu.id)
    cells = {column.declared.export: _cell(_at(lieu, column.field)) for column in EXPORTED}
    cells |= {
        "reseau_nom": dataset.reseaux[lieu.reseau].nom,
        LATITUDE: float(position.lat) if position else None,  # where the lieu is shown (typed or geocoded)
        LONGITUDE: float(position.lon) if position else None,
        "position_approximative": _cell(position.approximatif) if position else "",
    }
    return {name: cells[name] for name, _ in CSV_COLUMNS}


# Each export is made in pieces (one record each), which the build writes one after the other: at 30,000 lieux, one
# export made whole was a string of 87 MB, and the pieces it was joined from as much again.


def lieux_csv(dataset: Dataset, geography: Geography) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[name for name, _ in CSV_COLUMNS], lineterminator="\n")
    writer.writeheader()
    for lieu in dataset.lieux.values():
        writer.writerow({key: _csv_cell(value) for key, value in _row(dataset, geography, lieu).items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def lieux_geojson(dataset: Dataset, geography: Geography) -> Iterator[str]:
    yield '{\n "type": "FeatureCollection",\n "features": '
    yield from _json_list((_feature(dataset, geography, lieu) for lieu in dataset.lieux.values()), depth=1)
    yield "\n}\n"


def _feature(dataset: Dataset, geography: Geography, lieu: Lieu) -> dict:
    position = geography.positions.get(lieu.id)
    properties = {
        key: value for key, value in _row(dataset, geography, lieu).items() if key not in (LATITUDE, LONGITUDE)
    }
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [position.lon, position.lat]} if position else None,
        "properties": properties,
    }


def _json_list(items: Iterable[dict], depth: int = 0) -> Iterator[str]:
    """``json.dumps(list(items), indent=1)`` as written at nesting ``depth``, in pieces, one item at a time: the
    list of a 30,000-lieu export dumped at once took half a gigabyte (the encoder's pieces, every record's dict)."""
    pad = "\n" + " " * (depth + 1)
    separator = "["
    for item in items:
        yield separator + pad + json.dumps(item, ensure_ascii=False, indent=1).replace("\n", pad)
        separator = ","
    yield "[]" if separator == "[" else "\n" + " " * depth + "]"


def _source_code(dataset: Dataset) -> str:
    return f"spro-{slug(dataset.site.region)}"


def _e164(telephone: str | None) -> str | None:
    """data·inclusion's telephone: E.164 (« +33549123456 », « +262262123456 »), a short number as it is."""
    return phone_uri(telephone).removeprefix("tel:") if telephone else None


def _location(lieu: Lieu, geography: Geography) -> dict:
    position = geography.positions.get(lieu.id)
    return {
        "commune": lieu.adresse.commune,
        "code_postal": lieu.adresse.code_postal,
        "code_insee": lieu.adresse.code_insee,
        "adresse": lieu.adresse.voie,
        "complement_adresse": lieu.adresse.complement,
        "longitude": position.lon if position else None,
        "latitude": position.lat if position else None,
    }


def data_inclusion_structures(dataset: Dataset, geography: Geography, page_url=lambda lieu: None) -> Iterator[str]:
    """structures.json following the data·inclusion v1 schema: one structure per lieu."""
    source = _source_code(dataset)
    yield from _json_list(_structure(dataset, geography, source, lieu, page_url) for lieu in dataset.lieux.values())
    yield "\n"


def data_inclusion_services(dataset: Dataset, geography: Geography, page_url=lambda lieu: None) -> Iterator[str]:
    """services.json following the data·inclusion v1 schema: one service per service of each lieu."""
    source = _source_code(dataset)
    services = (
        service
        for lieu in dataset.lieux.values()
        for service in _services_of(dataset, geography, source, lieu, page_url)
    )
    yield from _json_list(services)
    yield "\n"


def _structure(dataset: Dataset, geography: Geography, source: str, lieu, page_url) -> dict:
    reseau = dataset.reseaux[lieu.reseau]
    return {
        "source": source,
        "id": f"{source}--{lieu.id}",
        "nom": lieu.nom,
        "date_maj": lieu.verifie_le.isoformat(),
        "description": lieu.description,
        "lien_source": page_url(lieu),
        "siret": lieu.siret,
        **_location(lieu, geography),
        "telephone": _e164(lieu.contact.telephone),
        "courriel": lieu.contact.courriel,
        "site_web": lieu.contact.site,
        "horaires_accueil": lieu.horaires,
        "accessibilite_lieu": lieu.accessibilite.acceslibre,
        "reseaux_porteurs": [reseau.reseau_porteur_data_inclusion] if reseau.reseau_porteur_data_inclusion else None,
    }


def _services_of(dataset: Dataset, geography: Geography, source: str, lieu, page_url) -> list[dict]:
    structure_id = f"{source}--{lieu.id}"
    publics = sorted({dataset.publics[p].public_data_inclusion or p for p in lieu.publics})
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
        service = dataset.services[code]
        services.append(
            {
                "source": source,
                "structure_id": structure_id,
                "id": f"{structure_id}--{code}",
                "nom": service.nom,
                "description": service.description.strip(),
                "lien_source": page_url(lieu),
                "date_maj": lieu.verifie_le.isoformat(),
                "type": service.type_data_inclusion,
                "thematiques": list(service.thematiques_data_inclusion),
                "frais": "gratuit",
                "publics": [records.TOUS_PUBLICS] if records.TOUS_PUBLICS in publics else publics,
                **_location(lieu, geography),
                "telephone": _e164(lieu.contact.telephone),
                "courriel": lieu.contact.courriel,
                "modes_accueil": modes_accueil,
                "modes_mobilisation": mobilisation or None,
                "mobilisable_par": ["usagers"],
                "horaires_accueil": lieu.horaires,
            }
        )
    return services
