"""Incremental builds (build_tools/page_cache.py): after each change of a series (lieux, events and basins edited,
added, deleted), a build that reuses the pages of the earlier ones writes the same site, byte for byte, as a clean
build with an empty cache; and it did reuse pages (else this would compare two clean builds)."""

from __future__ import annotations

import hashlib
import re
import shutil

import pytest
from site_helpers import build, project_copy, spro

from build_tools import pipeline
from build_tools.mkdocs_adapter import plugin
from build_tools.mkdocs_adapter.build import build_site
from build_tools.page_cache import MOST_PACKS
from build_tools.site_search import SearchIndexFailed

pytestmark = pytest.mark.slow

REUSING_SOME = {"rien", "le lendemain", "horaires d'un lieu", "nom d'un lieu", "un lieu ajouté", "un événement modifié"}
REUSED = re.compile(r"Pages de l'annuaire : (\d+) sur (\d+) reprises? telles? quelles?")


def site_digests(site) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def replace_in(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_incremental_build_writes_what_a_clean_build_writes(tmp_path, monkeypatch, capfd):
    project = project_copy(tmp_path / "projet")
    data = project / "data"
    lieux, evenements, bassins = data / "lieux", data / "evenements", data / "bassins"

    def new_lieu() -> None:
        text = (lieux / "cio-cognac.yaml").read_text(encoding="utf-8")
        text = text.replace("CIO de Cognac", "Point accueil de Cognac").replace("13 avenue", "2 rue")
        (lieux / "point-accueil-cognac.yaml").write_text(text, encoding="utf-8")

    def new_event() -> None:
        source = evenements / "2027-01-forum-orientation-poitiers.yaml"
        text = source.read_text(encoding="utf-8").replace("Forum de l'orientation", "Forum des métiers")
        (evenements / "2027-01-forum-des-metiers-poitiers.yaml").write_text(text, encoding="utf-8")

    def new_basin() -> None:  # (Vibrac leaves the basin of Cognac, whose outline goes: it would be wrong now)
        replace_in(bassins / "cognac.yaml", '  - "16402"  # Vibrac\n', "")
        (bassins / "cognac.geojson").unlink()
        (bassins / "vibrac.yaml").write_text(
            'nom: Bassin de Vibrac\ndepartements: ["16"]\ncommunes:\n  - "16402"\n', encoding="utf-8"
        )

    changes = [
        ("rien", lambda: None),
        ("le lendemain", lambda: monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1795219200 + 86400))),
        ("horaires d'un lieu", lambda: replace_in(lieux / "cio-cognac.yaml", "Mo 13:30-17:00", "Mo 14:00-17:00")),
        ("nom d'un lieu", lambda: replace_in(lieux / "cio-cognac.yaml", "nom: CIO de Cognac", "nom: CIO Cognac")),
        ("un lieu ajouté", new_lieu),
        ("un lieu retiré", lambda: (lieux / "point-accueil-cognac.yaml").unlink()),
        ("un événement modifié", lambda: replace_in(evenements / "2027-01-forum-orientation-poitiers.yaml",
                                                     "2027-01-29", "2027-01-30")),
        ("un événement ajouté", new_event),
        ("un événement retiré", lambda: (evenements / "2027-01-forum-des-metiers-poitiers.yaml").unlink()),
        ("un réseau renommé", lambda: replace_in(data / "reseaux.yaml", "nom: Centre d'information et d'orientation",
                                                  "nom: Centre d'information")),
        ("un service renommé", lambda: replace_in(data / "services.yaml", "nom_court: Premier accueil (API)",
                                                   "nom_court: Premier accueil")),
        ("un bassin renommé", lambda: replace_in(bassins / "cognac.yaml", "nom: Bassin de Cognac", "nom: Cognaçais")),
        ("un bassin ajouté", new_basin),
        ("un bassin retiré", lambda: (
            (bassins / "vibrac.yaml").unlink(),
            replace_in(bassins / "cognac.yaml", "communes:\n", 'communes:\n  - "16402"  # Vibrac\n'),
        )),
    ]  # fmt: skip

    monkeypatch.setenv("SPRO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795219200")
    build(project)
    capfd.readouterr()
    for label, change in changes:
        change()
        monkeypatch.setenv("SPRO_CACHE_DIR", str(tmp_path / "cache"))
        build(project)
        said = REUSED.search(capfd.readouterr().err)
        clean_cache = tmp_path / f"cache-vide-{label}"
        monkeypatch.setenv("SPRO_CACHE_DIR", str(clean_cache))
        build(project, project / "site-propre")
        assert REUSED.search(capfd.readouterr().err)[1] == "0", label  # (an empty cache: nothing to reuse)
        assert site_digests(project / "site") == site_digests(project / "site-propre"), label
        if label in REUSING_SOME:  # (else: a change undone finds the pages of before; a basin's is in every page)
            assert said is not None, label
            reused, pages = int(said[1]), int(said[2])
            assert 0 < reused < pages if label != "rien" else reused == pages, label
        shutil.rmtree(clean_cache)


def test_the_pages_a_build_makes_the_same_are_the_previous_sites_files(tmp_path, monkeypatch):
    """Linked (build_tools/previous_output.py), not written again: the same file, where a changed page is a new one;
    and a build that fails leaves the previous site's files as they were, though the new one shared them."""
    project = project_copy(tmp_path / "projet")
    monkeypatch.setenv("SPRO_CACHE_DIR", str(tmp_path / "cache"))
    site = build(project)
    lieu, other, docs_page = (
        site / "lieux" / "cio-cognac" / "index.html",
        site / "lieux" / "cio-angouleme" / "index.html",
        site / "informations" / "mentions-legales" / "index.html",
    )
    before = {path: path.stat().st_ino for path in (lieu, other, docs_page)}
    replace_in(project / "data" / "lieux" / "cio-cognac.yaml", "Mo 13:30-17:00", "Mo 14:00-17:00")
    build(project)
    assert lieu.stat().st_ino != before[lieu]
    assert other.stat().st_ino == before[other] and docs_page.stat().st_ino == before[docs_page]
    built = site_digests(site)
    replace_in(project / "data" / "lieux" / "cio-cognac.yaml", "Mo 14:00-17:00", "Mo 14:30-17:00")

    def failing(*args):  # (once every page is written, linked or not)
        assert other.stat().st_nlink == 2  # (the new site's page is the previous site's file)
        raise SearchIndexFailed("L'indexation Pagefind a échoué : essai")

    monkeypatch.setattr(pipeline, "index_site_search", failing)
    with pytest.raises(pipeline.BuildFailed, match="essai"):
        build(project)
    assert site_digests(site) == built and other.stat().st_ino == before[other] and other.stat().st_nlink == 1


def test_a_build_writes_into_the_folders_of_the_site_it_replaced_last(tmp_path, monkeypatch):
    """build_tools/site_output.py keeps a replaced site's folders, not its files, for the next build (in the cache,
    never in the project): an unchanged page's folder is not made again, and a page gone leaves no folder."""
    project = project_copy(tmp_path / "projet")
    monkeypatch.setenv("SPRO_CACHE_DIR", str(tmp_path / "cache"))
    lieux = project / "data" / "lieux"
    text = (lieux / "cio-cognac.yaml").read_text(encoding="utf-8")
    (lieux / "point-accueil-cognac.yaml").write_text(
        text.replace("CIO de Cognac", "Point accueil de Cognac").replace("13 avenue", "2 rue"), encoding="utf-8"
    )
    site = build(project)
    folders = {path: path.stat().st_ino for path in (site / "lieux", site / "lieux" / "cio-angouleme")}
    (lieux / "point-accueil-cognac.yaml").unlink()
    build(project)
    assert {path: path.stat().st_ino for path in folders} != folders  # (the first site's folders wait)
    build(project)
    assert {path: path.stat().st_ino for path in folders} == folders
    assert not (site / "lieux" / "point-accueil-cognac").exists()
    monkeypatch.setenv("SPRO_CACHE_DIR", str(tmp_path / "cache-vide"))
    clean = build(project, project / "site-propre")
    assert site_digests(site) == site_digests(clean)
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == sorted(
        p.relative_to(clean) for p in clean.rglob("*")
    )
    assert sorted(p.name for p in project.iterdir()) == [
        "data",
        "docs",
        "mkdocs.yml",
        "overrides",
        "site",
        "site-propre",
    ]


def test_a_folder_kept_where_a_file_now_goes_makes_way_for_it(tmp_path, monkeypatch):
    """A page of docs/ (``notes.txt/``) become a plain file of the same name: the folder kept from the site before
    goes, else MkDocs would copy the file into it."""
    project = project_copy(tmp_path / "projet")
    monkeypatch.setenv("SPRO_CACHE_DIR", str(tmp_path / "cache"))
    (project / "docs" / "notes.txt.md").write_text("# Notes\n\nTexte.\n", encoding="utf-8")
    site = build(project)
    build(project)  # (the first site's folders, notes.txt/ among them, now wait for the next build)
    (project / "docs" / "notes.txt.md").unlink()
    (project / "docs" / "notes.txt").write_text("en clair\n", encoding="utf-8")
    build(project)
    assert (site / "notes.txt").read_text(encoding="utf-8") == "en clair\n"
    monkeypatch.setenv("SPRO_CACHE_DIR", str(tmp_path / "cache-vide"))
    clean = build(project, project / "site-propre")
    assert site_digests(site) == site_digests(clean)


def test_two_files_of_docs_making_one_page_are_refused(tmp_path):
    """« x.md » and « x/index.md » both make ``x/index.html``: MkDocs would keep the last one, silently."""
    project = project_copy(tmp_path / "projet")
    twice = project / "docs" / "informations" / "mentions-legales" / "index.md"
    twice.parent.mkdir()
    twice.write_text("# Autre page\n", encoding="utf-8")
    result = spro(project, "build")
    assert result.returncode != 0
    assert (
        "docs/informations/mentions-legales/index.md:1:1: erreur : même page que docs/informations/mentions-legales.md "
        "(informations/mentions-legales/index.html) : renommez l'un des deux fichiers"
    ) in result.stderr


def test_the_cache_does_not_grow_with_each_build(tmp_path, monkeypatch):
    """Each build adds the pages it rendered; the entries no build uses any more go when they take room."""
    project = project_copy(tmp_path / "projet")
    monkeypatch.setenv("SPRO_CACHE_DIR", str(tmp_path / "cache"))
    build(project)

    def packs() -> list:
        return list((tmp_path / "cache").rglob("*.pack"))

    first = sum(pack.stat().st_size for pack in packs())
    name = "CIO de Cognac"
    for number in range(MOST_PACKS + 2):
        replace_in(project / "data" / "lieux" / "cio-cognac.yaml", f"nom: {name}", f"nom: CIO {number}")
        name = f"CIO {number}"
        build(project)
    for folder in {pack.parent for pack in packs()}:  # (the pages', the lieu files' readings')
        assert len(list(folder.glob("*.pack"))) <= MOST_PACKS + 2  # (packed together, then one build's own packs)
    assert sum(pack.stat().st_size for pack in packs()) < 1.5 * first


def test_a_change_of_configuration_renders_every_page_again(tmp_path, monkeypatch, capfd):
    project = project_copy(tmp_path / "projet")
    monkeypatch.setenv("SPRO_CACHE_DIR", str(tmp_path / "cache"))
    build(project)
    replace_in(project / "mkdocs.yml", "site_name: ", "site_name: Nouveau nom – ")
    capfd.readouterr()
    build(project)
    assert REUSED.search(capfd.readouterr().err)[1] == "0"
    assert "Nouveau nom" in (project / "site" / "lieux" / "cio-cognac" / "index.html").read_text(encoding="utf-8")


def test_no_cache_inside_the_project(tmp_path, monkeypatch, capfd):
    """Entries committed by a pull request would be pages no check sees: a cache folder inside the project is not
    used (nor made)."""
    project = project_copy(tmp_path / "projet")
    monkeypatch.setenv("SPRO_CACHE_DIR", str(project / ".cache" / "spro"))
    build(project)
    build(project)
    err = capfd.readouterr().err
    assert REUSED.search(err) is None
    assert f"le dossier du cache ({project / '.cache' / 'spro'}) est dans le projet" in err
    assert not (project / ".cache").exists()


def test_a_hook_turns_the_cache_off(tmp_path):
    """A hook's code is in no page's key: with one, every page is rendered (and the hook's change shows). Each build
    is a process of its own, as a contributor runs them (MkDocs keeps a hook's first code for its whole process)."""
    project = project_copy(tmp_path / "projet")
    hook = project / "tampon.py"
    hook.write_text("def on_page_content(html, page, config, files):\n    return html + '<p>TAMPON-1</p>'\n")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("hooks:\n  - tampon.py\n")
    cache = {"SPRO_CACHE_DIR": str(tmp_path / "cache")}
    assert spro(project, "build", env=cache).returncode == 0
    hook.write_text(hook.read_text(encoding="utf-8").replace("TAMPON-1", "TAMPON-2"), encoding="utf-8")
    result = spro(project, "build", env=cache)
    assert result.returncode == 0, result.stderr
    assert "TAMPON-2" in (project / "site" / "lieux" / "cio-cognac" / "index.html").read_text(encoding="utf-8")
    assert not any((tmp_path / "cache").rglob("*.pack"))


def test_sans_cache_builds_every_page_and_leaves_the_cache_as_it_was(tmp_path):
    project = project_copy(tmp_path / "projet")
    cache = {"SPRO_CACHE_DIR": str(tmp_path / "cache")}
    assert spro(project, "build", env=cache).returncode == 0

    def packs() -> dict:
        return {pack.name: pack.read_bytes() for pack in (tmp_path / "cache").rglob("*.pack")}

    def folders() -> list:  # (the cache's folders, those a site's folders are kept in included)
        return sorted(path for path in (tmp_path / "cache").rglob("*") if path.is_dir())

    before, folders_before = packs(), folders()
    replace_in(project / "data" / "lieux" / "cio-cognac.yaml", "nom: CIO de Cognac", "nom: CIO Cognac")
    result = spro(project, "build", "--sans-cache", env=cache)
    assert result.returncode == 0, result.stderr
    assert REUSED.search(result.stderr) is None and before and packs() == before and folders() == folders_before
    assert "CIO Cognac" in (project / "site" / "lieux" / "cio-cognac" / "index.html").read_text(encoding="utf-8")


def test_pages_checked_once_built_are_the_pages_checked_as_rendered_and_never_kept_unchecked(tmp_path, monkeypatch):
    """A page too long to be checked for active content as it is rendered (plugin.CHECKED_AT_THE_END) gets its
    policy from the pass over the built site: the same bytes, whether every page, none or some are left to that pass,
    some beside pages reused from the cache and files linked from the previous site. And the page cache keeps only pages
    checked: the build after one that left every page to that pass finds none unchecked there."""
    project = project_copy(tmp_path / "projet")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795219200")
    monkeypatch.setenv("SPRO_CACHE_DIR", str(tmp_path / "cache"))
    build_site(project / "mkdocs.yml", project / "site-verifie-au-rendu", reuse_pages=False)
    expected = site_digests(project / "site-verifie-au-rendu")
    lengths = sorted(path.stat().st_size for path in (project / "site-verifie-au-rendu").rglob("*.html"))

    def built_with(threshold: int, site: str) -> dict[str, str]:
        monkeypatch.setattr(plugin, "CHECKED_AT_THE_END", threshold)
        build(project, project / site)
        return site_digests(project / site)

    assert built_with(0, "site-verifie-apres") == expected  # (every page left to that pass, none kept)
    assert built_with(lengths[-1] + 1, "site-repris") == expected  # (none: a cache without unchecked pages)
    # the longer half: pages of docs/ (rendered each time) left to that pass, beside generated pages reused and linked
    assert built_with(lengths[len(lengths) // 2], "site-repris") == expected
