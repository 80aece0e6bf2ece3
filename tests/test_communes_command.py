"""``spro communes`` (offline and against a stand-in geo.api.gouv.fr) and ``spro bassins repartir``, on the
made-up territory of geo_fixtures (tests never read /work/shared)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from fake_geo_api import FakeGeoApi
from geo_fixtures import write_project, write_reference
from shapely.geometry import shape
from site_helpers import spro

from build_tools import geometry
from build_tools.basin_assignment import Epci, assign
from build_tools.geo_reference import GeoReferenceError, JsonService, from_folder, from_service
from build_tools.geocoder import USER_AGENT, Politeness
from build_tools.loader import DataLoader
from build_tools.model import Commune

EXPECTED_COMMUNES = """\
code_insee;nom;codes_postaux;population;lat;lon
79001;Epsilon;79100;800;46.15000;0.05000
79002;Saint-Zêta;79200;3000;46.14308;0.15000
86001;Alpha;86100;12000;46.05000;0.05000
86002;Bêta;86100;450;46.05000;0.15000
86003;Gamma-et-Delta;86200 86210;2100;46.10000;0.25000
"""
EXPECTED_DELEGUEES = """\
code_insee;nom;type;commune
86003;Gamma;deleguee;86003
86004;Delta;deleguee;86003
"""


@pytest.fixture
def project(tmp_path) -> Path:
    write_project(tmp_path)
    write_reference(tmp_path / "reference")
    return tmp_path


def outputs(project: Path) -> dict[str, bytes]:
    data = project / "data"
    return {
        p.relative_to(data).as_posix(): p.read_bytes()
        for p in sorted([*data.glob("communes*.csv"), *data.glob("bassins/*")])
    }


def test_offline_build_writes_the_gazetteer_and_outlines_then_the_data_validates(project):
    result = spro(project, "communes", "--reference", "reference")
    assert result.returncode == 0, result.stderr
    assert "5 communes, 2 communes déléguées ou associées" in result.stdout
    assert "Contours des bassins (tolérance de simplification 0.002°) : 2 fichiers" in result.stdout
    assert "0,00 km² hors de tout bassin" in result.stdout and "0,00 km² dans deux bassins, 0 trou(s)" in result.stdout
    data = project / "data"
    assert (data / "communes.csv").read_text(encoding="utf-8") == EXPECTED_COMMUNES  # Bordeaux (33) is not wanted
    assert (data / "communes-deleguees.csv").read_text(encoding="utf-8") == EXPECTED_DELEGUEES
    assert spro(project, "validate").returncode == 0


def test_a_second_run_writes_the_same_bytes(project):
    assert spro(project, "communes", "--reference", "reference").returncode == 0
    first = outputs(project)
    assert spro(project, "communes", "--reference", "reference").returncode == 0
    assert outputs(project) == first and len(first) == 6  # 2 gazetteer files, 2 basins and their outlines


def test_outline_files_hold_one_rfc7946_geometry_and_neighbours_share_their_border(project):
    assert spro(project, "communes", "--reference", "reference", "--tolerance", "0").returncode == 0
    shapes = {}
    for code in ("nord", "sud"):
        text = (project / "data/bassins" / f"{code}.geojson").read_text(encoding="utf-8")
        geometry = json.loads(text)
        assert set(geometry) == {"type", "coordinates"} and text.endswith("\n")
        for ring_group in _polygons(geometry):
            for index, ring in enumerate(ring_group):
                assert ring[0] == ring[-1]  # closed
                assert all(len(p) == 2 and all(round(v, 5) == v for v in p) for p in ring)
                counter_clockwise = shapely.LinearRing(ring).is_ccw
                assert counter_clockwise is (index == 0)  # exterior counter-clockwise, holes clockwise
        shapes[code] = shape(geometry)
    assert shapes["nord"].geom_type == "MultiPolygon"  # Saint-Zêta's island
    assert shapes["nord"].intersection(shapes["sud"]).area == 0
    assert shapes["nord"].touches(shapes["sud"])
    assert shapely.union_all(list(shapes.values())).area == pytest.approx(0.06 + 0.0004)


def _polygons(geometry: dict):
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def test_an_outline_of_a_vanished_basin_is_removed(project):
    assert spro(project, "communes", "--reference", "reference").returncode == 0
    (project / "data/bassins/ancien.geojson").write_text('{"type":"Polygon","coordinates":[]}\n', encoding="utf-8")
    result = spro(project, "communes", "--reference", "reference")
    assert "supprimé : data/bassins/ancien.geojson (bassin disparu)" in result.stdout
    assert not (project / "data/bassins/ancien.geojson").exists()


def test_reference_data_that_breaks_the_contract_writes_nothing(project):
    cog = project / "reference/cog-2026-communes.json"
    cog.write_text(cog.read_text(encoding="utf-8").replace('"Alpha"', '"<b>Alpha</b>"'), encoding="utf-8")
    result = spro(project, "communes", "--reference", "reference")
    assert result.returncode == 1
    assert "data/communes.csv:4:7: erreur : nom : « <b>Alpha</b> » : caractère non permis" in result.stderr
    assert "Répertoire des communes non écrit" in result.stderr
    assert not (project / "data/communes.csv").exists()


def test_a_missing_department_file_or_an_unknown_outline_is_explained(project):
    (project / "reference/contours-2018-communes-79-deux-sevres.geojson").unlink()
    result = spro(project, "communes", "--reference", "reference")
    assert result.returncode == 1
    assert "contours du département 79 : un seul fichier contours-*-communes-79*.geojson attendu" in result.stderr
    with pytest.raises(GeoReferenceError, match="dossier de référence introuvable"):
        from_folder(project / "nulle-part", ["86"])


def test_a_commune_in_no_basin_is_reported_after_the_build(project):
    sud = project / "data/bassins/sud.yaml"
    sud.write_text(sud.read_text(encoding="utf-8").replace('  - "86002"\n', ""), encoding="utf-8")
    result = spro(project, "communes", "--reference", "reference")
    assert result.returncode == 1
    assert "1 commune dans aucun bassin : lancez « spro bassins repartir »" in result.stderr
    assert (project / "data/bassins/sud.geojson").exists()  # the outlines of what is listed are written all the same


def test_centre_is_the_centroid_when_inside_else_a_point_inside():
    u_shape = shapely.Polygon([(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3)])
    assert not u_shape.contains(u_shape.centroid)
    lat, lon = geometry.centre(u_shape)
    assert u_shape.contains(shapely.Point(lon, lat))
    assert geometry.centre(shapely.box(0, 46, 1, 47)) == (46.5, 0.5)


def test_an_outline_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(geometry, "MAX_OUTLINE_BYTES", 100)
    with pytest.raises(geometry.OutlineError, match="augmentez la tolérance"):
        geometry.geometry_text(shapely.Point(0, 0).buffer(1, quad_segs=64))


# -- online --------------------------------------------------------------------------------------------

INSTANT = Politeness(requests_per_second=1e9, max_attempts=4, first_backoff=1.0, timeout=5, total_budget=60)


def test_online_build_gives_the_offline_gazetteer(project):
    with FakeGeoApi() as api:
        result = spro(project, "communes", "--en-ligne", env={"SPRO_GEO_API_URL": api.url})
    assert result.returncode == 0, result.stderr
    assert (project / "data/communes.csv").read_text(encoding="utf-8") == EXPECTED_COMMUNES
    assert (project / "data/communes-deleguees.csv").read_text(encoding="utf-8") == EXPECTED_DELEGUEES
    paths = [(path, query) for path, query, _ in api.received]
    assert [p for p, _ in paths] == [
        "/departements/79/communes",
        "/communes_associees_deleguees",
        "/departements/86/communes",
        "/communes_associees_deleguees",
    ]
    assert paths[0][1] == {
        "fields": ["nom,code,codesPostaux,population,contour"],
        "format": ["geojson"],
        "geometry": ["contour"],
    }
    assert paths[3][1]["codeDepartement"] == ["86"]
    assert {agent for _, _, agent in api.received} == {USER_AGENT}


def test_the_url_option_wins_over_the_environment(project):
    with FakeGeoApi() as api:
        result = spro(
            project, "communes", "--en-ligne", "--url", api.url, env={"SPRO_GEO_API_URL": "http://127.0.0.1:9"}
        )
    assert result.returncode == 0, result.stderr


def test_busy_service_is_retried_with_growing_waits(tmp_path):
    waits: list[float] = []
    with FakeGeoApi(failures={"/departements/79/communes": [503, 429]}) as api:
        service = JsonService(api.url, INSTANT, sleep=waits.append)
        reference = from_service(service, ["79", "86"])
    assert sorted(reference.communes) == ["79001", "79002", "86001", "86002", "86003"]
    assert waits == [1.0, 2.0]  # exponential backoff, and no spacing wait at this rate
    assert service.requests_sent == 6


@pytest.mark.parametrize(
    "failures, message",
    [
        ([503] * 4, "HTTP 503, après 4 tentatives"),
        ([404], "le service répond HTTP 404"),
        (["garbage"], "réponse illisible (JSON attendu)"),
        ([b"[" * 100_000], "réponse illisible (JSON attendu)"),
        ([(429, "3600")], "HTTP 429 : le service demande d'attendre 3600 s ; relancez plus tard"),
    ],
)
def test_service_failures_end_in_a_clear_message(failures, message):
    waits: list[float] = []
    with FakeGeoApi(failures={"/departements/79/communes": failures}) as api:
        with pytest.raises(GeoReferenceError, match=message.replace("(", r"\(").replace(")", r"\)")):
            from_service(JsonService(api.url, INSTANT, sleep=waits.append), ["79"])
    assert waits == ([1.0, 2.0, 4.0] if failures[0] == 503 else [])


def test_requests_are_spaced():
    now = [0.0]
    sent: list[float] = []

    def sleep(seconds: float) -> None:
        now[0] += seconds

    with FakeGeoApi() as api:
        service = JsonService(
            api.url, Politeness(requests_per_second=2, first_backoff=1.0, timeout=5), clock=lambda: now[0], sleep=sleep
        )
        original = service._fetch
        service._fetch = lambda url: (sent.append(now[0]), original(url))[1]
        from_service(service, ["79", "86"])
    assert sent == [0.0, 0.5, 1.0, 1.5]


# -- spro bassins repartir -------------------------------------------------------------------------------

SEEDED = {"nord": ("Bassin du Nord", ["79001"]), "sud": ("Bassin du Sud", ["86001"])}


def test_repartir_places_every_commune_then_changes_nothing(tmp_path):
    write_project(tmp_path, SEEDED)
    write_reference(tmp_path / "reference")
    assert spro(tmp_path, "communes", "--reference", "reference").returncode == 1  # three communes in no basin
    trial = spro(tmp_path, "bassins", "repartir", "--reference", "reference", "--essai")
    assert trial.returncode == 0 and "(essai : rien n'a été écrit)" in trial.stderr
    assert '"86002"' not in (tmp_path / "data/bassins/sud.yaml").read_text(encoding="utf-8")
    result = spro(tmp_path, "bassins", "repartir", "--reference", "reference")
    assert result.returncode == 0, result.stderr
    # CC de l'Ouest straddles both basins: Bêta goes with its nearest placed member, Alpha.
    assert "86002 Bêta -> sud (CC de l'Ouest, partagée : commune rattachée la plus proche, Alpha)" in result.stdout
    # CC de l'Est has no placed commune: all of it follows its main town, Saint-Zêta, to Epsilon's basin.
    assert (
        "86003 Gamma-et-Delta -> nord (CC de l'Est : aucune commune rattachée ; Epsilon, rattachée la plus proche "
        "de Saint-Zêta, est dans ce bassin)" in result.stdout
    )
    nord = (tmp_path / "data/bassins/nord.yaml").read_text(encoding="utf-8")
    assert nord.endswith(
        'departements: ["79", "86"]\ncommunes:\n  - "79001"  # Epsilon\n  - "79002"  # Saint-Zêta\n'
        '  - "86003"  # Gamma-et-Delta\n'
    )
    assert "# Répartition automatique (spro bassins repartir)" in nord.splitlines()[2]
    before = outputs(tmp_path)
    again = spro(tmp_path, "bassins", "repartir", "--reference", "reference")
    assert "0 commune rattachée ; 0 fichier de bassin modifié." in again.stderr and outputs(tmp_path) == before
    assert spro(tmp_path, "communes", "--reference", "reference").returncode == 0
    assert spro(tmp_path, "format", "--check").returncode == 0 and spro(tmp_path, "validate").returncode == 0


def test_repartir_sends_a_commune_in_no_epci_to_the_basin_of_the_nearest_placed_commune():
    communes = {
        code: Commune(code, code, ("00000",), 1, lat, lon)
        for code, lat, lon in (("1", 46.0, 0.0), ("2", 46.0, 1.0), ("3", 46.0, 0.9))
    }
    placements = assign(communes, {"1": "a", "2": "b"}, [])
    assert {code: p.bassin for code, p in placements.items()} == {"3": "b"}
    assert placements["3"].reason == "sans EPCI : commune rattachée la plus proche, 2"
    both = assign(communes, {"1": "a", "2": "b"}, [Epci("e", "CC", ("1", "3"))])
    assert both["3"].bassin == "a"  # its EPCI's placed commune, farther away, wins over the nearest one


def test_repartir_needs_clean_data(tmp_path):
    write_project(tmp_path, SEEDED)
    write_reference(tmp_path / "reference")
    spro(tmp_path, "communes", "--reference", "reference")
    (tmp_path / "data/bassins/sud.yaml").write_text("nom: [\n", encoding="utf-8")
    result = spro(tmp_path, "bassins", "repartir", "--reference", "reference")
    assert result.returncode == 1 and "Répartition impossible : corrigez d'abord ces erreurs" in result.stderr
    loader = DataLoader(tmp_path / "data")
    loader.load()
    assert loader.unassigned == []  # an unreadable basin: no « in no basin » noise on top
