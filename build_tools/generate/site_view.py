"""What a page with inputs may read of the site (:class:`SiteView`), and of a lieu in a list (:class:`Carte`): its
template gets these, so that what it reads is what the page cache's key holds (:meth:`SiteView.inputs`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import pickle
from dataclasses import dataclass

from ..model import Bassin, Lieu, Public, Reseau, Service, Site
from ..positions import Position
from .tiles import Tiles


@dataclass(frozen=True)
class SiteOptions:
    build_date: dt.date
    tiles: Tiles = Tiles()
    site_url: str | None = None

    @property
    def tiles_url(self) -> str:
        return self.tiles.url

    @property
    def tiles_attribution_html(self) -> str:
        return self.tiles.attribution_html


@dataclass(frozen=True)
class SiteView:
    """All a page with inputs (a lieu page, a list of lieux) may read of the site besides its own objects: its
    template and the Python making its context get this as ``ctx``, never :class:`SiteContext`. Such a page is
    taken from an earlier build without being rendered when these and its own objects are the same (:meth:`inputs`:
    the page cache's key), so what is not here cannot be read, rather than read and left out of the key: a page
    showing more of the site (other lieux, events) gets it among its own objects, where it enters the key, or its
    template fails on it."""

    site: Site
    services: dict[str, Service]
    reseaux: dict[str, Reseau]
    publics: dict[str, Public]
    bassins: dict[str, Bassin]
    modalites: dict[str, str]
    options: SiteOptions

    @functools.cached_property
    def _digest(self) -> bytes:
        every_field = tuple(getattr(self, field.name) for field in dataclasses.fields(self))  # (none left out)
        return hashlib.sha256(pickle.dumps(every_field, protocol=5)).digest()

    def inputs(self, *objects) -> str:
        """A digest of what a page is made of: this view and ``objects``, the page's own (the code and templates
        enter the cache's key elsewhere: :mod:`build_tools.mkdocs_adapter.page_keys`). Equal objects could pickle
        differently (a string shared or not): a page then is rendered again, never stale."""
        return hashlib.sha256(self._digest + pickle.dumps(objects, protocol=5)).hexdigest()

    @functools.cached_property
    def _of_lieux(self) -> dict[str, tuple[Lieu, Position | None, str]]:
        return {}

    def lieu_inputs(self, lieu: Lieu, position: Position | None) -> str:
        """:meth:`inputs` of a lieu and its position: its page's, and its pieces' of the four exports
        (:mod:`build_tools.export_pieces`), computed once."""
        kept = self._of_lieux.get(lieu.id)
        if kept is None or kept[0] is not lieu or kept[1] is not position:
            kept = self._of_lieux[lieu.id] = (lieu, position, self.inputs(lieu, position))
        return kept[2]


@dataclass(frozen=True)
class Carte:
    """A lieu as a list of lieux shows it (the ``lieu_item`` macro of templates/_macros.html): list pages get these,
    not the lieux, so that a lieu's hours or description change none of the lists it is in."""

    id: str
    nom: str
    reseau: str
    bassin: str
    commune: str
    labellise: bool
    services: tuple[str, ...]

    @classmethod
    def of(cls, lieu: Lieu) -> Carte:
        return cls(
            lieu.id, lieu.nom, lieu.reseau, lieu.bassin, lieu.adresse.commune, lieu.labellise, tuple(lieu.services)
        )
