"""What the generators produce: files with a site path, and whether each is a page."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GeneratedFile:
    """A static file: asset, map document, export."""

    path: str
    content: str | bytes | Callable[[], Iterable[str]]
    """The file's text or bytes, or (the large open-data exports) a function making its text in pieces, called when
    the file is written: the whole text is never in memory."""
    in_nav: bool = False
    is_page = False

    def made(self) -> str | bytes:
        return "".join(self.content()) if callable(self.content) else self.content

    def write(self, target: Path) -> None:
        """The file written at ``target`` (its folder made), piece by piece when it is made in pieces."""
        target.parent.mkdir(parents=True, exist_ok=True)
        if not callable(self.content):
            data = self.content
            target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
            return
        with target.open("w", encoding="utf-8", newline="") as file:
            for piece in self.content():
                file.write(piece)


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
    inputs: Callable[[], str] | None = None
    """A digest of everything the body is made of but this package's code and templates, where it can be told
    without rendering the body (a lieu page, a list of lieux: :class:`~build_tools.generate.site_view.SiteView`):
    the page cache then takes the page from an earlier build without rendering its body. None: the rendered body is
    the key."""
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
