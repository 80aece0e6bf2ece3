"""The map background: tile address template, its attribution as safe HTML, and its origin for the CSP."""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..formats import attribution_parts, url_origin
from ..model import Site

IGN_PLAN_TILES = (
    "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2"
    "&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
)
IGN_ATTRIBUTION = "© [IGN](https://www.ign.fr) – Plan IGN"


def attribution_html(text: str) -> str:
    """The attribution as HTML (Leaflet inserts it as such): escaped text and ``<a>`` for its link.

    ``text`` has passed :func:`build_tools.formats.check_attribution`: plain text, links written
    ``[texte](https://…)`` with a checked https address.
    """
    return "".join(
        html.escape(part)
        if href is None
        else f'<a href="{html.escape(href, quote=True)}" rel="noopener">{html.escape(part)}</a>'
        for part, href in attribution_parts(text)
    )


@dataclass(frozen=True)
class Tiles:
    url: str = IGN_PLAN_TILES
    attribution: str = IGN_ATTRIBUTION

    @property
    def attribution_html(self) -> str:
        return attribution_html(self.attribution)

    @property
    def origin(self) -> str:
        """Where the tiles come from (``https://host[:port]``): the only outside origin a page may load."""
        return url_origin(self.url.replace("{s}", "a"))

    @classmethod
    def of(cls, site: Site) -> Tiles:
        if site.carte.tuiles:
            return cls(site.carte.tuiles, site.carte.attribution or "")
        return cls()
