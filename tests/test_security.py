"""What a hostile pull request tried, case by case: each attempt is refused, or stays inert text.

The cases are those found by attacking a copy of the project as an outside contributor would
(template injection at build time, scripts on the published site, files read or written outside
the project). ``test_security_sweep.py`` then tries every field of every contract.
"""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path

import pytest
from conftest import ROOT, VALID_LIEU
from fake_ban import FakeBan, Reply, collection, feature
from site_helpers import build, parse, project_copy, spro

from build_tools import pipeline
from build_tools.active_content import active_content
from build_tools.csp import with_policy
from build_tools.geocache import GeocodeCache
from build_tools.geocoder import Geocoder, Politeness, geocode_missing
from build_tools.mkdocs_adapter import plugin

SQUARE = [[0.30, 46.55], [0.40, 46.55], [0.40, 46.62], [0.30, 46.62], [0.30, 46.55]]


def errors_of(dataset) -> list[str]:
    return dataset.errors()


# -- code at build time: data is never template source -------------------------------------------------


def test_an_outline_with_an_extra_member_is_refused(dataset):
    dataset.write(
        "bassins/poitiers.geojson",
        json.dumps(
            {"type": "Polygon", "coordinates": [SQUARE], "x": "{{ cycler.__init__.__globals__.os.system('id') }}"}
        ),
    )
    (error,) = errors_of(dataset)
    assert error.startswith("bassins/poitiers.geojson: erreur : x : membre non permis")


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"type": "Feature", "geometry": null}', "type : « Feature » : « Polygon » ou « MultiPolygon » attendu"),
        (
            '{"type": "Polygon", "coordinates": [[[0.3, 46.5], [0.4, 46.5], [0.4, 46.6], [0.3, 46.5]], 7]}',
            "coordinates[1] : une liste est attendue",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[0.3, 46.5], [0.4, 46.5], [0.4, 46.6], [0.31, 46.5]]]}',
            "coordinates[0] : anneau non fermé",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[0.3, 46.5], [NaN, 46.5], [0.4, 46.6], [0.3, 46.5]]]}',
            "JSON refusé : valeur « NaN » interdite",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[0.3, 46.5], [1e999, 46.5], [0.4, 46.6], [0.3, 46.5]]]}',
            "coordinates[0][1] : coordonnée non finie",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[0.3, 46.5], ["0.4", 46.5], [0.4, 46.6], [0.3, 46.5]]]}',
            "coordinates[0][1] : position attendue",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[0, 0], [0.4, 46.5], [0.4, 46.6], [0, 0]]]}',
            "coordinates[0][0] : position [0, 0] hors de l'emprise de la Région",
        ),
        ('{"type": "Polygon", "type": "Polygon", "coordinates": []}', "JSON refusé : clé « type » en double"),
        ('{"type": "Polygon", "coordinates": [[[0.3, 46.5]', "JSON invalide : "),
        ("[" * 5000 + "]" * 5000, "JSON refusé : imbrication trop profonde"),
    ],
)
def test_outline_contract(dataset, content, message):
    dataset.write("bassins/poitiers.geojson", content)
    (error,) = errors_of(dataset)
    assert error.startswith("bassins/poitiers.geojson") and message in error, error


def test_an_outline_without_its_basin_is_reported(dataset):
    dataset.write("bassins/nulle-part.geojson", json.dumps({"type": "Polygon", "coordinates": [SQUARE]}))
    assert errors_of(dataset) == [
        "bassins/nulle-part.geojson: erreur : contour sans bassin : data/bassins/nulle-part.yaml n'existe pas"
    ]


def test_an_outline_copied_from_another_basin_is_refused(dataset):
    """An outline that validates as GeoJSON but is not its basin's: every map would show Poitiers' shape as Niort's."""
    dataset.write("bassins/niort.geojson", (dataset.root / "bassins/poitiers.geojson").read_text(encoding="utf-8"))
    (error,) = errors_of(dataset)
    assert re.fullmatch(
        r"bassins/niort\.geojson: erreur : ce contour ne contient pas le centre de \d+ de ses communes "
        r"\(Aiffres, Amuré, Arçais…\) et contient le centre de \d+ communes d'autres bassins \(Aslonnes, "
        r"Beaumont Saint-Cyr, Béruges…\) : il ne correspond pas au bassin ; régénérez les contours avec "
        r"« spro communes »",
        error,
    ), error


def test_a_valid_outline_reaches_the_map_as_data_only(tmp_path):
    project = project_copy(tmp_path / "p")
    outline = json.loads((project / "data/bassins/poitiers.geojson").read_text(encoding="utf-8"))
    site = build(project)
    document = (site / "bassins/poitiers/carte.html").read_text(encoding="utf-8")
    data = json.loads(
        (site / "bassins/poitiers/donnees.js")
        .read_text(encoding="utf-8")
        .removeprefix("window.SPRO_CARTE = ")
        .rstrip(";\n")
    )
    assert data["bassins"][0]["geometrie"] == outline
    first = outline["coordinates"][0][0] if outline["type"] == "Polygon" else outline["coordinates"][0][0][0]
    assert str(first[1]) not in document and "Bassin de Poitiers" in document  # the title, escaped by our template
    assert active_content(document) == []


@pytest.mark.parametrize(
    "tiles, message",
    [
        ("https://tuiles.exemple.fr/{{ 7*7 }}/{z}/{x}/{y}.png", "caractère interdit"),
        ('https://tuiles.exemple.fr\\"><plaintext>/{z}/{x}/{y}.png', "caractère interdit"),
        ("https://tuiles.exemple.fr/{z}/{x}/{y}.png?k={cle}", "caractère interdit"),
        ("https://tuiles.exemple.fr:99999/{z}/{x}/{y}.png", "port invalide"),
        ("https://tuiles.exemple.fr:abc/{z}/{x}/{y}.png", "port invalide"),
        ("https://" + "a" * 300 + ".fr/{z}/{x}/{y}.png", "nom de domaine incorrect"),
        ("https://tuiles.exemple.fr/{z}/{x}.png", "{y} manquant"),
        ("http://tuiles.exemple.fr/{z}/{x}/{y}.png", "utilisez https://"),
        ("https://user@tuiles.exemple.fr/{z}/{x}/{y}.png", "pas d'identifiant"),
        ("https://tuiles.exemple.fr/\u202e{z}/{x}/{y}.png", "caractère invisible interdit (U+202E"),
    ],
)
def test_tile_addresses_are_parsed_as_urls(dataset, tiles, message):
    site = dataset.root / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + f"carte:\n  tuiles: {json.dumps(tiles)}\n", encoding="utf-8")
    (error,) = errors_of(dataset)
    assert error.startswith("site.yaml:") and "carte.tuiles" in error and message in error, error


@pytest.mark.parametrize(
    "attribution, message",
    [
        ("<style>body{visibility:hidden}</style>", "le HTML n'est pas accepté"),
        ('<a href="https://ailleurs.example">clic</a>', "le HTML n'est pas accepté"),
        ("[a](https://a.fr) et [b](https://b.fr)", "un seul lien possible"),
        ("[clic](javascript:alert)", "adresse web attendue, commençant par https://"),
        ("[clic](javascript:alert(1))", "lien mal écrit"),
    ],
)
def test_the_attribution_is_text_with_at_most_a_link(dataset, attribution, message):
    site = dataset.root / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8") + "carte:\n  tuiles: https://tuiles.exemple.fr/{z}/{x}/{y}.png\n"
        f"  attribution: {json.dumps(attribution)}\n",
        encoding="utf-8",
    )
    (error,) = errors_of(dataset)
    assert "carte.attribution" in error and message in error, error


def test_tiles_and_attribution_reach_the_pages_escaped(tmp_path):
    project = project_copy(tmp_path / "p", with_lieux=False)
    site_yaml = project / "data/site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8") + "carte:\n  tuiles: https://{s}.tuiles.exemple.fr:8443/{z}/{x}/{y}.png\n"
        '  attribution: "© [Contributeurs & « amis »](https://www.exemple.fr/droits) <3"\n',
        encoding="utf-8",
    )
    assert "le HTML n'est pas accepté" in spro(project, "validate").stdout  # « <3 » is refused...
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace(" <3", ""), encoding="utf-8")
    site = build(project)  # ...and without it the attribution is a text and one link
    data = (site / "carte/donnees.js").read_text(encoding="utf-8")
    attribution = json.loads(data.removeprefix("window.SPRO_CARTE = ").rstrip(";\n"))["tuiles"]["attribution"]
    assert attribution == ('© <a href="https://www.exemple.fr/droits" rel="noopener">Contributeurs &amp; « amis »</a>')
    page = (site / "index.html").read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "img-src 'self' data: https://a.tuiles.exemple.fr:8443;" in policy


def test_a_service_name_holding_template_syntax_stays_text(tmp_path):
    project = project_copy(tmp_path / "p")
    services = project / "data/services.yaml"
    services.write_text(
        services.read_text(encoding="utf-8").replace(
            "nom_court: CEP", 'nom_court: "{{lipsum.__globals__.os.environ}}"'
        ),
        encoding="utf-8",
    )
    os.environ["SPRO_SECRET_DE_TEST"] = "secret-qui-ne-doit-pas-fuiter"
    try:
        site = build(project)
    finally:
        del os.environ["SPRO_SECRET_DE_TEST"]
    everything = "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in site.rglob("*")
        if p.is_file() and p.suffix in (".html", ".js", ".json", ".csv", ".ics", ".xml")
    )
    assert "secret-qui-ne-doit-pas-fuiter" not in everything
    assert "{{lipsum.__globals__.os.environ}}" in (site / "carte/donnees.js").read_text(encoding="utf-8").replace(
        "\\u", ""
    )


@pytest.mark.parametrize(
    "line, field, message",
    [
        ({"lat": "46.5"}, "lat", "un nombre est attendu"),
        ({"lat": 0.0, "lon": 0.0}, "lat", "dans l'emprise de la Région"),
        ({"score": 7}, "score", "entre 0 et 1"),
        ({"type": "{{7*7}}"}, "type", "type de résultat inconnu"),
        ({"label": "\x1b[2J"}, "label", "caractère invisible interdit (U+001B"),
        ({"citycode": "../x"}, "citycode", "code INSEE attendu"),
        ({"requete": "autre chose"}, "cle", "clé incohérente"),
        ({"extra": 1}, "extra", "membre inconnu"),
    ],
)
def test_the_geocoding_cache_has_a_contract(dataset, line, field, message):
    good = {
        "cle": "1 rue pasteur, 86000 poitiers|86194",
        "requete": "1 rue Pasteur, 86000 Poitiers",
        "lat": 46.58,
        "lon": 0.35,
        "score": 0.8,
        "label": "1 rue Pasteur 86000 Poitiers",
        "type": "housenumber",
        "citycode": "86194",
        "date": "2026-11-20",
        "source": "test",
    }
    dataset.write("geocodage.jsonl", json.dumps(good) + "\n" + json.dumps({**good, **line}) + "\n")
    errors = errors_of(dataset)
    assert any(e.startswith(f"geocodage.jsonl:2:1: erreur : {field} : ") and message in e for e in errors), errors


def test_a_cached_position_far_from_the_commune_is_refused(dataset):
    """A pull request that edits only the cache would move a lieu on every map: validation places it in its commune."""
    moved = {
        "cle": "12 rue de la marne, 86000 poitiers|86194",
        "requete": "12 rue de la Marne, 86000 Poitiers",
        "lat": 46.16,
        "lon": -1.15,
        "score": 0.9,
        "label": "12 rue de la Marne 86000 Poitiers",
        "type": "housenumber",
        "citycode": "86194",
        "date": "2026-11-20",
        "source": "test",
    }
    dataset.write("geocodage.jsonl", json.dumps(moved) + "\n")
    dataset.write("lieux/antenne-test.yaml", VALID_LIEU)
    assert errors_of(dataset) == [
        "lieux/antenne-test.yaml:4:3: erreur : adresse : position en cache de cette adresse (46.16, -1.15, "
        "geocodage.jsonl) à 125 km du centre de Poitiers : retirez sa ligne du cache et relancez « spro geocode », "
        "ou corrigez l'adresse"
    ]


def test_a_non_finite_cache_line_is_refused(dataset):
    dataset.write("geocodage.jsonl", '{"cle": "x|86194", "lat": NaN}\n')
    (error,) = errors_of(dataset)
    assert error == "geocodage.jsonl:1:1: erreur : JSON refusé : valeur « NaN » interdite : un nombre fini est attendu"


# -- scripts on the published site ------------------------------------------------------------------


def test_markdown_extensions_match_mkdocs_yml():
    from mkdocs.config import load_config

    from build_tools.docs_contract import MARKDOWN_EXTENSIONS

    configured = load_config(str(ROOT / "mkdocs.yml")).markdown_extensions
    assert list(MARKDOWN_EXTENSIONS) == configured


@pytest.mark.parametrize(
    "page, message",
    [
        (
            "---\ntitle: \"<script>alert('titre')</script>\"\ndate: 2026-11-02\n---\n\n# Actualité\n",
            "2:8: erreur : title : « <script>alert('titre')</script> » : du texte est attendu, sans < ni >",
        ),
        (
            "---\ndate: 2026-11-02\n---\n\n# Actualité\n\nTexte <script>alert('corps')</script>\n",
            "7:1: erreur : élément HTML <script> non accepté",
        ),
        ('# Titre\n\n<img src="x.png" onerror="alert(1)">\n', "3:1: erreur : attribut « onerror » refusé"),
        ("# Titre\n\n[clic](javascript:alert(1))\n", "3:1: erreur : lien « javascript:alert(1) » refusé"),
        ('# Titre\n\n[clic](https://exemple.fr){: onclick="alert(1)" }\n', "3:1: erreur : attribut « onclick » refusé"),
        ('# Titre\n\n<iframe src="https://exemple.fr"></iframe>\n', "3:1: erreur : élément HTML <iframe> non accepté"),
        ("# Titre\n\n<style>body{visibility:hidden}</style>\n", "3:1: erreur : élément HTML <style> non accepté"),
        ('# Titre\n\n<p id="__config">x</p>\n', "3:1: erreur : identifiant « __config » réservé au site"),
        ("# Titre\n\nAlerte\n{: .md-banner }\n", "4:1: erreur : classe « md-banner » réservée au site"),
        ("---\ntemplate: ../../etc/passwd\n---\n# Titre\n", "2:1: erreur : template : champ inconnu"),
        # Material prints the title through « striptags », which decodes &lt; back into a tag
        (
            '# Test &lt;/title&gt;&lt;script src="../../x.txt"&gt;&lt;/script&gt;\n',
            "1:1: erreur : titre de la page : du texte est attendu, sans < ni > (même écrits &lt; ou &gt;)",
        ),
        (
            '---\ndate: 2026-11-02\ncategories: ["&lt;/title&gt;&lt;script src=x.txt&gt;"]\n---\n# Titre\n',
            "3:14: erreur : categories[1] : « &lt;/title&gt;&lt;script src=x.txt&gt; » : du texte est attendu, sans < ni > "
            "(le HTML n'est pas accepté ici, même écrit &lt; ou &gt;)",
        ),
        # what Python's HTMLParser took for comments or text, and a browser does not
        (
            '# Titre\n\nParagraphe <!--> <script src="../../x.txt"></script> --> fin.\n',
            "3:1: erreur : élément HTML <script> non accepté",
        ),
        (
            '# Titre\n\n<![CDATA[ ><script src="../../x.txt"></script> ]]>\n',
            "3:1: erreur : élément HTML <script> non accepté",
        ),
        (
            '# Titre\n\n<!--> <meta http-equiv="refresh" content="0;url=https://x.org"> -->\n',
            "3:1: erreur : élément HTML <meta> non accepté",
        ),
        (
            '# Titre\n\n<p>\n<a title="',
            "3:1: erreur : balise, attribut ou commentaire HTML non fermé à la fin de la page : fermez-le (> ou -->)",
        ),
        # a heading whose toc entry (tags stripped from « <!-- » to « --> », across attributes) is raw markup
        (
            "---\ndate: 2026-11-02\n---\n# Titre\n\n"
            '## <abbr title="<!--">A</abbr><abbr title=\'-->"><noscript <1><p <1 title="</noscript <1>'
            "<script src=../../a.txt <1></script <1>\">'>B</abbr>\n",
            "6:1: erreur : attribut « title » : les caractères < et > n'y sont pas acceptés",
        ),
        (
            "---\ndate: 2026-11-02\n---\n# Titre\n\n## A <em>b</em> &lt;c&gt;\n\n## <span>D</span>\n",
            None,
        ),
        # the title is also written « # {title} » in the news index: attr_list would give it attributes
        (
            '---\ntitle: "Titre {: .md-header }"\ndate: 2026-11-02\n---\n\nTexte.\n',
            "2:8: erreur : title : « Titre {: .md-header } » : les caractères { } [ ] et ` ne sont pas acceptés dans "
            "un titre",
        ),
        # the excerpt separator inside an attribute would cut the news index there
        (
            '---\ndate: 2026-11-02\n---\n# Titre\n\nTexte <abbr title="a <!-- more --> b">abr</abbr>\n',
            "6:1: erreur : « <!-- more --> » marque la fin de l'extrait : écrivez-le seul sur sa ligne",
        ),
        ("---\ndate: 2026-11-02\n---\n# Titre\n\nDébut.\n\n<!-- more -->\n\nSuite.\n", None),
    ],
)
def test_hostile_pages_are_refused_by_validation(dataset, page, message):
    docs = dataset.root.parent / "docs"
    (docs / "actualites/posts").mkdir(parents=True)
    (docs / "actualites/posts/2026-11-02-piege.md").write_text(page, encoding="utf-8")
    result = spro(dataset.root.parent, "validate")
    if message is None:  # (what the same rules must let through)
        assert result.returncode == 0, result.stdout
        return
    assert result.returncode == 1
    assert f"docs/actualites/posts/2026-11-02-piege.md:{message}" in result.stdout, result.stdout


def test_docs_problems_point_at_their_own_line(dataset):
    """Not at the first line that happens to hold the same letters."""
    docs = dataset.root.parent / "docs"
    docs.mkdir()
    (docs / "lignes.md").write_text(
        '# Titre\n\nUne phrase avec un x, et onerror.\n\n![photo](x)\n\n<span onerror="a()">y</span>\n',
        encoding="utf-8",
    )
    result = spro(dataset.root.parent, "validate")
    assert "docs/lignes.md:5:1: erreur : image « x » : aucune page ni aucun fichier du site" in result.stdout
    assert "docs/lignes.md:7:1: erreur : attribut « onerror » refusé" in result.stdout, result.stdout


def test_code_shown_in_a_page_is_not_refused(dataset):
    docs = dataset.root.parent / "docs"
    docs.mkdir()
    (docs / "guide.md").write_text(
        "# Guide\n\n```html\n<script>alert(1)</script>\n```\n\nÉcrivez `<b>` pour du gras.\n", encoding="utf-8"
    )
    result = spro(dataset.root.parent, "validate")
    assert result.returncode == 0, result.stdout


def test_a_hostile_post_stops_the_build_and_keeps_the_previous_site(tmp_path):
    project = project_copy(tmp_path / "p", with_lieux=False)
    site = build(project)
    before = (site / "index.html").read_bytes()
    (project / "docs/actualites/posts/2026-11-20-piege.md").write_text(
        "---\ndate: 2026-11-20\n---\n\n# Piège\n\n<script>alert(1)</script>\n", encoding="utf-8"
    )
    result = spro(project, "build")
    assert result.returncode == 1
    assert "docs/actualites/posts/2026-11-20-piege.md:7:1: erreur : élément HTML <script> non accepté" in result.stderr
    assert (site / "index.html").read_bytes() == before


def test_front_matter_text_is_escaped_where_material_prints_it_raw(tmp_path):
    project = project_copy(tmp_path / "p", with_lieux=False)
    (project / "docs/actualites/posts/2026-11-20-guillemets.md").write_text(
        "---\ntitle: 'Emploi & « formation » : \"x\" onfocus=alert(1) autofocus'\n"
        "description: 'Résumé \" onmouseover=alert(2) x=\"'\ndate: 2026-11-20\n---\n\nTexte.\n",
        encoding="utf-8",
    )
    site = build(project)
    post = next(site.glob("actualites/2026/11/20/*/index.html"))
    head = post.read_text(encoding="utf-8").split("</head>")[0]
    assert '<meta name="description" content="Résumé &quot; onmouseover=alert(2) x=&quot;">' in head
    assert "<title>Emploi & « formation » : &quot;x&quot; onfocus=alert(1) autofocus - " in head
    for tag, attrs in parse(post).tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "autofocus" not in attrs


def test_active_content_that_got_past_validation_stops_the_build(tmp_path):
    """The tripwire: whatever the way in, a page that would run a script the project does not emit is not published."""
    project = project_copy(tmp_path / "p", with_lieux=False)
    site = build(project)
    before = (site / "index.html").read_bytes()
    hook = project / "hook.py"  # stands for a way past validation not found yet
    hook.write_text(
        "def on_post_page(output, page, config):\n"
        "    return output.replace('</body>', '<!--> <script src=\"x.txt\"></script> --></body>')\n"
    )
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"hooks:\n  - {hook}\n")
    result = spro(project, "build")
    assert result.returncode == 1
    assert re.search(
        r"\S+\.html contient un contenu actif inattendu \(script « x\.txt » \(seuls les fichiers \.js du site "
        r"sont permis\)\) : construction arrêtée",
        result.stderr,
    ), result.stderr
    assert (site / "index.html").read_bytes() == before


def test_a_page_too_long_to_check_as_it_is_rendered_is_checked_before_the_site_is_published(tmp_path, monkeypatch):
    """The tripwire holds for the pages left to the pass over the built site (the map of a 30,000-lieu site)."""
    project = project_copy(tmp_path / "p", with_lieux=False)
    site = build(project)
    before = (site / "index.html").read_bytes()
    hook = project / "hook.py"
    hook.write_text(
        "def on_post_page(output, page, config):\n    return output.replace('</body>', '<script>x()</script></body>')\n"
    )
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"hooks:\n  - {hook}\n")
    monkeypatch.setattr(plugin, "CHECKED_AT_THE_END", 0)  # (every page left to that pass)
    with pytest.raises(
        pipeline.BuildFailed, match=r"contient un contenu actif inattendu \(script en ligne \('x\(\)'\)"
    ):
        build(project)
    assert (site / "index.html").read_bytes() == before


def test_the_pass_over_a_site_written_in_place_leaves_no_page_unchecked_when_one_fails(tmp_path):
    """Plain ``mkdocs build`` writes into the site folder itself: the page with active content, and those not checked
    yet, go; those checked keep their policy."""
    for name, body in [("a", "<p>A</p>"), ("b", "<script>x()</script>"), ("c", "<p>C</p>")]:
        (tmp_path / f"{name}.html").write_text(f"<html><head></head><body>{body}</body></html>", encoding="utf-8")
    with pytest.raises(pipeline.BuildFailed, match=r"^b\.html contient un contenu actif inattendu"):
        pipeline.secure_pages(tmp_path, "https://tuiles.example")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.html"]
    assert 'http-equiv="Content-Security-Policy"' in (tmp_path / "a.html").read_text(encoding="utf-8")


def test_the_pass_over_the_built_site_finds_every_page_at_any_depth_and_follows_no_link(tmp_path):
    """What ``secure_pages`` goes over: every ``.html`` file, the site's root and nested folders alike (a folder
    named like a page included: docs/x.html/ is a valid folder name), in the order of their paths; not what a link
    to a folder outside the site holds."""
    site, outside = tmp_path / "site", tmp_path / "outside"
    pages = ["a/b/index.html", "a/index.html", "a-b/index.html", "a.html", "index.html", "x.html/index.html"]
    for where in [*pages, "a/data.json"]:
        (site / where).parent.mkdir(parents=True, exist_ok=True)
        (site / where).write_text("<html><head></head><body><p>x</p></body></html>", encoding="utf-8")
    outside.mkdir()
    (outside / "index.html").write_text("<script>x()</script>", encoding="utf-8")
    (site / "lien").symlink_to(outside, target_is_directory=True)
    (site / "lien.html").symlink_to(outside, target_is_directory=True)
    assert pipeline.html_files(site) == pages
    pipeline.secure_pages(site, "https://tuiles.example")
    assert all('http-equiv="Content-Security-Policy"' in (site / where).read_text(encoding="utf-8") for where in pages)
    assert "<script>x()</script>" == (outside / "index.html").read_text(encoding="utf-8")


def test_a_folder_of_the_built_site_that_cannot_be_listed_stops_the_build(tmp_path, monkeypatch):
    """Its pages would go unchecked: the pass fails closed (here: too many open files while listing one folder)."""
    for where in ["index.html", "a/index.html", "a/b/index.html"]:
        (tmp_path / where).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / where).write_text("<p>x</p>", encoding="utf-8")
    listing = os.scandir

    def scandir(path):
        if os.path.basename(os.path.normpath(path)) == "a":
            raise OSError(errno.EMFILE, "Too many open files", path)
        return listing(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(pipeline.BuildFailed, match=r"^dossier du site illisible \(.*/a\) : Too many open files"):
        pipeline.secure_pages(tmp_path, "https://tuiles.example")


def test_a_page_gets_its_policy_once_even_when_it_has_it_already():
    """``mkdocs build --dirty`` leaves the pages of the previous build, policy included, beside the new ones."""
    page = "<!doctype html><html><head><title>T</title></head><body></body></html>"
    once = with_policy(page, "https://tuiles.example")
    assert once.count("Content-Security-Policy") == 1
    assert with_policy(once, "https://tuiles.example") == once


def test_no_page_holds_an_inline_script_and_the_policy_allows_none(demo_site):
    for page in sorted(demo_site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert active_content(html) == [], page
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self' 'wasm-unsafe-eval'", page
        assert directives["img-src"] == "'self' data: https://data.geopf.fr"
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"


@pytest.mark.parametrize(
    "page, expected",
    [
        ("<script>a()</script>", "script en ligne ('a()')"),
        ('<script type="module">b()</script>', "script en ligne ('b()')"),
        ('<script src="../../x.txt"></script>', "script « ../../x.txt » (seuls les fichiers .js du site sont permis)"),
        (
            '<script src="https://ailleurs.example/x.js"></script>',
            "script « https://ailleurs.example/x.js » (seuls les fichiers .js du site sont permis)",
        ),
        (
            '<script src="//ailleurs.example/x.js"></script>',
            "script « //ailleurs.example/x.js » (seuls les fichiers .js du site sont permis)",
        ),
        (
            '<!--> <script src="../x.txt"></script> -->',
            "script « ../x.txt » (seuls les fichiers .js du site sont permis)",
        ),
        (
            '<![CDATA[ ><script src="../x.txt"></script> ]]>',
            "script « ../x.txt » (seuls les fichiers .js du site sont permis)",
        ),
        (
            '<meta http-equiv="refresh" content="0;url=https://x.org">',
            'élément <meta> (\'<meta http-equiv="refresh" content="0;url=https://x.org">\')',
        ),
        ("<style>body{visibility:hidden}</style>", "élément <style> ('<style>body{visibility:hidden}</style>')"),
        ('<img src="x.png" onerror="alert(1)">', "attribut « onerror » sur <img>"),
        ('<a href=" javascript:alert(1)">x</a>', "adresse «  javascript:alert(1) » sur <a>"),
        (
            '<iframe src="https://ailleurs.example/"></iframe>',
            "<iframe> vers « https://ailleurs.example/ » (seul le site lui-même est permis)",
        ),
        (
            '<link rel="stylesheet" href="https://cdn.example/x.css">',
            "<link> chargé d'ailleurs : « https://cdn.example/x.css »",
        ),
        # read as markup here (scripting off), as text by a browser, which then runs the script after it
        (
            '<noscript <1><p <1 title="</noscript <1><script src=../../a.txt <1></script <1>">B</p></noscript>',
            'élément <noscript> (\'<noscript <1=""><p <1="" title="&lt;/noscript &lt;1&gt;&lt;s\')',
        ),
        (
            '<div><template shadowrootmode="open"><script src="a.txt"></script></template></div>',
            'élément <template> (\'<template shadowrootmode="open"><script src="a.txt"></script\')',
        ),
        (
            '<svg><a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>',
            'élément <set> (\'<set attributeName="href" to="javascript:alert(1)"></set>\')',
        ),
    ],
)
def test_active_content_is_found_as_a_browser_parses_the_page(page, expected):
    assert active_content(f"<!doctype html><html><head></head><body><p>Texte</p>{page}</body></html>") == [expected]


def test_the_projects_own_scripts_data_and_images_are_not_active_content():
    page = (
        '<script src="../assets/spro/finder.js"></script><script type="application/ld+json">{"a": 1}</script>'
        '<script id="__config" type="application/json">{}</script><img src="data:image/png;base64,AAAA" alt="">'
        '<iframe src="carte.html" title="Carte"></iframe><form action="../recherche/"></form>'
        '<link rel="canonical" href="https://exemple.fr/annuaire/">'
    )
    assert active_content(f"<html><head></head><body>{page}</body></html>") == []


def test_docs_file_names_are_checked_and_never_printed_raw(tmp_path):
    """A file name is an address of the site and a line of the CI log: a newline in it must not forge a workflow command."""
    project = project_copy(tmp_path / "p", with_lieux=False)
    forged = "x\n::error title=Faux::Injection\n::stop-commands::abc\ny.md"
    (project / "docs" / forged).write_text("# Page\n\n[lien](absente.md)\n", encoding="utf-8")
    (project / "docs/con.txt").write_text("x", encoding="utf-8")
    (project / "docs/Actualité.md").write_text("# Actualité\n", encoding="utf-8")
    for command in (("validate", "--format", "github"), ("build", "--format", "github")):
        result = spro(project, *command)
        assert result.returncode == 1
        lines = (result.stdout + result.stderr).splitlines()
        assert not [line for line in lines if line.startswith(("::error title=Faux", "::stop-commands"))], lines
    result = spro(project, "validate")
    assert result.stdout.splitlines() == [
        "docs/Actualité.md: erreur : nom de fichier refusé : lettres sans accent, chiffres, « - », « _ » et « . » seulement "
        "(il devient une adresse du site), par exemple « actualite.md »",
        "docs/con.txt: erreur : nom réservé par Windows (con, prn, aux, nul, com1…, lpt1…) : choisissez-en un autre",
        "docs/x\\n::error title=Faux::Injection\\n::stop-commands::abc\\ny.md: erreur : nom de fichier refusé : lettres sans "
        "accent, chiffres, « - », « _ » et « . » seulement (il devient une adresse du site), par exemple "
        "« x-error-title-faux-injection-stop-commands-abc-y.md »",
    ]


# -- files outside the project -------------------------------------------------------------------------


@pytest.mark.parametrize("target", [".", "data", "docs", ".git", "..", "data/lieux", "ailleurs-non-vide"])
def test_the_site_folder_never_replaces_the_project_or_a_foreign_folder(tmp_path, target):
    project = project_copy(tmp_path / "p", with_lieux=False)
    (project / ".git").mkdir()
    (project / "ailleurs-non-vide").mkdir()
    (project / "ailleurs-non-vide/important.txt").write_text("à garder")
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    result = spro(project, "build", "--site-dir", target)
    assert result.returncode == 2
    assert result.stderr.startswith("--site-dir : ") and "Site construit" not in result.stderr
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == before


def test_a_previous_site_may_be_replaced(tmp_path):
    project = project_copy(tmp_path / "p", with_lieux=False)
    assert spro(project, "build", "--site-dir", "sortie").returncode == 0
    assert (project / "sortie/.spro-site").is_file()
    assert spro(project, "build", "--site-dir", "sortie").returncode == 0


@pytest.mark.parametrize(
    "identifier",
    [
        "../../evil-outside",
        "/tmp/evil-absolute",
        "../../.github/workflows/evil",
        "../bassins/x",
        "Mission-Locale-Melle-République",
    ],
)
def test_import_never_writes_outside_data_lieux(dataset, identifier):
    project = dataset.root.parent
    sheet = project / "import.csv"
    sheet.write_text(
        "id;nom;reseau;voie;code postal;commune;services;publics\n"
        f"{identifier};Antenne;mission-locale;3 rue Neuve;86000;Poitiers;api;jeunes\n",
        encoding="utf-8",
    )
    before = sorted(str(p) for p in project.parent.rglob("*"))
    result = spro(project, "import", "csv", "import.csv")
    assert result.returncode == 1
    assert "colonne « id » : identifiant « " in result.stderr and "invalide" in result.stderr, result.stderr
    assert sorted(str(p) for p in project.parent.rglob("*")) == before
    assert not Path("/tmp/evil-absolute.yaml").exists()


def test_new_lieu_refuses_an_identifier_that_is_a_path(dataset):
    project = dataset.root.parent
    result = spro(
        project,
        "new",
        "lieu",
        "--id",
        "../../evil",
        "--nom",
        "Antenne",
        "--reseau",
        "mission-locale",
        "--voie",
        "3 rue Neuve",
        "--code-postal",
        "86000",
        "--commune",
        "Poitiers",
        "--services",
        "api",
        "--publics",
        "jeunes",
        "--sans-questions",
    )
    assert result.returncode == 1
    assert "identifiant « ../../evil » invalide" in result.stderr
    assert not (project.parent / "evil.yaml").exists()


def test_symbolic_links_are_refused_and_never_followed(dataset, tmp_path):
    outside = tmp_path / "dehors"
    outside.mkdir()
    (outside / "secret.json").write_text(json.dumps({"type": "Polygon", "coordinates": [SQUARE]}))
    (outside / "lieu.yaml").write_text(VALID_LIEU)
    (dataset.root / "bassins/poitiers.geojson").unlink(missing_ok=True)
    (dataset.root / "bassins/poitiers.geojson").symlink_to(outside / "secret.json")
    (dataset.root / "lieux/passwd.yaml").symlink_to("/etc/passwd")
    (dataset.root / "lieux/ailleurs.yaml").symlink_to(outside / "lieu.yaml")
    docs = dataset.root.parent / "docs"
    docs.mkdir()
    (docs / "notes.txt").symlink_to("/etc/hostname")
    result = spro(dataset.root.parent, "validate")
    out = result.stdout
    assert result.returncode == 1
    for shown in (
        "data/bassins/poitiers.geojson",
        "data/lieux/passwd.yaml",
        "data/lieux/ailleurs.yaml",
        "docs/notes.txt",
    ):
        assert f"{shown}: erreur : lien symbolique refusé" in out, out
    assert "root:" not in out and "Polygon" not in out


def test_a_fifo_named_like_a_lieu_does_not_hang_validation(dataset):
    os.mkfifo(dataset.root / "lieux/tube.yaml")
    assert errors_of(dataset) == ["lieux/tube.yaml: erreur : un tube nommé (FIFO) n'a rien à faire ici : retirez-le"]


def test_the_geocoder_address_is_not_a_data_setting(dataset):
    site = dataset.root / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8").replace("geocodage:\n", "geocodage:\n  url: https://espion.exemple\n"),
        encoding="utf-8",
    )
    (error,) = errors_of(dataset)
    assert "geocodage.url : champ retiré du format : l'adresse du géocodeur ne se règle plus dans les données" in error


@pytest.mark.parametrize("lat, lon", [(0.0, 0.0), (48.8566, 2.3522)])
def test_a_result_outside_the_region_is_refused(dataset, lat, lon):
    dataset.write("lieux/antenne.yaml", VALID_LIEU)
    data, report = dataset.load()
    query = "12 rue de la Marne, 86000 Poitiers"
    with FakeBan() as ban:
        ban.script(query, Reply.json(collection(feature(lat, lon, "12 Rue de la Marne 86000 Poitiers", "86194", 0.99))))
        geocoder = Geocoder(ban.url, Politeness(requests_per_second=1000, timeout=2), bounds=data.site.emprise)
        cache, _ = GeocodeCache.load(dataset.root / "geocodage.jsonl")
        run = geocode_missing(data, cache, geocoder)
    failure = next(f for f in run.failures if f.request.query == query)
    assert "hors de l'emprise de la Région" in failure.reason
    assert not any(e.requete == query for e in GeocodeCache.load(dataset.root / "geocodage.jsonl")[0].entries.values())


@pytest.mark.parametrize(
    "url", ["ftp://x", "http://[::1", "https://exemple.fr:99999/geo", "https://user:pw@exemple.fr"]
)
def test_a_bad_geocoder_address_is_reported_in_french(dataset, url):
    dataset.write("lieux/antenne.yaml", VALID_LIEU)
    result = spro(dataset.root.parent, "geocode", "--geocodeur", url)
    assert result.returncode == 2
    assert result.stderr.startswith("--geocodeur : adresse du géocodeur invalide"), result.stderr
    assert "Traceback" not in result.stderr


def test_a_table_of_contents_entry_is_printed_as_text_even_past_validation(tmp_path):
    """The adapter's last guard: the theme prints toc entries unescaped; each becomes plain text."""
    project = project_copy(tmp_path / "p", with_lieux=False)
    hook = project / "hook.py"  # stands for a heading that got past validation
    hook.write_text(
        "from mkdocs.plugins import event_priority\n\n\n"
        "@event_priority(100)  # before the project's plugin\n"
        "def on_page_content(html, page, config, files):\n"
        "    if page.file.src_uri == 'contribuer/index.md':\n"
        "        page.toc.items[0].children[0].title = '<img src=x>Section &amp; piège'\n"
        "    return html\n"
    )
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"hooks:\n  - {hook}\n")
    site = build(project)
    page = (site / "contribuer/index.html").read_text(encoding="utf-8")
    assert "<img src=x>" not in page and "Section &amp; piège" in page
