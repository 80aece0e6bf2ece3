"""Open-data exports: lieux.csv, lieux.geojson and the data·inclusion v1 structures/services."""

from __future__ import annotations

import csv
import io
import json
import re

from ..formats import phone_uri
from ..loader import slug
from ..model import Dataset, Lieu
from ..positions import Geography

CSV_COLUMNS = (
    ("id", "identifiant du lieu (nom du fichier de données)"),
    ("nom", "nom du lieu"),
    ("reseau", "code du réseau"),
    ("reseau_nom", "nom du réseau"),
    ("structure", "organisme gestionnaire"),
    ("siret", "numéro SIRET"),
    ("adresse", "numéro et voie"),
    ("complement_adresse", "complément d'adresse"),
    ("code_postal", "code postal"),
    ("commune", "commune"),
    ("code_insee", "code INSEE de la commune"),
    ("bassin", "code du bassin d'emploi"),
    ("latitude", "latitude (WGS 84)"),
    ("longitude", "longitude (WGS 84)"),
    ("position_approximative", "oui si la position n'est pas celle de l'adresse exacte"),
    ("services", "codes des services, séparés par « | »"),
    ("publics", "codes des publics, séparés par « | »"),
    ("modalites", "modalités d'accueil, séparées par « | »"),
    ("sur_rendez_vous", "oui ou non"),
    ("horaires", "horaires au format OpenStreetMap"),
    ("telephone", "téléphone"),
    ("courriel", "adresse électronique"),
    ("site_web", "site web"),
    ("accessible_pmr", "oui, non ou vide si non renseigné"),
    ("label_depuis", "date d'attribution du label régional"),
    ("verifie_le", "date de dernière vérification"),
)

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


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("oui" if value else "non")


def _row(dataset: Dataset, geography: Geography, lieu: Lieu) -> dict[str, str | float | None]:
    """One lieu as export cells: text, except the coordinates (numbers, None without a position)."""
    position = geography.positions.get(lieu.id)
    a = lieu.adresse
    row = {
        "id": lieu.id,
        "nom": lieu.nom,
        "reseau": lieu.reseau,
        "reseau_nom": dataset.reseaux[lieu.reseau].nom,
        "structure": lieu.structure or "",
        "siret": lieu.siret or "",
        "adresse": a.voie,
        "complement_adresse": a.complement or "",
        "code_postal": a.code_postal,
        "commune": a.commune,
        "code_insee": a.code_insee,
        "bassin": lieu.bassin,
        "latitude": float(position.lat) if position else None,
        "longitude": float(position.lon) if position else None,
        "position_approximative": _yes_no(position.approximatif) if position else "",
        "services": "|".join(lieu.services),
        "publics": "|".join(lieu.publics),
        "modalites": "|".join(lieu.modalites),
        "sur_rendez_vous": _yes_no(lieu.sur_rendez_vous),
        "horaires": lieu.horaires or "",
        "telephone": lieu.contact.telephone or "",
        "courriel": lieu.contact.courriel or "",
        "site_web": lieu.contact.site or "",
        "accessible_pmr": _yes_no(lieu.accessibilite.pmr),
        "label_depuis": lieu.label_depuis.isoformat() if lieu.label_depuis else "",
        "verifie_le": lieu.verifie_le.isoformat(),
    }
    return row


def lieux_csv(dataset: Dataset, geography: Geography) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[name for name, _ in CSV_COLUMNS], lineterminator="\n")
    writer.writeheader()
    for lieu in dataset.lieux.values():
        writer.writerow({key: _csv_cell(value) for key, value in _row(dataset, geography, lieu).items()})
    return buffer.getvalue()


def lieux_geojson(dataset: Dataset, geography: Geography) -> str:
    features = []
    for lieu in dataset.lieux.values():
        position = geography.positions.get(lieu.id)
        properties = {
            key: value for key, value in _row(dataset, geography, lieu).items() if key not in ("latitude", "longitude")
        }
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [position.lon, position.lat]} if position else None,
                "properties": properties,
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1) + "\n"


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


def data_inclusion(dataset: Dataset, geography: Geography, page_url=lambda lieu: None) -> tuple[str, str]:
    """(structures.json, services.json) following the data·inclusion v1 schema."""
    source = _source_code(dataset)
    structures, services = [], []
    for lieu in dataset.lieux.values():
        structure_id = f"{source}--{lieu.id}"
        reseau = dataset.reseaux[lieu.reseau]
        structures.append(
            {
                "source": source,
                "id": structure_id,
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
                "reseaux_porteurs": [reseau.reseau_porteur_data_inclusion]
                if reseau.reseau_porteur_data_inclusion
                else None,
            }
        )
        publics = sorted({dataset.publics[p].public_data_inclusion or p for p in lieu.publics})
        modes_accueil = sorted({"en-presentiel" if m == "sur-place" else "a-distance" for m in lieu.modalites}) or [
            "en-presentiel"
        ]
        mobilisation = [
            m
            for m, present in (
                ("se-presenter", "sur-place" in lieu.modalites and not lieu.sur_rendez_vous),
                ("telephoner", bool(lieu.contact.telephone)),
                ("envoyer-un-courriel", bool(lieu.contact.courriel)),
            )
            if present
        ]
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
                    "publics": ["tous-publics"] if "tous-publics" in publics else publics,
                    **_location(lieu, geography),
                    "telephone": _e164(lieu.contact.telephone),
                    "courriel": lieu.contact.courriel,
                    "modes_accueil": modes_accueil,
                    "modes_mobilisation": mobilisation or None,
                    "mobilisable_par": ["usagers"],
                    "horaires_accueil": lieu.horaires,
                }
            )
    dump = lambda records: json.dumps(records, ensure_ascii=False, indent=1) + "\n"  # noqa: E731
    return dump(structures), dump(services)
