"""What the generators produce: files with a site path, and whether each is a page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class GeneratedFile:
    """A static file: asset, map document, export."""

    path: str
    content: str | bytes | Callable[[], str | bytes]
    """The file's text or bytes, or (the large open-data exports) a function making them when it is written."""
    in_nav: bool = False
    is_page = False

    def made(self) -> str | bytes:
        return self.content() if callable(self.content) else self.content


@dataclass(frozen=True)
class GeneratedPage:
    """A Markdown page whose body is rendered on demand.

    At 30,000 lieux, holding every rendered page at once cost gigabytes: a page is a recipe
    (front matter + a function rendering its body), rendered when a consumer asks for it.
    ``content`` is the complete Markdown page (front matter, then the HTML body).
    """

    path: str
    """Path inside the documentation tree, e.g. ``lieux/mission-locale-poitiers.md``."""
    front_matter: str
    render_body: Callable[[], str]
    in_nav: bool = False
    is_page = True

    @property
    def content(self) -> str:
        return f"{self.front_matter}\n{self.render_body()}"


def page_url(path: str) -> str:
    """Directory URL of a page source path: ``lieux/x.md`` -> ``lieux/x/``, ``index.md`` -> ``""``."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def relative(from_url: str, to: str) -> str:
    """Relative link from the page at directory URL ``from_url`` to the site path ``to``.

    Same result as ``posixpath.relpath`` for these directory-style URLs, without its cost
    (it was 3 s of a 3,000-lieu build: every list links to every lieu).
    """
    base = from_url.strip("/").split("/") if from_url.strip("/") else []
    target = to.split("/")
    common = 0
    while common < len(base) and common < len(target) - 1 and base[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + target[common:]) or "./"
