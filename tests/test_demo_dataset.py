"""The demonstration dataset is rich enough to show the whole product, and the schemas match it."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import PurePosixPath

import jsonschema
import pytest
import yaml
from conftest import DEMO, ROOT, TODAY

from build_tools.json_schemas import SCHEMA_FILES, reference_codes, render_schemas
from build_tools.loader import load_dataset
from build_tools.synthetic import generate
from build_tools.yaml_format import data_file_kind


@pytest.fixture(scope="module")
def demo():
    data, report = load_dataset(DEMO, today=TODAY)
    assert report.errors == []
    return data


def test_demo_is_flagged_as_demonstration(demo):
    assert demo.site.demonstration is True
    assert "DONNÉES DE DÉMONSTRATION" in (DEMO / "site.yaml").read_text(encoding="utf-8")


def test_demo_covers_the_region(demo):
    assert len(demo.bassins) == 19
    assert {d for b in demo.bassins.values() for d in b.departements} == {"16", "17", "79", "86"}
    assert len(demo.lieux) >= 150
    assert len(demo.metiers) >= 40
    assert {l.bassin for l in demo.lieux.values()} == set(demo.bassins)


def test_demo_covers_every_network_service_and_public(demo):
    assert {l.reseau for l in demo.lieux.values()} == set(demo.reseaux)
    assert (
        {s for l in demo.lieux.values() for s in l.services}
        == set(demo.services)
        >= {"api", "cep", "vae", "creation-entreprise"}
    )
    assert {p for l in demo.lieux.values() for p in l.publics} == set(demo.publics)
    for network in (
        "mission-locale",
        "france-travail",
        "cap-emploi",
        "apec",
        "cio",
        "information-jeunesse",
        "cidff",
        "cci",
        "cma",
        "chambre-agriculture",
        "transitions-pro",
        "suio",
    ):
        assert network in demo.reseaux


def test_demo_has_varied_states(demo):
    lieux = list(demo.lieux.values())
    assert len({l.horaires for l in lieux}) >= 6
    assert any(l.horaires is None for l in lieux)
    assert sum(bool(l.fermetures) for l in lieux) >= 10
    assert Counter(l.accessibilite.pmr for l in lieux).keys() >= {True, False, None}
    assert 0 < sum(l.labellise for l in lieux) < len(lieux)
    assert any((TODAY - l.verifie_le).days > 365 for l in lieux)
    assert any(l.coordonnees for l in lieux)


def test_committed_schemas_are_up_to_date():
    rendered = render_schemas(reference_codes(DEMO))
    for name, text in rendered.items():
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == text, f"lancez « spro schemas » ({name})"


def _schema_for(path):
    relative = path.relative_to(DEMO).as_posix()
    name = PurePosixPath(data_file_kind(PurePosixPath(relative)).schema).name
    return json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))


def test_every_data_file_references_its_schema_and_passes_it():
    files = sorted(DEMO.rglob("*.yaml"))
    assert len(files) > 200
    for path in files:
        text = path.read_text(encoding="utf-8")
        schema = _schema_for(path)
        assert text.startswith("# yaml-language-server: $schema=") and schema["$id"] in text.splitlines()[0], path
        jsonschema.validate(_json_ready(yaml.safe_load(text)), schema, format_checker=jsonschema.FormatChecker())


def _json_ready(value):
    """YAML dates as the ISO strings editors see (YAML 1.2 has no date type)."""
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def test_schema_files_cover_every_kind_of_data_file():
    assert set(SCHEMA_FILES) == {p.name for p in (ROOT / "schemas").glob("*.json")}


def test_synthetic_datasets_are_valid(tmp_path):
    generate(DEMO, tmp_path / "data", 400, today=TODAY)
    data, report = load_dataset(tmp_path / "data", today=TODAY)
    assert report.errors == []
    assert len(data.lieux) == 400


# -- basin outlines (data/bassins/<code>.geojson, written by spro communes) ----------------------------


@pytest.fixture(scope="module")
def outlines(demo):
    import shapely
    from shapely.geometry import shape

    texts = {code: (DEMO / "bassins" / f"{code}.geojson").read_text(encoding="utf-8") for code in demo.bassins}
    return texts, {code: shape(json.loads(text)) for code, text in texts.items()}, shapely


def test_each_basin_outline_is_one_rfc7946_geometry_fit_for_the_web(demo, outlines):
    texts, shapes, shapely = outlines
    assert {b.contour for b in demo.bassins.values()} == {f"data/bassins/{code}.geojson" for code in demo.bassins}
    for code, text in texts.items():
        geometry = json.loads(text)
        assert set(geometry) == {"type", "coordinates"} and geometry["type"] in ("Polygon", "MultiPolygon"), code
        assert len(text.encode("utf-8")) <= 200 * 1024 and shapes[code].is_valid, code
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for rings in polygons:
            for index, ring in enumerate(rings):
                assert ring[0] == ring[-1] and all(round(v, 5) == v for point in ring for v in point), code
                assert shapely.LinearRing(ring).is_ccw is (index == 0), (
                    code
                )  # exterior counter-clockwise, holes clockwise


def test_basin_outlines_cover_the_territory_each_commune_in_its_own_basin(demo, outlines):
    """Every commune centre of the gazetteer falls in its own basin's outline and in no other; neighbours share
    their borders (no overlap) and the union has no hole (no gap between basins)."""
    from build_tools.geometry import area_km2

    _, shapes, shapely = outlines
    codes = list(shapes)
    tree = shapely.STRtree([shapes[code] for code in codes])
    points = [shapely.Point(c.lon, c.lat) for c in demo.communes.values()]
    containing = tree.query(points, predicate="within")
    found: dict[int, list[str]] = {}
    for point_index, shape_index in zip(*containing):
        found.setdefault(int(point_index), []).append(codes[shape_index])
    wrong = [
        (c.code_insee, c.nom, c.bassin, found.get(i))
        for i, c in enumerate(demo.communes.values())
        if found.get(i) != [c.bassin]
    ]
    assert wrong == [], wrong
    overlap = sum(
        area_km2(shapes[a].intersection(shapes[b]))
        for i, a in enumerate(codes)
        for b in codes[i + 1 :]
        if shapes[a].intersects(shapes[b])
    )
    union = shapely.union_all(list(shapes.values()))
    holes = sum(len(polygon.interiors) for polygon in getattr(union, "geoms", [union]))
    total = sum(area_km2(shape) for shape in shapes.values())
    assert overlap < 0.01 and holes == 0, f"chevauchements {overlap:.4f} km², {holes} trou(s)"
    assert abs(total - area_km2(union)) < 0.01, f"aires : somme {total:.2f} km², réunion {area_km2(union):.2f} km²"
    assert 25_500 < area_km2(union) < 26_500  # Poitou-Charentes: about 26,000 km² with its islands
