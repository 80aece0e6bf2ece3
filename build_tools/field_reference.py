"""The contributors' field reference, generated from the JSON Schemas so that it never drifts.

The same sections feed the site page « Les champs des fiches » and the block of CONTRIBUTING.md
between :data:`BEGIN` and :data:`END` (rewritten by ``spro schemas``; a test fails when stale).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import records
from .atomic import write_atomically
from .contract import columns_of
from .json_schemas import render_schemas

BEGIN = "<!-- champs : début (généré par « spro schemas », ne pas modifier à la main) -->"
END = "<!-- champs : fin -->"

SECTIONS = (
    ("lieu.schema.json", "Un lieu d'accueil", "data/lieux/<identifiant>.yaml"),
    ("evenement.schema.json", "Un événement", "data/evenements/<identifiant>.yaml"),
    ("metier.schema.json", "Une fiche métier", "data/metiers/<code ROME>.yaml"),
    ("bassin.schema.json", "Un bassin d'emploi", "data/bassins/<code>.yaml"),
)
_MAX_CODES = 25
SPREADSHEET_TITLE = "Les colonnes d'un tableur de lieux (`spro import csv`, `spro new lieu`)"


@dataclass(frozen=True)
class Row:
    champ: str
    obligatoire: bool
    description: str
    valeur: str
    exemple: str


@dataclass(frozen=True)
class SpreadsheetColumn:
    """A column ``spro import csv`` reads (and an option of ``spro new lieu``), as records.py declares it."""

    colonne: str
    autres_noms: str
    obligatoire: str
    contenu: str


def spreadsheet_columns() -> tuple[SpreadsheetColumn, ...]:
    def needed(column) -> str:
        if column.required:
            return "oui"
        return "l'une des deux" if column.key in records.PLACE_KEYS else ""

    return tuple(
        SpreadsheetColumn(c.key, ", ".join(c.declared.aliases), needed(c), c.label) for c in columns_of(records.LIEU)
    )


@dataclass(frozen=True)
class Section:
    titre: str
    fichier: str
    schema: str
    lignes: tuple[Row, ...]


def sections(codes: dict[str, list[str]]) -> list[Section]:
    schemas = {name: json.loads(text) for name, text in render_schemas(codes).items()}
    return [Section(title, pattern, name, tuple(_rows(schemas[name], ""))) for name, title, pattern in SECTIONS]


def _rows(schema: dict, prefix: str):
    required = set(schema.get("required", ()))
    for name, spec in schema.get("properties", {}).items():
        path = prefix + name
        example = spec.get("examples", [None])[0]
        default = f" ; {_yaml_inline(spec['default'])} si le champ est absent" if "default" in spec else ""
        yield Row(
            path,
            name in required,
            spec.get("description", ""),
            describe(spec) + default,
            "" if example is None else _yaml_inline(example),
        )
        items = spec.get("items", {})
        if spec.get("type") == "object":
            yield from _rows(spec, path + ".")
        elif items.get("type") == "object":
            yield from _rows(items, path + "[].")


def describe(spec: dict) -> str:
    """What a value looks like, in French, from its schema."""
    kind = spec.get("type")
    if "enum" in spec:
        values = spec["enum"]
        shown = ", ".join(values[:_MAX_CODES]) + (f"… ({len(values)} codes)" if len(values) > _MAX_CODES else "")
        return f"un code parmi : {shown}"
    if kind == "array":
        return f"liste de {_several(describe(spec.get('items', {})))}"
    if kind == "object":
        return "groupe de champs (ci-dessous)"
    if kind == "boolean":
        return "true (oui) ou false (non)"
    if kind == "number":
        return f"nombre (point décimal), de {_number(spec['minimum'])} à {_number(spec['maximum'])}"
    formats = {"date": "date AAAA-MM-JJ", "uri": "adresse web https://", "email": "adresse électronique"}
    if spec.get("format") in formats:
        return formats[spec["format"]]
    return f"texte (au plus {spec['maxLength']} caractères)" if "maxLength" in spec else "texte"


def _several(description: str) -> str:
    for one, several in (
        ("un code parmi", "codes parmi"),
        ("groupe de champs", "groupes de champs"),
        ("texte", "textes"),
    ):
        if description.startswith(one):
            return several + description[len(one) :]
    return description


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _yaml_inline(value) -> str:
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000).strip()
    return text.removesuffix("\n...").removesuffix("...").strip()


def markdown(all_sections: list[Section]) -> str:
    lines = [BEGIN, ""]
    for section in all_sections:
        lines += [
            f"### {section.titre} — `{section.fichier}`",
            "",
            "| Champ | Obligatoire | Contenu | Valeur | Exemple |",
            "| --- | --- | --- | --- | --- |",
        ]
        for row in section.lignes:
            cells = [
                f"`{row.champ}`",
                "oui" if row.obligatoire else "",
                row.description,
                row.valeur,
                f"`{row.exemple}`" if row.exemple else "",
            ]
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        lines.append("")
    lines += [
        f"### {SPREADSHEET_TITLE}",
        "",
        "| Colonne | Autres noms acceptés | Obligatoire | Contenu |",
        "| --- | --- | --- | --- |",
    ]
    for column in spreadsheet_columns():
        cells = [f"`{column.colonne}`", column.autres_noms, column.obligatoire, column.contenu]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    lines += ["", END]
    return "\n".join(lines)


def _updated(path: Path, all_sections: list[Section]) -> tuple[str, str]:
    """(current text, text with the generated block rewritten) of CONTRIBUTING.md."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text, text[:start] + markdown(all_sections) + text[end:]


def contributing_is_current(path: Path, all_sections: list[Section]) -> bool:
    current, updated = _updated(path, all_sections)
    return current == updated


def update_contributing(path: Path, all_sections: list[Section]) -> bool:
    """Rewrite the generated block of CONTRIBUTING.md; True when it changed."""
    current, updated = _updated(path, all_sections)
    if updated == current:
        return False
    write_atomically(path, updated)
    return True
