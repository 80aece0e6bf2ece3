"""Split the site-search (Pagefind) index into bundles of bounded size.

Pagefind holds every page it indexes in memory: about 110 KB a page, so 3 GB for a site of
30,000 lieux. Indexing the lieu pages in bundles of at most :data:`PAGES_PER_BUNDLE` pages
(one Pagefind run each, one after the other) bounds that, and the search page merges the
bundles in the browser (Pagefind's ``mergeIndex``). Small sites keep a single bundle.

Bundles are chosen by id prefix, because Pagefind selects pages with a glob: ids sharing a
prefix go together (``lieux/{mission-locale-a*,cio}/index.html``) until a bundle is full.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGES_PER_BUNDLE = 4000
MAIN_DIRECTORY = "pagefind"
_NOT_PAGES = {"assets", "lieux", "search"}


@dataclass(frozen=True)
class Bundle:
    directory: str
    """Output folder at the site root, e.g. ``pagefind`` or ``pagefind-lieux-2``."""
    glob: str | None
    """Pagefind's ``--glob`` (relative to the site); None for the main bundle, chosen once the site is built."""


def plan(lieu_ids, per_bundle: int = PAGES_PER_BUNDLE) -> list[Bundle]:
    """The bundles for a site with these lieux: the main one first, then the lieux bundles, if needed."""
    ids = sorted(lieu_ids)
    if len(ids) <= per_bundle:
        return [Bundle(MAIN_DIRECTORY, None)]
    bundles = [Bundle(MAIN_DIRECTORY, None)]
    for number, patterns in enumerate(_pack(_prefix_groups("", ids, per_bundle), per_bundle), start=1):
        bundles.append(Bundle(f"{MAIN_DIRECTORY}-lieux-{number}", "lieux/{" + ",".join(patterns) + "}/index.html"))
    return bundles


def main_glob(bundles: list[Bundle], top_level: list[str]) -> str | None:
    """Glob of the main bundle: everything but the lieu pages when they have bundles of their own.

    ``top_level`` is the names at the root of the built site (files and folders).
    """
    if len(bundles) == 1:
        return None  # Pagefind's default: every HTML file
    parts = []
    for name in sorted(top_level):
        if name.endswith(".html"):
            parts.append(name)
        elif "." not in name and name not in _NOT_PAGES and not name.startswith(MAIN_DIRECTORY):
            parts.append(f"{name}/**/*.html")
    return "{" + ",".join(parts) + "}"


def _prefix_groups(prefix: str, ids: list[str], limit: int) -> list[tuple[str, int]]:
    """(glob pattern, count) pairs covering ``ids`` (all starting with ``prefix``) exactly once, each <= limit."""
    if len(ids) <= limit:
        return [(prefix + "*", len(ids))]
    groups = []
    if ids[0] == prefix:  # the id equal to the prefix itself: matched exactly
        groups.append((prefix, 1))
        ids = ids[1:]
    by_next: dict[str, list[str]] = {}
    for identifier in ids:
        by_next.setdefault(identifier[len(prefix)], []).append(identifier)
    for character in sorted(by_next):
        groups += _prefix_groups(prefix + character, by_next[character], limit)
    return groups


def _pack(groups: list[tuple[str, int]], limit: int) -> list[list[str]]:
    """Consecutive groups packed into bundles of at most ``limit`` pages."""
    bundles: list[list[str]] = []
    size = limit + 1
    for pattern, count in groups:
        if size + count > limit:
            bundles.append([])
            size = 0
        bundles[-1].append(pattern)
        size += count
    return bundles
