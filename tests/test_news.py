"""News (« Actualités », Material's blog) and its Atom feed, read back by feedparser."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import feedparser
from conftest import ROOT

from build_tools.generate.feed import FeedEntry, atom

SITE_URL = "https://spro-orientation.github.io/annuaire/"


def test_the_feed_lists_every_post_newest_first_with_links_into_the_site(demo_site):
    feed = feedparser.parse((demo_site / "actualites/feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Actualités – Orientation Poitou-Charentes"
    posts = sorted((ROOT / "docs/actualites/posts").glob("*.md"), reverse=True)
    assert len(feed.entries) == len(posts) >= 2
    titles = [re.search(r"^# (.+)$", p.read_text(encoding="utf-8"), re.M).group(1) for p in posts]
    assert [e.title for e in feed.entries] == titles
    for entry, post in zip(feed.entries, posts):
        assert entry.published.startswith(post.name[:10])
        path = urlsplit(entry.link).path.removeprefix(urlsplit(SITE_URL).path)
        assert re.fullmatch(r"actualites/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/", path), path  # no accents in post URLs
        assert (demo_site / path / "index.html").is_file()
        assert "<" not in entry.summary and len(entry.summary) > 40
        assert "Continuer" not in entry.summary  # only the excerpt, before <!-- more -->


def test_pages_announce_the_feed(demo_site):
    for page in ("index.html", "actualites/index.html", "lieux/cio-poitiers/index.html"):
        html = (demo_site / page).read_text(encoding="utf-8")
        link = re.search(r'<link rel="([^"]+)" type="application/atom\+xml" title="Actualités" href="([^"]+)"', html)
        # « alternate » for feed readers, but not alone: Material fetches sitemap.xml beside every link[rel=alternate].
        assert link and "alternate" in link.group(1).split() and link.group(1) != "alternate"
        assert (demo_site / page).parent.joinpath(link.group(2)).resolve() == (
            demo_site / "actualites/feed.xml"
        ).resolve()


def test_titles_and_summaries_are_escaped():
    hostile = FeedEntry(
        "<b>Titre</b> & « ]]> »",
        "https://exemple.fr/a?b=1&c=2",
        dt.datetime(2026, 11, 1),
        "</summary><script>alert(1)</script>",
    )
    feed = feedparser.parse(
        atom("Actu", "https://exemple.fr/", "https://exemple.fr/feed.xml", [hostile], dt.date(2026, 11, 2))
    )
    assert not feed.bozo
    (entry,) = feed.entries
    assert entry.title == "<b>Titre</b> & « ]]> »" and entry.summary == "</summary><script>alert(1)</script>"
    assert entry.link == "https://exemple.fr/a?b=1&c=2"
