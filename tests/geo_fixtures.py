"""A tiny made-up territory to test ``spro communes`` and ``spro bassins repartir`` (never /work/shared).

Six 2018 communes are squares of 0.1° on a grid (lon 0.0–0.3, lat 46.0–46.2), in two departments:

    lat 46.1–46.2   Epsilon 79001 | Saint-Zêta 79002 | Delta 86004
    lat 46.0–46.1   Alpha 86001   | Bêta 86002       | Gamma 86003

Gamma and Delta merged into « Gamma-et-Delta » (86003, anciensCodes [86004]); both live on as
delegated communes. Saint-Zêta has an island (a small square south of Bêta). Alpha and Bêta
share the postal code 86100. Two EPCIs: « CC de l'Ouest » (Alpha, Epsilon, Bêta) and « CC de l'Est »
(Gamma-et-Delta, Saint-Zêta, its main town, and Bordeaux, outside the territory).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import DEMO

SQUARES = {"86001": (0, 0), "86002": (1, 0), "86003": (2, 0), "79001": (0, 1), "79002": (1, 1), "86004": (2, 1)}
ISLAND = [[0.14, 45.96], [0.16, 45.96], [0.16, 45.98], [0.14, 45.98], [0.14, 45.96]]
COG = [
    {
        "code": "79001",
        "nom": "Epsilon",
        "type": "commune-actuelle",
        "departement": "79",
        "codesPostaux": ["79100"],
        "population": 800,
    },
    {
        "code": "79002",
        "nom": "Saint-Zêta",
        "type": "commune-actuelle",
        "departement": "79",
        "codesPostaux": ["79200"],
        "population": 3000,
    },
    {
        "code": "86001",
        "nom": "Alpha",
        "type": "commune-actuelle",
        "departement": "86",
        "codesPostaux": ["86100"],
        "population": 12000,
    },
    {
        "code": "86002",
        "nom": "Bêta",
        "type": "commune-actuelle",
        "departement": "86",
        "codesPostaux": ["86100"],
        "population": 450,
    },
    {
        "code": "86003",
        "nom": "Gamma-et-Delta",
        "type": "commune-actuelle",
        "departement": "86",
        "codesPostaux": ["86210", "86200"],
        "population": 2100,
        "anciensCodes": ["86004"],
    },
    {"code": "86003", "nom": "Gamma", "type": "commune-deleguee", "departement": "86", "chefLieu": "86003"},
    {"code": "86004", "nom": "Delta", "type": "commune-deleguee", "departement": "86", "chefLieu": "86003"},
    {
        "code": "33063",
        "nom": "Bordeaux",
        "type": "commune-actuelle",
        "departement": "33",
        "codesPostaux": ["33000"],
        "population": 260000,
    },
]
EPCIS = [
    {"code": "200000001", "nom": "CC de l'Ouest", "membres": [{"code": "86001"}, {"code": "79001"}, {"code": "86002"}]},
    {"code": "200000002", "nom": "CC de l'Est", "membres": [{"code": "86003"}, {"code": "79002"}, {"code": "33063"}]},
]
BASSINS = {"nord": ("Bassin du Nord", ["79001", "79002"]), "sud": ("Bassin du Sud", ["86001", "86002", "86003"])}


def square(code: str) -> list[list[float]]:
    column, row = SQUARES[code]
    x, y = round(column / 10, 1), round(46 + row / 10, 1)
    return [[x, y], [round(x + 0.1, 1), y], [round(x + 0.1, 1), round(y + 0.1, 1)], [x, round(y + 0.1, 1)], [x, y]]


def outline_2018(code: str) -> dict:
    if code == "79002":
        return {"type": "MultiPolygon", "coordinates": [[square(code)], [ISLAND]]}
    return {"type": "Polygon", "coordinates": [square(code)]}


def write_reference(folder: Path) -> Path:
    """The offline reference folder, named like /work/shared/geo."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cog-2026-communes.json").write_text(json.dumps(COG, ensure_ascii=False), encoding="utf-8")
    (folder / "cog-2026-epci.json").write_text(json.dumps(EPCIS, ensure_ascii=False), encoding="utf-8")
    for departement, name in (("79", "deux-sevres"), ("86", "vienne")):
        features = [
            {"type": "Feature", "properties": {"code": code, "nom": code}, "geometry": outline_2018(code)}
            for code in SQUARES
            if code.startswith(departement)
        ]
        (folder / f"contours-2018-communes-{departement}-{name}.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
        )
    return folder


def api_answers() -> dict[str, object]:
    """What geo.api.gouv.fr answers for the same territory (current communes with their current outline)."""
    answers: dict[str, object] = {}
    for departement in ("79", "86"):
        features = []
        for entry in COG:
            if entry["type"] != "commune-actuelle" or entry["departement"] != departement:
                continue
            if entry["code"] == "86003":
                geometry = {
                    "type": "Polygon",
                    "coordinates": [[[0.2, 46.0], [0.3, 46.0], [0.3, 46.2], [0.2, 46.2], [0.2, 46.0]]],
                }
            else:
                geometry = outline_2018(entry["code"])
            properties = {k: entry[k] for k in ("nom", "code", "codesPostaux", "population")}
            features.append({"type": "Feature", "properties": properties, "geometry": geometry})
        answers[f"/departements/{departement}/communes"] = {"type": "FeatureCollection", "features": features}
        answers[f"/communes_associees_deleguees?{departement}"] = [
            {k: entry[k] for k in ("nom", "code", "type", "chefLieu")}
            for entry in COG
            if entry["type"] == "commune-deleguee" and entry["departement"] == departement
        ]
    return answers


def write_project(root: Path, bassins: dict[str, tuple[str, list[str]]] = BASSINS) -> Path:
    """A data folder for the made-up territory: the demo's tables, its site.yaml for departments 79 and 86,
    basins listing ``bassins``, no lieux; no gazetteer yet (``spro communes`` writes it)."""
    data = root / "data"
    data.mkdir(parents=True)
    for name in ("services.yaml", "reseaux.yaml", "publics.yaml"):
        shutil.copy(DEMO / name, data / name)
    site = (DEMO / "site.yaml").read_text(encoding="utf-8")
    (data / "site.yaml").write_text(
        site.replace('departements: ["16", "17", "79", "86"]', 'departements: ["79", "86"]'), encoding="utf-8"
    )
    for folder in ("lieux", "metiers", "bassins"):
        (data / folder).mkdir()
    for code, (nom, communes) in bassins.items():
        lines = [
            "# yaml-language-server: $schema=../../schemas/bassin.schema.json",
            f"nom: {nom}",
            "departements: [" + ", ".join(sorted({f'"{c[:2]}"' for c in communes})) + "]",
            "communes:",
        ]
        lines += [f'  - "{c}"' for c in communes]
        (data / "bassins" / f"{code}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data
