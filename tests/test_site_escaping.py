"""Strings from the data render as text everywhere: pages, map documents, JSON-LD, exports."""

from __future__ import annotations

import csv
import io
import json

import pytest
from site_helpers import StaticServer, build, parse, project_copy, settle

HOSTILE = """\
nom: "<script>alert(1)</script>"
reseau: mission-locale
structure: "\\"><img src=x onerror=alert(2)>"
adresse:
  voie: "=HYPERLINK(\\"https://exemple.fr\\",\\"x\\")"
  complement: "</address><script>alert(3)</script>"
  code_postal: "86000"
  commune: Poitiers
  code_insee: "86194"
bassin: poitiers
services: [api]
publics: [jeunes]
horaires: "Mo-Fr 09:00-12:00"
fermetures:
  - du: 2026-12-01
    au: 2027-12-01
    motif: "<b onmouseover=alert(4)>travaux</b>"
contact:
  courriel: "x@exemple.fr"
accessibilite:
  details: "${alert(5)} {{ 7*7 }} [lien](javascript:alert(6)) </script><script>alert(7)</script>"
label:
  depuis: 2024-01-01
description: "</script><svg onload=alert(8)> ' \\" & -->"
coordonnees:
  lat: 46.58
  lon: 0.34
verifie_le: 2026-10-01
"""
NAME = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = project_copy(tmp_path_factory.mktemp("hostile"))
    (project / "data" / "lieux" / "piege.yaml").write_text(HOSTILE, encoding="utf-8")
    return build(project)


def pages_showing_the_record(site):
    return [
        site / "lieux/piege/index.html",
        site / "bassins/poitiers/index.html",
        site / "carte/index.html",
        site / "services/api/index.html",
        site / "reseaux/mission-locale/index.html",
        site / "label/lieux-labellises/index.html",
    ]


def test_no_script_or_handler_from_the_data_in_any_html_file(hostile_site):
    for page in sorted(hostile_site.rglob("*.html")):
        parsed = parse(page)
        for tag, attrs in parsed.tags:
            assert not any(name.startswith("on") for name in attrs), (page, tag, attrs)
            assert not (tag == "img" and attrs.get("src") == "x"), page
            assert tag != "svg" or "onload" not in attrs
            for name in ("href", "src"):
                assert not (attrs.get(name) or "").lower().startswith("javascript:"), page
        for attrs, text in parsed.scripts:
            assert not text.strip().startswith("alert("), page
            if attrs.get("type") == "application/ld+json":
                json.loads(text)


def test_the_name_is_shown_as_text(hostile_site):
    for page in pages_showing_the_record(hostile_site):
        text = page.read_text(encoding="utf-8")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, page
        assert NAME not in text, page


def test_the_title_and_header_are_escaped(hostile_site):
    text = (hostile_site / "lieux/piege/index.html").read_text(encoding="utf-8")
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; - Orientation Poitou-Charentes</title>" in text


def test_json_ld_keeps_the_exact_strings(hostile_site):
    scripts = [
        t for a, t in parse(hostile_site / "lieux/piege/index.html").scripts if a.get("type") == "application/ld+json"
    ]
    data = json.loads(scripts[0])
    assert data["name"] == NAME
    assert data["description"].startswith("</script><svg onload=alert(8)>")
    assert "</script>" not in scripts[0] and "<svg" not in scripts[0]


def test_map_documents_carry_no_text_from_the_data(hostile_site):
    # Names travel in donnees.js (JSON), read with textContent: never inside the map document.
    for folder in ("carte", "bassins/poitiers"):
        assert "alert(1)" not in (hostile_site / folder / "carte.html").read_text(encoding="utf-8")
        data = (hostile_site / folder / "donnees.js").read_text(encoding="utf-8")
        assert data.startswith("window.SPRO_CARTE = ")
        assert json.loads(data.removeprefix("window.SPRO_CARTE = ").rstrip(";\n"))["lieux"]
        assert json.dumps(NAME) in data


def test_csv_cells_cannot_become_formulas(hostile_site):
    rows = list(csv.DictReader(io.StringIO((hostile_site / "donnees/lieux.csv").read_text(encoding="utf-8"))))
    row = next(r for r in rows if r["id"] == "piege")
    assert row["adresse"] == '\'=HYPERLINK("https://exemple.fr","x")'
    assert row["nom"] == NAME
    features = json.loads((hostile_site / "donnees/lieux.geojson").read_text(encoding="utf-8"))["features"]
    assert next(f for f in features if f["properties"]["id"] == "piege")["properties"]["adresse"].startswith(
        "=HYPERLINK"
    )


def test_no_dialog_fires_in_the_browser(hostile_site, page_in):
    with StaticServer(hostile_site) as server:
        for path in ("lieux/piege/", "bassins/poitiers/", "services/api/", "label/lieux-labellises/", "carte/"):
            page_in.goto(server.url + path, wait_until="load")
            settle(page_in)
        # The basin map zooms close enough for the hostile lieu's marker: open its popup.
        page_in.goto(server.url + "bassins/poitiers/carte.html", wait_until="load")
        page_in.locator(".marker-cluster, .leaflet-marker-icon").first.wait_for()
        page_in.evaluate(
            """name => {
            const {carte, groupe} = window.sproCarte;
            const marker = groupe.getLayers().find(m => m.options.title === name);
            groupe.removeLayer(marker);
            marker.addTo(carte);
        }""",
            NAME,
        )
        page_in.locator(".leaflet-marker-icon[title='<script>alert(1)</script>']").click()
        popup = page_in.locator(".leaflet-popup-content a").inner_text()
        page_in.goto(server.url + "lieux/piege/", wait_until="load")
        heading = page_in.locator("h1").first.inner_text()
    assert heading == NAME
    assert popup == NAME
    assert page_in.dialogs == []
