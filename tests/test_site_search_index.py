"""What Pagefind indexes: every page of the site but the lieux' (the search page finds lieux with the finder's own
index), wherever a docs/ page sits and whatever its name."""

from __future__ import annotations

import pytest
from site_helpers import build, project_copy, spro

from build_tools.pipeline import indexed_glob

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
