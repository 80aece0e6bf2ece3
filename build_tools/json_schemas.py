"""JSON Schemas of the data files, generated from the contract for editors and other tools.

They are committed in ``schemas/`` and referenced from each YAML file with a
``# yaml-language-server: $schema=...`` comment, so editors autocomplete keys and codes.
``spro schemas`` regenerates them; a test fails when they drift from the contract or the data.

The schemas are the public data contract that other Régions reuse: each carries
``CONTRACT_VERSION`` (a top-level ``version``, as on schema.data.gouv.fr), and CHANGELOG.md
records every change of it. Semantic versioning: major when a file valid before can become
invalid (a field removed, renamed or newly required, a narrower format), minor when the contract
accepts more (a new optional field or value), patch for descriptions and examples. The codes of
the reference tables (services, réseaux, publics, bassins) are data, not contract.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import records
from .contract import TABLE_MARKER, Kind

CONTRACT_VERSION = "2.0.0"

SCHEMA_FILES: dict[str, tuple[str, Kind]] = {
    "lieu.schema.json": ("Lieu d'accueil (data/lieux/<id>.yaml)", records.LIEU),
    "metier.schema.json": ("Fiche métier (data/metiers/<code ROME>.yaml)", records.METIER),
    "bassin.schema.json": ("Bassin d'emploi (data/bassins/<code>.yaml)", records.BASSIN),
    "evenement.schema.json": ("Événement (data/evenements/<id>.yaml)", records.EVENEMENT),
    "services.schema.json": ("Offres de service (data/services.yaml)", records.SERVICES),
    "reseaux.schema.json": ("Réseaux (data/reseaux.yaml)", records.RESEAUX),
    "publics.schema.json": ("Publics (data/publics.yaml)", records.PUBLICS),
    "synonymes.schema.json": ("Synonymes pour « Trouver un lieu » (data/synonymes.yaml)", records.SYNONYMES),
    "site.schema.json": ("Configuration du site (data/site.yaml)", records.SITE),
}


def _fill_tables(schema, codes: dict[str, list[str]]):
    if isinstance(schema, dict):
        table = schema.get(TABLE_MARKER)
        result = {k: _fill_tables(v, codes) for k, v in schema.items() if k != TABLE_MARKER}
        if table and codes.get(table):
            result.pop("pattern", None)
            result["enum"] = codes[table]
        return result
    if isinstance(schema, list):
        return [_fill_tables(item, codes) for item in schema]
    return schema


def render_schemas(codes: dict[str, list[str]]) -> dict[str, str]:
    """File name -> JSON text. ``codes`` maps a table (services, bassins...) to its sorted codes."""
    rendered = {}
    for name, (title, kind) in SCHEMA_FILES.items():
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": name,
            "title": title,
            "version": CONTRACT_VERSION,
            **_fill_tables(kind.json_schema(), codes),
        }
        rendered[name] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    return rendered


def reference_codes(data_root: Path) -> dict[str, list[str]]:
    """The codes of each reference table, read leniently (a broken table just gives no enum)."""
    import yaml

    codes: dict[str, list[str]] = {}
    for table in ("services", "reseaux", "publics"):
        try:
            content = yaml.safe_load((data_root / f"{table}.yaml").read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            continue
        if isinstance(content, dict):
            codes[table] = sorted(str(k) for k in content)
    codes["bassins"] = sorted(p.stem for p in (data_root / "bassins").glob("*.yaml"))
    return codes


def stale_schemas(data_root: Path, target: Path) -> dict[Path, str]:
    """The schema files that differ from the contract and the reference tables, with their expected text."""
    stale = {}
    for name, text in render_schemas(reference_codes(data_root)).items():
        path = target / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale[path] = text
    return stale


def write_schemas(data_root: Path, target: Path) -> list[Path]:
    """Write the schemas whose content changed; returns the paths written."""
    target.mkdir(parents=True, exist_ok=True)
    stale = stale_schemas(data_root, target)
    for path, text in stale.items():
        path.write_text(text, encoding="utf-8")
    return list(stale)
