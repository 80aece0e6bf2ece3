"""The built demo site: pages, links, self-hosted assets, structured data, exports, determinism."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from data_inclusion.schema.v1 import Service, Structure
from site_helpers import CHILD_ENV, build, parse, project_copy, resolve, spro


def html_files(site):
    return sorted(site.rglob("*.html"))


def test_every_kind_of_page_is_there(demo_site, demo_data):
    for path in [
        "index.html",
        "trouver/index.html",
        "carte/index.html",
        "carte/carte.html",
        "label/index.html",
        "label/charte/index.html",
        "label/lieux-labellises/index.html",
        "donnees/index.html",
        "bassins/index.html",
        "services/index.html",
        "reseaux/index.html",
        "metiers/index.html",
        "404.html",
    ]:
        assert (demo_site / path).is_file(), path
    for code in demo_data.bassins:
        assert (demo_site / "bassins" / code / "index.html").is_file()
        assert (demo_site / "bassins" / code / "carte.html").is_file()
    for folder, table in (
        ("services", demo_data.services),
        ("reseaux", demo_data.reseaux),
        ("metiers", demo_data.metiers),
        ("lieux", demo_data.lieux),
    ):
        for code in table:
            assert (demo_site / folder / code / "index.html").is_file(), (folder, code)


def test_home_page(demo_site, demo_data):
    text = (demo_site / "index.html").read_text(encoding="utf-8")
    assert "Données de démonstration" in text
    for word in ("gratuit", "neutre", "confidentiel", "tout le monde"):
        assert word in text
    for service in demo_data.services.values():
        assert f'href="services/{service.code}/"' in text
    for code in demo_data.bassins:
        assert f'href="bassins/{code}/"' in text
    assert 'action="trouver/"' in text


def test_lieu_page(demo_site, demo_data):
    lieu = demo_data.lieux["mission-locale-angouleme"]
    text = (demo_site / "lieux" / lieu.id / "index.html").read_text(encoding="utf-8")
    assert "<title>Mission locale de l&#x27;Angoumois - Orientation Poitou-Charentes</title>" in text
    assert "<h1>Mission locale de l&#39;Angoumois</h1>" in text
    assert 'href="../../reseaux/mission-locale/"' in text and 'href="../../bassins/angouleme/"' in text
    assert "20 rue de la République<br>16000 Angoulême" in text
    assert 'href="tel:+33536491001"' in text and "mailto:accueil.angouleme@mission-locale.exemple.fr" in text
    assert "https://www.openstreetmap.org/directions?route=%3B" in text
    assert 'class="spro-carte-mini"' in text
    assert "Labellisé « Orientation Poitou-Charentes » depuis le 1er octobre 2023" in text
    assert re.search(r'<th scope="row">Lundi</th><td>[^<]+</td>', text)
    assert "Vérifié le 14 septembre 2026." in text
    assert (
        'href="https://github.com/spro-orientation/annuaire/edit/main/data/lieux/mission-locale-angouleme.yaml"' in text
    )
    assert "https://github.com/spro-orientation/annuaire/issues/new?template=signaler-erreur.yml&amp;title=" in text
    assert "fiche=data%2Flieux%2Fmission-locale-angouleme.yaml" in text
    for code in lieu.services:
        assert f'href="../../services/{code}/"' in text
    assert 'href="../../trouver/?public=jeunes">Jeunes de 16 à 25 ans</a>' in text


def test_opening_hours_closures_and_holidays(demo_site, demo_data):
    lieu = next(
        l
        for l in demo_data.lieux.values()
        if any(f.motif == "Congés de fin d'année" for f in l.fermetures) and l.horaires and "PH off" in l.horaires
    )
    text = (demo_site / "lieux" / lieu.id / "index.html").read_text(encoding="utf-8")
    assert "Fermé les jours fériés." in text
    assert "Du 24 décembre 2026 au " in text and "Congés de fin d&#39;année" in text
    without_hours = next(l for l in demo_data.lieux.values() if not l.horaires)
    assert "Horaires non renseignés" in (demo_site / "lieux" / without_hours.id / "index.html").read_text(
        encoding="utf-8"
    )


def test_approximate_position_is_shown_only_when_flagged(demo_site):
    approximate = (demo_site / "lieux" / "chambre-agriculture-niort" / "index.html").read_text(encoding="utf-8")
    exact = (demo_site / "lieux" / "mission-locale-angouleme" / "index.html").read_text(encoding="utf-8")
    assert "Position approximative" in approximate
    assert "Position approximative" not in exact


def test_json_ld_describes_each_place(demo_site, demo_data):
    for lieu in demo_data.lieux.values():
        scripts = [
            text
            for attrs, text in parse(demo_site / "lieux" / lieu.id / "index.html").scripts
            if attrs.get("type") == "application/ld+json"
        ]
        assert len(scripts) == 1
        data = json.loads(scripts[0])
        assert data["name"] == lieu.nom
        assert data["address"]["postalCode"] == lieu.adresse.code_postal
        assert data["geo"]["latitude"] and data["isAccessibleForFree"] is True


def test_basin_service_network_and_job_pages_link_their_lieux(demo_site, demo_data):
    bassin = (demo_site / "bassins" / "poitiers" / "index.html").read_text(encoding="utf-8")
    for lieu in (l for l in demo_data.lieux.values() if l.bassin == "poitiers"):
        assert f'href="../../lieux/{lieu.id}/"' in bassin
    assert 'src="carte.html"' in bassin and "Les métiers qui recrutent dans le bassin" in bassin
    assert "Buxerolles" in bassin
    vae = (demo_site / "services" / "vae" / "index.html").read_text(encoding="utf-8")
    assert sum(1 for l in demo_data.lieux.values() if "vae" in l.services) == vae.count('class="spro-lieu-item"')
    assert "Pour qui ?" in vae
    reseau = (demo_site / "reseaux" / "cio" / "index.html").read_text(encoding="utf-8")
    assert reseau.count('class="spro-lieu-item"') == sum(1 for l in demo_data.lieux.values() if l.reseau == "cio")
    metier = (demo_site / "metiers" / "H2206" / "index.html").read_text(encoding="utf-8")
    assert (
        "Tonnelier" in metier
        and 'href="../../bassins/cognac/"' in metier
        and "Où se renseigner près de chez vous" in metier
    )


def test_label_list_has_exactly_the_labelled_lieux(demo_site, demo_data):
    text = (demo_site / "label" / "lieux-labellises" / "index.html").read_text(encoding="utf-8")
    labelled = {l.id for l in demo_data.lieux.values() if l.labellise}
    assert set(re.findall(r'data-lieu-id="([a-z0-9-]+)"', text)) == labelled
    assert "lieux-labellises/" in (demo_site / "label" / "index.html").read_text(encoding="utf-8")


def test_navigation_lists_sections_not_lieux(demo_site):
    for page in ("index.html", "bassins/index.html", "lieux/mission-locale-angouleme/index.html"):
        text = (demo_site / page).read_text(encoding="utf-8")
        nav = text[text.index("md-nav--primary") : text.index("md-content")]
        assert "lieux/" not in nav.replace("lieux-labellises/", "")
        assert nav.count("<a ") < 30
    sizes = [p.stat().st_size for p in (demo_site / "lieux").rglob("index.html")]
    assert max(sizes) < 60_000


def test_every_internal_link_and_asset_resolves(demo_site):
    broken = []
    for page in html_files(demo_site):
        for tag, attrs in parse(page).tags:
            for name in ("href", "src"):
                reference = attrs.get(name)
                if not reference or (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
                    continue
                target = resolve(demo_site, page, reference)
                if target is not None and not target.exists():
                    broken.append(f"{page.relative_to(demo_site)} -> {reference}")
    assert broken == []


def test_every_page_navigation_leads_to_the_same_sections(demo_site):
    """The pages outside the navigation (lieux...) share one rendering of it per folder: its relative links must
    still lead, from every page, where the home page's lead (the current section is a label, not a link)."""
    from selectolax.lexbor import LexborHTMLParser

    def sections(page):
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        links = tree.css("nav.md-nav--primary > ul > li > a.md-nav__link")
        return {link.text(strip=True): resolve(demo_site, page, link.attributes["href"]) for link in links}

    expected = sections(demo_site / "index.html")
    assert len(expected) >= 10
    checked, differing = 0, []
    for page in html_files(demo_site):
        found = sections(page)
        checked += bool(found)
        differing += [f"{page.relative_to(demo_site)}: {title}" for title in found if found[title] != expected[title]]
    assert differing == [] and checked > len(list(demo_site.glob("lieux/*/index.html")))


def test_the_navigation_rendered_once_per_folder_is_the_theme_s_own():
    """The MkDocs adapter puts the theme's partials/nav.html behind a wrapper that renders it once per folder
    (mkdocs_adapter.plugin): what the wrapper renders is the installed theme's file itself, not a copy to keep
    up to date."""
    import jinja2
    import material

    from build_tools.mkdocs_adapter.plugin import _ThemeAndSproTemplates

    theme = Path(material.__file__).parent / "templates"
    loader = _ThemeAndSproTemplates(jinja2.FileSystemLoader([str(ROOT / "overrides"), str(theme)]))
    source, _, _ = loader.get_source(jinja2.Environment(), "spro/theme-nav.html")
    assert source == (theme / "partials" / "nav.html").read_text(encoding="utf-8")
    assert "spro/theme-nav.html" in loader.get_source(jinja2.Environment(), "partials/nav.html")[0]


def test_nothing_external_is_loaded(demo_site):
    for page in html_files(demo_site):
        for tag, attrs in parse(page).tags:
            loaded = attrs.get("src") if tag in ("script", "img", "iframe", "audio", "video", "source") else None
            if (
                tag == "link"
                and "stylesheet" in (attrs.get("rel") or "")
                or tag == "link"
                and attrs.get("rel") in ("preload", "icon")
            ):
                loaded = attrs.get("href")
            assert not loaded or not re.match(r"^(https?:)?//", loaded), f"{page.relative_to(demo_site)}: {loaded}"
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "cdn.jsdelivr" not in text and "unpkg.com" not in text
    for page in [demo_site / "carte" / "carte.html", *demo_site.glob("bassins/*/carte.html")]:
        text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8"))
        assert not re.findall(r"https?://", text)
        data = (page.parent / "donnees.js").read_text(encoding="utf-8")
        urls = set(re.findall(r"https?://[^/\"'\s)\\]+", data))
        assert urls == {"https://data.geopf.fr", "https://www.ign.fr"}, urls  # tiles, attribution link
    assert (demo_site / "assets/spro/licences/leaflet.txt").read_text().startswith("Leaflet 1.9.3")
    assert "BSD 2-Clause License" in (demo_site / "assets/spro/licences/leaflet.txt").read_text()
    assert "Permission is hereby granted" in (demo_site / "assets/spro/licences/leaflet.markercluster.txt").read_text()


def test_the_preview_s_reload_script_is_never_in_a_built_site(demo_site):
    """It is added under ``mkdocs serve`` only, after the page cache (which ``spro build`` shares)."""
    assert not list(demo_site.rglob("apercu-recharge*"))
    assert not [page for page in html_files(demo_site) if "apercu-recharge" in page.read_text(encoding="utf-8")]


def test_csv_export(demo_site, demo_data):
    text = (demo_site / "donnees" / "lieux.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(demo_data.lieux)
    first = rows[0]
    assert first["id"] == next(iter(demo_data.lieux)) and first["latitude"] and first["services"]
    assert {r["position_approximative"] for r in rows} == {"oui", "non"}


def test_geojson_export(demo_site, demo_data):
    data = json.loads((demo_site / "donnees" / "lieux.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == len(demo_data.lieux)
    feature = data["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    assert 45 < lat < 47.3 and -1.7 < lon < 1.3
    assert feature["properties"]["nom"] == next(iter(demo_data.lieux.values())).nom


def test_data_inclusion_export_passes_the_official_schema(demo_site, demo_data):
    structures = json.loads((demo_site / "donnees" / "data-inclusion" / "structures.json").read_text(encoding="utf-8"))
    services = json.loads((demo_site / "donnees" / "data-inclusion" / "services.json").read_text(encoding="utf-8"))
    assert len(structures) == len(demo_data.lieux)
    assert len(services) == sum(len(l.services) for l in demo_data.lieux.values())
    for record in structures:
        Structure.model_validate(record)
    for record in services:
        Service.model_validate(record)
    assert {s["structure_id"] for s in services} == {s["id"] for s in structures}
    assert structures[0]["lien_source"].startswith("https://spro-orientation.github.io/annuaire/lieux/")


def test_two_builds_are_byte_identical(demo_site, tmp_path):
    second = build(project_copy(tmp_path / "again"))

    def digest(site):
        return {
            p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*"))
            if p.is_file()
        }

    first, again = digest(demo_site), digest(second)
    assert first.keys() == again.keys()
    assert [name for name in first if first[name] != again[name]] == []


def test_a_failed_build_keeps_the_previous_site(tmp_path):
    project = project_copy(tmp_path / "p")
    site = build(project)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (project / "data" / "lieux" / "mission-locale-angouleme.yaml").write_text("nom: [\n", encoding="utf-8")
    result = spro(project, "build")
    assert result.returncode == 1
    assert "data/lieux/mission-locale-angouleme.yaml:2:1: erreur : syntaxe YAML invalide" in result.stderr
    assert "La construction a échoué : le site précédent est conservé." in result.stderr
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in project.iterdir()) == ["data", "docs", "mkdocs.yml", "overrides", "site"]


def test_strict_mode_catches_a_broken_link_in_handwritten_pages(tmp_path):
    project = project_copy(tmp_path / "p")
    (project / "docs" / "label" / "index.md").write_text("# Label\n\n[charte](absente.md)\n", encoding="utf-8")
    result = spro(project, "build")
    assert result.returncode == 1
    assert not (project / "site").exists()


OSM_SYNTAX = re.compile(
    r"\b(Mo|Tu|We|Th|Fr|Sa|Su|PH|SH)\b[ ,\-]|\b\d\d:\d\d-\d\d:\d\d\b|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"
)


def test_no_page_shows_opening_hours_syntax_to_the_public(demo_site):
    """Hours are French sentences and tables everywhere (« en juillet et août : … »), never « Jul,Aug Mo-Fr … »."""
    from selectolax.lexbor import LexborHTMLParser

    shown = {}
    for path in sorted(demo_site.rglob("*.html")):
        if path.relative_to(demo_site).parts[0] == "contribuer":
            continue  # the contributors' guide teaches the syntax
        tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
        for node in tree.css("script, style"):
            node.decompose()
        text = tree.body.text(separator=" ") if tree.body else ""
        found = OSM_SYNTAX.search(text)
        if found:
            shown[str(path.relative_to(demo_site))] = text[max(0, found.start() - 40) : found.end() + 40]
    assert shown == {}
    summer = (demo_site / "lieux/cci-angouleme/index.html").read_text(encoding="utf-8")
    assert "<caption>Horaires d'une semaine ordinaire, de septembre à juin</caption>" in summer
    assert "<p><strong>En juillet et août</strong> : du lundi au vendredi : 9\u00a0h – 12\u00a0h.</p>" in summer


def test_links_from_docs_to_anchors_of_generated_pages_are_checked(tmp_path):
    """MkDocs checks the links of docs/ to anchors of other pages (and ``mkdocs serve`` prints what it finds): a
    generated page's anchors are those of its own body, so a right anchor passes and a wrong one is named."""
    project = project_copy(tmp_path / "projet")

    def missing_anchors() -> list[str]:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")],
            cwd=project,
            capture_output=True,
            text=True,
            env=CHILD_ENV,
        )
        assert result.returncode == 0, result.stderr
        return [line for line in result.stderr.splitlines() if "does not contain an anchor" in line]

    assert missing_anchors() == []
    page = project / "docs" / "contribuer" / "index.md"
    text = page.read_text(encoding="utf-8")
    assert "champs.md#colonnes-du-tableur" in text
    page.write_text(text.replace("champs.md#colonnes-du-tableur", "champs.md#colonnes-du-tableau"), encoding="utf-8")
    [message] = missing_anchors()
    assert "'contribuer/champs.md' does not contain an anchor '#colonnes-du-tableau'" in message


def test_the_page_not_found_is_in_french_with_ways_on(demo_site):
    """GitHub Pages serves 404.html for any missing address: Material's says « 404 - Not found »."""
    from selectolax.lexbor import LexborHTMLParser

    page = demo_site / "404.html"
    article = LexborHTMLParser(page.read_text(encoding="utf-8")).css_first("article")
    assert article.css_first("h1").text(strip=True) == "Page introuvable"
    assert "Not found" not in article.text()
    assert article.css_first("#contenu h1") is not None  # (the target of the header's « Aller au contenu »)
    ways = {link.text(strip=True): resolve(demo_site, page, link.attributes["href"]) for link in article.css("li a")}
    assert len(ways) == 4 and all(target is not None and target.exists() for target in ways.values()), ways
    assert ways["Trouver un lieu d'accueil près de chez vous"] == (demo_site / "trouver" / "index.html")


def test_every_page_with_the_skip_link_has_its_target_once(demo_site):
    """« Aller au contenu » leads to #contenu on every page, the news included (Material's blog templates replace
    the block of main.html that carries it: build_tools/mkdocs_adapter/content_target.py)."""
    missing = []
    for path in demo_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if 'href="#contenu"' in text and text.count('id="contenu"') != 1:
            missing.append(path.relative_to(demo_site).as_posix())
    assert missing == []
    post = next((demo_site / "actualites").rglob("forum-de-l-orientation*/index.html"))
    assert 'data-pagefind-body id="contenu"' in post.read_text(encoding="utf-8")
