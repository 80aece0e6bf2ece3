"""The renderer seam: MkDocs + Material and Zensical render the same pages from the same pipeline.

What Zensical (0.0.60) does not do is listed in DEVELOPERS.md and excluded here by name: Material's blog
(archive, category and dated post pages: Zensical shows the posts as plain pages) and MkDocs' sitemap/search
files, which neither published site relies on.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser
from site_helpers import project_copy

from build_tools.zensical_build import build_site as build_with_zensical

BLOG_ONLY = re.compile(r"^actualites/(\d{4}/|archive/|category/|page/)")


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> Path:
    project = project_copy(tmp_path_factory.mktemp("zensical"))
    site = project / "site"
    build_with_zensical(project / "mkdocs.yml", site)
    return site


def pages(site: Path) -> set[str]:
    return {
        p.relative_to(site).as_posix()
        for p in site.rglob("index.html")
        if not BLOG_ONLY.match(p.relative_to(site).as_posix())
    }


def main_text(path: Path) -> str:
    """The page's own content (the generated body, or the Markdown page), whitespace collapsed."""
    tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
    body = tree.css_first("div.spro") or tree.css_first("article")
    for node in body.css("script, .headerlink"):
        node.decompose()
    return " ".join(body.text(separator=" ").split())


def outline(path: Path) -> tuple[list[str], list[str]]:
    """A hand-written page as its reader finds their way in it: its headings and its links."""
    tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
    body = tree.css_first("article")
    headings = [" ".join(h.text().replace("¶", "").split()) for h in body.css("h1, h2, h3")]
    return headings, sorted(
        a.attributes.get("href") or "" for a in body.css("a") if "headerlink" not in (a.attributes.get("class") or "")
    )


def test_both_renderers_publish_the_same_pages_with_the_same_content(demo_site, zensical_site):
    mkdocs, zensical = pages(demo_site), pages(zensical_site)
    posts = {p for p in zensical - mkdocs if p.startswith("actualites/posts/")}  # Zensical: a post is its file's page
    assert zensical - posts == mkdocs
    generated = [p for p in sorted(mkdocs) if 'class="spro"' in (demo_site / p).read_text(encoding="utf-8")]
    assert len(generated) > 250
    assert [p for p in generated if main_text(demo_site / p) != main_text(zensical_site / p)] == []
    written = [p for p in sorted(mkdocs) if p not in generated and p != "actualites/index.html"]  # (the blog's index)
    assert written and [p for p in written if outline(demo_site / p) != outline(zensical_site / p)] == []


def test_the_zensical_site_has_the_same_files_search_index_policy_and_no_active_content(demo_site, zensical_site):
    from build_tools.active_content import active_content

    for name in (
        "trouver/index.json",
        "trouver/communes.json",
        "donnees/lieux.csv",
        "carte/donnees.js",
        "agenda/agenda.ics",
    ):
        assert (zensical_site / name).read_bytes() == (demo_site / name).read_bytes(), name
    assert (zensical_site / "pagefind/pagefind.js").is_file()
    for path in zensical_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert active_content(text) == [], path
        assert 'http-equiv="Content-Security-Policy"' in text, path
    assert "<entry>" in (zensical_site / "actualites/feed.xml").read_text(encoding="utf-8")
    unused_index = zensical_site / "search.json"  # (Zensical's own search: the site searches with Pagefind)
    assert not unused_index.exists() or json.loads(unused_index.read_text(encoding="utf-8"))["items"] == []


def test_zensical_pages_escape_the_front_matter_the_theme_prints_raw(tmp_path):
    """As the MkDocs adapter does: a quote in a description cannot end the attribute it is printed in."""
    project = project_copy(tmp_path / "p", with_lieux=False)
    (project / "docs/guillemets.md").write_text(
        "---\ntitle: 'Titre \" data-x=\"1'\ndescription: 'Résumé \" data-y=\"2'\n---\n\n# Titre\n\nTexte.\n",
        encoding="utf-8",
    )
    site = tmp_path / "site"
    build_with_zensical(project / "mkdocs.yml", site)
    tree = LexborHTMLParser((site / "guillemets/index.html").read_text(encoding="utf-8"))
    assert tree.css_first('meta[name="description"]').attributes["content"] == 'Résumé " data-y="2'
    assert not tree.css("[data-x], [data-y]")
