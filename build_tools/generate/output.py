"""What the generators produce: files with a site path, and whether each is a page."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass


@dataclass(frozen=True)
class GeneratedFile:
    path: str
    """Path inside the documentation tree, e.g. ``lieux/mission-locale-poitiers.md``."""
    content: str | bytes
    in_nav: bool = False

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md")


def page_url(path: str) -> str:
    """Directory URL of a page source path: ``lieux/x.md`` -> ``lieux/x/``, ``index.md`` -> ``""``."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def relative(from_url: str, to: str) -> str:
    """Relative link from the page at directory URL ``from_url`` to the site path ``to``."""
    link = posixpath.relpath(to or ".", from_url.rstrip("/") or ".")
    if link == ".":
        return "./"
    return link + "/" if to == "" or to.endswith("/") else link
