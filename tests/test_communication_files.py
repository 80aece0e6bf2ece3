"""The communication officers' files: news posts, label pages and their links, validated like the data (issue 15)."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import DEMO, ROOT, TODAY
from site_helpers import build, project_copy, spro

from build_tools.docs_contract import check_docs
from build_tools.generate import SiteOptions, generate_site, generated_paths
from build_tools.generate.assets import static_assets
from build_tools.positions import locate

POST = "---\ndate: 2026-11-20\ncategories:\n  - Label\n---\n\n# Un titre\n\nTexte.\n"


@pytest.fixture
def docs(tmp_path):
    root = tmp_path / "projet"
    shutil.copytree(ROOT / "docs", root / "docs")
    return root / "docs"


def problems(docs, demo_data, relative: str, text: str) -> list[str]:
    path = docs / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    report = check_docs(docs, docs.parent, TODAY, generated_paths(demo_data))
    return [d.as_text() for d in report.sorted() if d.file == f"docs/{relative}"]


def test_the_generated_paths_are_those_the_build_writes(demo_data):
    import datetime as dt

    from build_tools.loader import DataLoader

    loader = DataLoader(DEMO)
    written = generate_site(
        demo_data, locate(demo_data, loader.geocache), SiteOptions(build_date=dt.date(2026, 11, 20))
    )
    assets = {f.path for f in static_assets()}
    assert {f.path for f in written} - assets == generated_paths(demo_data)


def test_the_demo_pages_are_valid(docs, demo_data):
    assert check_docs(docs, docs.parent, TODAY, generated_paths(demo_data)).diagnostics == []


# -- the header of a news post ----------------------------------------------------------------------------


def test_a_post_needs_a_date_and_a_title(docs, demo_data):
    assert problems(docs, demo_data, "actualites/posts/sans-date.md", "# Titre\n\nTexte.\n") == [
        "docs/actualites/posts/sans-date.md:1:1: erreur : date : date de publication manquante : commencez l'actualité "
        "par un en-tête « --- », « date: AAAA-MM-JJ », « --- » (voir le guide « Publier »)"
    ]
    assert problems(docs, demo_data, "actualites/posts/sans-date.md", "---\ndate: 2026-11-20\n---\n\nTexte.\n") == [
        "docs/actualites/posts/sans-date.md:1:1: erreur : title : titre manquant : écrivez le titre sur une ligne "
        "« # Titre de l'actualité » sous l'en-tête"
    ]


def test_a_french_date_is_told_in_french_at_its_line(docs, demo_data):
    assert problems(docs, demo_data, "actualites/posts/x.md", POST.replace("2026-11-20", "15/01/2027")) == [
        "docs/actualites/posts/x.md:2:7: erreur : date : « 15/01/2027 » : une date AAAA-MM-JJ est attendue : écrivez 2027-01-15"
    ]


def test_a_future_date_schedules_the_post(docs, demo_data):
    assert problems(docs, demo_data, "actualites/posts/x.md", POST.replace("2026-11-20", "2027-01-15")) == [
        "docs/actualites/posts/x.md:2:1: note : date : actualité programmée pour le 15 janvier 2027 : elle sera publiée par "
        "la première mise à jour du site à partir de cette date (le site est reconstruit chaque jour)"
    ]
    assert problems(
        docs, demo_data, "actualites/posts/x.md", POST.replace("2026-11-20", "2027-01-15\ndraft: false")
    ) == [
        "docs/actualites/posts/x.md:2:1: avertissement : date : date future (15 janvier 2027) mais « draft: false » : "
        "l'actualité est publiée dès maintenant ; retirez « draft: false » pour la programmer"
    ]


def test_a_category_close_to_one_in_use_is_questioned(docs, demo_data):
    assert problems(docs, demo_data, "actualites/posts/x.md", POST.replace("Label", "label")) == [
        "docs/actualites/posts/x.md:4:1: avertissement : categories : catégorie « label » : vouliez-vous dire « Label », "
        "déjà employée ? Chaque catégorie différente a sa propre page"
    ]
    assert problems(docs, demo_data, "actualites/posts/x.md", POST.replace("  - Label", "  - Emploi saisonnier")) == []


def test_categories_written_on_one_line_get_the_list(docs, demo_data):
    assert problems(
        docs, demo_data, "actualites/posts/x.md", POST.replace("categories:\n  - Label", "categories: Label")
    ) == ["docs/actualites/posts/x.md:3:13: erreur : categories : une liste est attendue : écrivez [Label]"]


# -- links inside the site ----------------------------------------------------------------------------------


def test_a_link_from_the_root_of_the_server_is_refused_with_the_relative_form(docs, demo_data):
    assert problems(docs, demo_data, "actualites/posts/x.md", POST + "Voir [l'agenda](/agenda/).\n") == [
        "docs/actualites/posts/x.md:10:1: erreur : lien « /agenda/ » : un lien qui commence par « / » sort du site (publié "
        "sous sa propre adresse, par exemple …/annuaire/) ; écrivez un lien relatif vers le fichier de la page : "
        "« ../../agenda/index.md »"
    ]
    assert (
        "« ../lieux/cio-poitiers.md »"
        in problems(docs, demo_data, "label/x.md", "# X\n\n[CIO](/annuaire/lieux/cio-poitiers/)\n")[0]
    )


def test_a_link_to_a_page_that_does_not_exist_is_refused(docs, demo_data):
    assert problems(docs, demo_data, "label/x.md", "# X\n\n[Le CIO](../lieux/cio-poitier.md)\n") == [
        "docs/label/x.md:3:1: erreur : lien « ../lieux/cio-poitier.md » : la page « lieux/cio-poitier.md » n'existe pas. "
        "Vouliez-vous dire « ../lieux/cio-poitiers.md » ?"
    ]
    assert problems(docs, demo_data, "label/x.md", "# X\n\n![Affiche](affiche.png)\n") == [
        "docs/label/x.md:3:1: erreur : image « affiche.png » : aucune page ni aucun fichier du site à cette adresse"
    ]


def test_a_link_to_a_folder_is_refused_with_the_pages_file(docs, demo_data):
    assert problems(docs, demo_data, "label/x.md", "# X\n\n[Agenda](../agenda/)\n") == [
        "docs/label/x.md:3:1: erreur : lien « ../agenda/ » : écrivez le chemin du fichier de la page, "
        "« ../agenda/index.md » (un lien vers un dossier ne mène pas au même endroit depuis toutes les pages)"
    ]


def test_links_to_generated_pages_and_files_are_accepted(docs, demo_data):
    text = (
        "# X\n\n[CIO](../lieux/cio-poitiers.md), [carte](../carte/index.md), [export](../donnees/lieux.csv), "
        "[agenda](../agenda/agenda.ics#x), [fil](../actualites/feed.xml), [charte](charte.md#engagements), [ici](#haut)\n"
    )
    assert problems(docs, demo_data, "label/x.md", text) == []


def test_spro_validate_checks_the_pages_with_the_data(tmp_path):
    project = project_copy(tmp_path / "projet")
    (project / "docs/actualites/posts/2027-01-15-programmee.md").write_text(
        POST.replace("2026-11-20", "2099-01-15") + "[agenda](/agenda/)\n", encoding="utf-8"
    )
    result = spro(project, "validate", "--format", "github")
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "programmee" in line]
    assert lines == [
        "::notice file=docs/actualites/posts/2027-01-15-programmee.md,line=2,col=1::date : actualité programmée pour le "
        "15 janvier 2099 : elle sera publiée par la première mise à jour du site à partir de cette date (le site est "
        "reconstruit chaque jour)",
        "::error file=docs/actualites/posts/2027-01-15-programmee.md,line=10,col=1::lien « /agenda/ » : un lien qui "
        "commence par « / » sort du site (publié sous sa propre adresse, par exemple …/annuaire/) ; écrivez un lien "
        "relatif vers le fichier de la page : « ../../agenda/index.md »",
    ]


# -- the build --------------------------------------------------------------------------------------------


def test_a_scheduled_post_is_not_published_until_its_date(tmp_path):
    project = project_copy(tmp_path / "projet")
    (project / "docs/actualites/posts/2099-01-15-futur.md").write_text(
        POST.replace("2026-11-20", "2099-01-15").replace("Un titre", "Dans le futur"), encoding="utf-8"
    )
    (project / "docs/actualites/posts/2026-11-20-passe.md").write_text(
        POST.replace("Un titre", "Déjà publiée"), encoding="utf-8"
    )
    site = build(project)
    feed = (site / "actualites/feed.xml").read_text(encoding="utf-8")
    assert "Déjà publiée" in feed and "Dans le futur" not in feed
    assert (site / "actualites/2026/11/20/deja-publiee/index.html").is_file()
    assert not list(site.glob("actualites/2099/**/*.html"))
    assert "Dans le futur" not in (site / "actualites/index.html").read_text(encoding="utf-8")


def test_build_problems_are_annotations_on_their_file_and_line(tmp_path):
    project = project_copy(tmp_path / "projet")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        config.replace("      - label/charte.md\n", "      - label/charte.md\n      - label/absente.md\n"),
        encoding="utf-8",
    )
    line = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index("      - label/absente.md") + 1
    result = spro(project, "build", "--format", "github")
    assert result.returncode == 1
    assert (
        f"::error file=mkdocs.yml,line={line},col=1::nav : le menu cite « label/absente.md », qui n'existe pas dans "
        "docs/" in result.stdout
    )
    # Invalid data: one annotation for the build; spro validate puts each error on its line.
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    (project / "data/lieux/cio-poitiers.yaml").write_text(
        (project / "data/lieux/cio-poitiers.yaml")
        .read_text(encoding="utf-8")
        .replace("bassin: poitiers", "bassin: poitier"),
        encoding="utf-8",
    )
    result = spro(project, "build", "--format", "github")
    assert result.returncode == 1
    assert result.stdout == (
        "::error::site non construit : 1 erreur dans les données ou les pages (spro validate les "
        "signale sur leurs lignes)\n"
    )
    assert re.search(
        r"data/lieux/cio-poitiers.yaml:\d+:\d+: erreur : bassin : bassin inconnu « poitier »", result.stderr
    )


def test_mkdocs_warnings_about_a_page_point_at_its_line(tmp_path):
    from build_tools.build_messages import build_diagnostic

    docs = tmp_path / "docs"
    (docs / "label").mkdir(parents=True)
    (docs / "label/x.md").write_text("# X\n\nVoir [la suite](y.md).\n", encoding="utf-8")
    message = "Doc file 'label/x.md' contains a link 'y.md', but the target 'label/y.md' is not found among documentation files."
    diagnostic = build_diagnostic(message, docs, tmp_path / "mkdocs.yml", tmp_path)
    assert diagnostic.as_github() == (
        f"::error file=docs/label/x.md,line=3,col=1::lien « y.md » : la page ou le fichier "
        f"visé n'existe pas dans le site ({message})"
    )
    assert (
        build_diagnostic("Something else.", docs, tmp_path / "mkdocs.yml", tmp_path).as_github()
        == "::error::construction du site : Something else."
    )
