"""Open data that parses: each export of donnees/ read back with a standard parser and compared with the model."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json

import pytest
from conftest import DEMO, VALID_LIEU
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.export_pieces import MADE, KeptExportPieces
from build_tools.generate import SiteOptions, exports, generate_site
from build_tools.generate.exports import CSV_COLUMNS, _json_list, lieux_csv, spreadsheet_safe
from build_tools.generate.pages import SiteContext
from build_tools.geocache import CACHE_FILE_NAME, GeocodeCache
from build_tools.loader import load_dataset
from build_tools.positions import locate

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def model():
    data, report = load_dataset(DEMO)
    assert not report.errors
    cache, problems = GeocodeCache.load(DEMO / CACHE_FILE_NAME)
    assert problems == []
    return data, locate(data, cache)


def read_csv(site) -> list[dict[str, str]]:
    with (site / "donnees/lieux.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames == [name for name, _ in CSV_COLUMNS]
        return list(reader)


def read_json(site, path: str):
    return json.loads((site / "donnees" / path).read_text(encoding="utf-8"))


def guarded(text: str | None) -> str:
    """What the CSV holds for a text cell: the text, behind a quote when a spreadsheet would run it."""
    return "" if text is None else ("'" + text if text.startswith(FORMULA_STARTS) else text)


def test_every_csv_coordinate_is_a_number_equal_to_the_geojson(demo_site, model):
    data, geography = model
    rows = read_csv(demo_site)
    features = {f["properties"]["id"]: f for f in read_json(demo_site, "lieux.geojson")["features"]}
    assert [r["id"] for r in rows] == list(data.lieux) == list(features)
    assert any(float(r["longitude"]) < 0 for r in rows)  # the west of the region: the case that broke
    for row in rows:
        latitude, longitude = float(row["latitude"]), float(row["longitude"])
        assert features[row["id"]]["geometry"]["coordinates"] == [longitude, latitude], row["id"]
        position = geography.positions[row["id"]]
        assert (latitude, longitude) == (position.lat, position.lon)


def test_csv_rows_are_the_model(demo_site, model):
    data, geography = model
    for row in read_csv(demo_site):
        lieu = data.lieux[row["id"]]
        a, contact = lieu.adresse, lieu.contact
        assert row == {
            **row,
            "nom": guarded(lieu.nom),
            "reseau": lieu.reseau,
            "reseau_nom": guarded(data.reseaux[lieu.reseau].nom),
            "structure": guarded(lieu.structure),
            "siret": lieu.siret or "",
            "adresse": guarded(a.voie),
            "complement_adresse": guarded(a.complement),
            "code_postal": a.code_postal,
            "commune": guarded(a.commune),
            "code_insee": a.code_insee,
            "bassin": lieu.bassin,
            "position_approximative": "oui" if geography.positions[lieu.id].approximatif else "non",
            "horaires": guarded(lieu.horaires),
            "telephone": guarded(contact.telephone),
            "courriel": guarded(contact.courriel),
            "site_web": guarded(contact.site),
            "verifie_le": lieu.verifie_le.isoformat(),
            "label_depuis": lieu.label_depuis.isoformat() if lieu.label_depuis else "",
        }, lieu.id
        assert row["services"].split("|") == list(lieu.services) and row["publics"].split("|") == list(lieu.publics)
        assert row["sur_rendez_vous"] == ("oui" if lieu.sur_rendez_vous else "non")


def test_geojson_properties_are_the_model(demo_site, model):
    data, _ = model
    collection = read_json(demo_site, "lieux.geojson")
    assert collection["type"] == "FeatureCollection"
    for feature in collection["features"]:
        lieu, properties = data.lieux[feature["properties"]["id"]], feature["properties"]
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        assert "latitude" not in properties and "longitude" not in properties
        assert (properties["nom"], properties["adresse"], properties["code_insee"]) == (
            lieu.nom,
            lieu.adresse.voie,
            lieu.adresse.code_insee,
        )
        assert properties["services"].split("|") == list(lieu.services)
        assert properties["telephone"] == (lieu.contact.telephone or "")


def test_data_inclusion_exports_are_the_model(demo_site, model):
    data, geography = model
    structures = read_json(demo_site, "data-inclusion/structures.json")
    services = read_json(demo_site, "data-inclusion/services.json")
    assert [s["id"].split("--", 1)[1] for s in structures] == list(data.lieux)
    for structure in structures:
        lieu = data.lieux[structure["id"].split("--", 1)[1]]
        position = geography.positions[lieu.id]
        assert (structure["nom"], structure["siret"], structure["courriel"]) == (
            lieu.nom,
            lieu.siret,
            lieu.contact.courriel,
        )
        assert (structure["latitude"], structure["longitude"]) == (position.lat, position.lon)
        assert structure["date_maj"] == lieu.verifie_le.isoformat() and structure["horaires_accueil"] == lieu.horaires
    expected = {f"{s['id']}--{code}" for s in structures for code in data.lieux[s["id"].split("--", 1)[1]].services}
    assert {s["id"] for s in services} == expected
    for service in services:
        code = service["id"].rsplit("--", 1)[1]
        assert service["nom"] == data.services[code].nom and service["type"] == data.services[code].type_data_inclusion


def test_the_formula_guard_is_for_text_cells_only(dataset):
    """Text starting like a formula is neutralised; a negative coordinate stays a number."""
    # west of the Greenwich meridian: La Rochelle (positions are checked against their commune's centre)
    rochelle = (
        VALID_LIEU.replace('"86000"', '"17000"')
        .replace("commune: Poitiers", "commune: La Rochelle")
        .replace('"86194"', '"17300"')
        .replace("bassin: poitiers", "bassin: la-rochelle")
    )
    dataset.write(
        "lieux/antenne.yaml",
        rochelle.replace("Mission locale du Poitou – antenne de test", '"=1+1"')
        + 'structure: "+33 organisme"\ncoordonnees:\n  lat: 46.1535\n  lon: -1.160227\n',
    )
    for number, start in enumerate(("-", "@")):
        dataset.write(
            f"lieux/l{number}.yaml",
            rochelle.replace("voie: 12 rue", f'voie: "{start}{number} rue').replace(
                "de la Marne\n", 'de la Marne"\n', 1
            )
            + "coordonnees:\n  lat: 46.16\n  lon: -1.15\n",
        )
    data, report = dataset.load()
    assert not report.errors, report.errors
    geography = locate(data, GeocodeCache(dataset.root))
    site = SiteContext(data, geography, SiteOptions(build_date=dt.date(2026, 11, 20)))
    rows = {
        r["id"]: r
        for r in csv.DictReader(io.StringIO("".join(lieux_csv(site.view, data.lieux.values(), geography.positions))))
    }
    assert (rows["antenne"]["nom"], rows["antenne"]["structure"]) == ("'=1+1", "'+33 organisme")
    assert (rows["antenne"]["latitude"], rows["antenne"]["longitude"]) == ("46.1535", "-1.160227")
    for number, start in enumerate(("-", "@")):
        assert (rows[f"l{number}"]["adresse"], rows[f"l{number}"]["longitude"]) == (
            f"'{start}{number} rue de la Marne",
            "-1.15",
        )
    # Tab and carriage return cannot start a loaded field (single-line fields are trimmed): the guard itself.
    assert [spreadsheet_safe(f"{start}x") for start in FORMULA_STARTS] == [f"'{start}x" for start in FORMULA_STARTS]
    assert spreadsheet_safe("x=1") == "x=1"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(JSON_VALUES, max_size=4))
def test_exports_written_item_by_item_are_the_json_of_the_whole_list(items):
    """The large exports are made in pieces, one record at a time (memory): together, the pieces are
    json.dumps(..., indent=1)'s text, at the top (data·inclusion) and one level down (the GeoJSON's features)."""
    assert "".join(_json_list(items)) == json.dumps(items, ensure_ascii=False, indent=1)
    nested = json.dumps({"features": items}, ensure_ascii=False, indent=1)
    assert '{\n "features": ' + "".join(_json_list(items, depth=1)) + "\n}" == nested


EXPORTS = ("donnees/lieux.csv", "donnees/lieux.geojson", *(f"donnees/data-inclusion/{n}.json" for n in ("structures",
           "services")))  # fmt: skip
PIECE_MAKERS = ("_csv_piece", "_feature_piece", "_structure_piece", "_services_piece")


def exports_made(data, geography, pieces_of=lambda path: MADE) -> dict[str, str]:
    files = generate_site(data, geography, SiteOptions(build_date=dt.date(2026, 11, 20)), pieces_of)
    return {file.path: file.made() for file in files if file.path in EXPORTS}


def test_each_lieus_pieces_of_the_exports_are_taken_again_until_the_lieu_changes(model, tmp_path, monkeypatch):
    """build_tools/export_pieces.py: a lieu's row of each export is made once, then taken from the cache while its
    inputs are the same; the exports are the same text either way."""
    data, geography = model
    monkeypatch.setenv("SPRO_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "projet"
    project.mkdir()
    made: list[str] = []
    for name in PIECE_MAKERS:
        maker = getattr(exports, name)
        monkeypatch.setattr(exports, name, lambda site, lieu, position, maker=maker: made.append(lieu.id) or maker(
            site, lieu, position))  # fmt: skip

    def kept_pieces(path):
        return KeptExportPieces.of(project, path)

    whole = exports_made(data, geography)
    made.clear()
    assert exports_made(data, geography, kept_pieces) == whole
    assert len(made) == 4 * len(data.lieux)
    made.clear()
    assert exports_made(data, geography, kept_pieces) == whole
    assert made == []

    lieu = data.lieux["cio-cognac"]
    changed = dataclasses.replace(
        data, lieux={**data.lieux, lieu.id: dataclasses.replace(lieu, horaires="Mo-Fr 09:00-12:00")}
    )
    whole = exports_made(changed, geography)
    made.clear()
    assert exports_made(changed, geography, kept_pieces) == whole
    assert made == ["cio-cognac"] * 4
