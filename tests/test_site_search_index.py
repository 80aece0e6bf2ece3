"""What Pagefind indexes: every page of the site but the lieux' (the search page finds lieux with the finder's own
index), wherever a docs/ page sits and whatever its name; and its output taken again from the previous site when
the pages it reads are the same (build_tools/site_search.py)."""

from __future__ import annotations

import json

import pytest
from site_helpers import build, project_copy, spro

from build_tools.previous_output import PreviousOutput
from build_tools.site_search import SearchReuse, index_site_search, indexed_glob

EXTRA_PAGES = ["v1.2/notes.md", "guide.v2.md", "lieux/aide.md", "lieux/aide.v2/index.md", "assets/aide.md"]
"""docs/ pages whose names a glob could lose: a dot, a generated folder's name."""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = project_copy(tmp_path_factory.mktemp("search-index"))
    for number, name in enumerate(EXTRA_PAGES):
        path = project / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# Page {number}\n\nMotunique{number} de la page.\n", encoding="utf-8")
    return build(project)


def searchable(site):
    """The built pages that carry Pagefind's body marker (main.html puts it on every page of the site)."""
    return {
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if "data-pagefind-body" in path.read_text(encoding="utf-8")
    }


def test_every_page_but_the_lieux_is_indexed(site, demo_data):
    pages = searchable(site)
    lieux = {f"lieux/{identifier}/index.html" for identifier in demo_data.lieux}
    assert lieux <= pages
    for name in EXTRA_PAGES:
        assert name.removesuffix(".md").removesuffix("/index") + "/index.html" in pages
    indexed = len(list((site / "pagefind" / "fragment").iterdir()))  # one fragment per page indexed
    assert indexed == len(pages - lieux)


def test_pagefind_interfaces_nothing_uses_are_not_published(site):
    names = {path.name for path in (site / "pagefind").iterdir()}
    assert "pagefind.js" in names
    assert not [
        name for name in names if name.startswith(("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui"))
    ]


def test_the_glob_names_folders_and_files_and_leaves_out_lieux_and_pagefind(tmp_path):
    for folder in ("v1.2", "lieux/lieu-1", "lieux/aide", "pagefind"):
        (tmp_path / folder).mkdir(parents=True)
    for file in ("index.html", "sitemap.xml", "lieux/index.html"):
        (tmp_path / file).write_text("", encoding="utf-8")
    glob = indexed_glob(tmp_path, frozenset({"lieu-1"}))
    assert glob == "{index.html,v1.2/**/*.html,lieux/aide/**/*.html,lieux/index.html}"


def test_the_removed_bundle_option_says_in_french_to_remove_it(tmp_path):
    project = project_copy(tmp_path / "projet", with_lieux=False)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - spro:\n" in text
    config.write_text(text.replace("  - spro:\n", "  - spro:\n      search_bundle_pages: 500\n"), encoding="utf-8")
    result = spro(project, "build")  # (spro build stops on any warning of the configuration)
    assert "réglage « search_bundle_pages » du greffon spro sans effet" in result.stderr
    assert "retirez-le de mkdocs.yml" in result.stderr


def tiny_site(root, words: str = "orientation"):
    for name, text in (
        ("index.html", f"Accueil {words}"),
        ("bassins/a/index.html", "Bassin"),
        ("lieux/l1/index.html", "Lieu"),
    ):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(
            f'<!doctype html><html lang="fr"><head><title>{text}</title></head>'
            f"<body><main data-pagefind-body><h1>{text}</h1><p>{text} pour tous.</p></main></body></html>",
            encoding="utf-8",
        )
    return root


def search_files(site) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in (site / "pagefind").rglob("*") if p.is_file()}


def test_pagefind_output_is_linked_when_the_pages_it_reads_are_the_same(tmp_path):
    """The previous site's index, listed in the cache under the key of what Pagefind read, is linked; a page it
    reads changed (and not a lieu page) runs Pagefind again, as a file of the index changed since does."""
    project, lieux = tmp_path / "projet", frozenset({"l1"})
    project.mkdir()
    first = tiny_site(tmp_path / "site-1")
    index_site_search(first, lieux, SearchReuse.of(project, None))
    second = tiny_site(tmp_path / "site-2")
    (second / "lieux/l1/index.html").write_text("<html><body>Autre lieu</body></html>", encoding="utf-8")
    index_site_search(second, lieux, SearchReuse.of(project, PreviousOutput(first)))
    assert search_files(second) == search_files(first)  # (the same files: linked)
    third = tiny_site(tmp_path / "site-3", words="apprentissage")
    index_site_search(third, lieux, SearchReuse.of(project, PreviousOutput(second)))
    assert not set(search_files(third).values()) & set(search_files(second).values())
    fourth = tiny_site(tmp_path / "site-4", words="apprentissage")
    fragment = next((third / "pagefind" / "fragment").iterdir())
    fragment.unlink()
    fragment.write_bytes(b"abime")
    index_site_search(fourth, lieux, SearchReuse.of(project, PreviousOutput(third)))
    assert sorted(search_files(fourth)) == sorted(search_files(third))
    assert (fourth / "pagefind" / fragment.relative_to(third / "pagefind")).read_bytes() != b"abime"


def test_no_configuration_file_or_variable_changes_pagefind(tmp_path, monkeypatch):
    """Its output is a function of what the key holds: a pagefind.yml where the build runs, or a PAGEFIND_
    variable, is not read."""
    (tmp_path / "pagefind.yml").write_text("force_language: en\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "en")
    site = tiny_site(tmp_path / "site")
    index_site_search(site, frozenset({"l1"}))
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["fr"]
