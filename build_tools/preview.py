"""The pull requests' preview: a built site that opens from disk, by double-clicking ``index.html``.

Pages link to each other by folder (``lieux/cio-poitiers/``), which a web server completes with
``index.html``; a browser opening files (``file://``) shows a folder listing instead. The preview
build rewrites every relative link, image and form address that names a folder of the site into
that folder's ``index.html``. Links built by scripts (the finder's results) and the searches,
which fetch their index, still need a web server: the preview's ``apercu.html`` says so.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from .previous_output import rewrite

_ADDRESS = re.compile(r'(?P<lead>\s(?:href|src|action)=")(?P<value>[^"]*)(?P<end>")')
_OTHER_SITE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|/|#|\?)")


def folder_links_to_files(page: str, page_dir: Path, site: Path) -> str:
    """``page`` (at ``page_dir`` in ``site``) with its links to folders of the site ending in ``index.html``."""

    def rewrite(match: re.Match) -> str:
        value = match.group("value")
        if not value or _OTHER_SITE.match(value):
            return match.group(0)
        cut = min((i for i in (value.find("#"), value.find("?")) if i >= 0), default=len(value))
        path, rest = value[:cut], value[cut:]
        target = page_dir / html.unescape(path)
        if not (
            target.is_dir()
            and (target / "index.html").is_file()
            and site in (target.resolve(), *target.resolve().parents)
        ):
            return match.group(0)
        path = path + ("" if path.endswith("/") else "/") + "index.html"
        return f"{match.group('lead')}{path}{rest}{match.group('end')}"

    return _ADDRESS.sub(rewrite, page)


def make_openable_from_disk(site: Path) -> None:
    """Rewrite every HTML file of a built site (see the module's docstring)."""
    site = site.resolve()
    for path in sorted(site.rglob("*.html")):
        page = path.read_text(encoding="utf-8")
        rewritten = folder_links_to_files(page, path.parent, site)
        if rewritten != page:
            rewrite(path, rewritten)  # (never in place: it may be a link to the previous site's file)
