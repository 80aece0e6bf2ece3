"""The open-data exports' pieces made by an earlier build (a lieu's CSV row, GeoJSON feature, data·inclusion
structure and services), taken again while what they are made of is the same.

Writing the four exports was a second of a 3,000-lieu refresh after one lieu changed (the JSON encoder, in Python
when it indents). A piece is made of its lieu, that lieu's position and the site's
:class:`~build_tools.generate.site_view.SiteView`, which is all its maker is given; its key is their digest
(:meth:`~build_tools.generate.site_view.SiteView.lieu_inputs`, the lieu page's own), and this package's code names the
cache's folder, one per export. A change anywhere makes other keys: an entry is never stale, only unused.

The entries are kept by :class:`~build_tools.page_cache.PageCache`, with its safeguards (never inside the project,
private folders, each record checked against its SHA-256), and only those an export used stay once it is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .page_cache import PageCache, code_fingerprint, digest


class ExportPieces:
    """Each lieu's piece of one export, made."""

    def piece(self, key: str, make: Callable[..., str], *arguments: Any) -> str:
        """``make(*arguments)``: the piece whose inputs' digest is ``key``."""
        return make(*arguments)

    def done(self) -> None:
        """The export is written whole."""


MADE = ExportPieces()


class KeptExportPieces(ExportPieces):
    """Each lieu's piece of one export, taken from an earlier build when its key is kept, else made and kept."""

    def __init__(self, store: PageCache):
        self.store = store

    @classmethod
    def of(cls, project: Path, export: str) -> ExportPieces:
        """The pieces of ``export`` (its path in the site) for ``project``, kept where :meth:`PageCache.of` allows
        it, else made each time."""
        try:
            code = code_fingerprint([Path(__file__).parent])
        except OSError:
            return MADE
        store = PageCache.of(project, digest("morceaux des exports", export, code))
        return MADE if store is None else cls(store)

    def piece(self, key: str, make: Callable[..., str], *arguments: Any) -> str:
        kept = self.store.get_bytes(key)
        if kept is not None:
            return kept.decode("utf-8")
        made = make(*arguments)
        try:
            self.store.put_bytes(key, made.encode("utf-8"))
        except UnicodeEncodeError:  # (not kept: writing the export says what is wrong)
            pass
        return made

    def done(self) -> None:
        self.store.keep_only(self.store.used)
        self.store.close()
