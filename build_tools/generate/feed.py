"""The news (« Actualités ») as an Atom feed (RFC 4287), from posts the adapter collects.

Summaries are plain text (the post's excerpt without its markup): a feed reader shows them as
written, and relative links or scripts of the page cannot leak into it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr


@dataclass(frozen=True)
class FeedEntry:
    title: str
    url: str
    """Absolute URL of the post."""
    published: dt.datetime
    summary: str
    """Plain text."""


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed."""
    fragment = re.sub(r"<(script|style)\b.*?</\1>", " ", fragment, flags=re.S | re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _stamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(title: str, site_url: str, feed_url: str, entries: list[FeedEntry], built: dt.date) -> str:
    """Newest first. ``updated`` is the newest post's date (the build date when there is none)."""
    entries = sorted(entries, key=lambda e: (e.published, e.url), reverse=True)
    updated = entries[0].published if entries else dt.datetime.combine(built, dt.time())
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">',
        f"  <title>{escape(title)}</title>",
        f"  <id>{escape(feed_url)}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(site_url)}/>',
        f"  <updated>{_stamp(updated)}</updated>",
        f"  <author><name>{escape(title)}</name></author>",
    ]
    for entry in entries:
        lines += [
            "  <entry>",
            f"    <title>{escape(entry.title)}</title>",
            f"    <id>{escape(entry.url)}</id>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(entry.url)}/>',
            f"    <published>{_stamp(entry.published)}</published>",
            f"    <updated>{_stamp(entry.published)}</updated>",
            f'    <summary type="text">{escape(entry.summary)}</summary>',
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"
