"""Region and basin maps: standalone Leaflet documents shown in an ``<iframe>``.

Each map is two files: ``carte.html``, rendered from our own template (compiled once, from our
source, with autoescaping: no data byte is ever template source), and ``donnees.js``, the map's
data as JSON (names, links, outlines, positions), read by ``assets/spro/carte.js``, which builds
popups and labels with ``textContent``. Everything is loaded from the site itself.

folium used to produce these documents; it was dropped because branca compiles every rendered
element again as a Jinja template (data became template source: ``{{ ... }}`` in a basin outline
ran Python at build time), because it needed private attributes patched for self-hosted assets
and stable ids, and because its page skeleton failed accessibility checks. See DEVELOPERS.md.
"""

from __future__ import annotations

import json

from ..model import Bassin, Lieu
from .output import relative
from .render import ENVIRONMENT

PALETTE = ("#1f77b4", "#d95f02", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e7298a", "#4d4d4d", "#7a7a00", "#1b9e9e")


ROW = ("lat", "lon", "nom", "url", "details", "services", "approximatif")
"""The cells of a lieu's row in a map's data, in order: sent with it (``colonnes``), read by name in carte.js."""


def _lieux(lieux: list[Lieu], positions, reseaux, page: str) -> list[list]:
    rows = []
    for lieu in lieux:
        position = positions.get(lieu.id)
        if position is None:
            continue
        cells = {
            "lat": round(position.lat, 6),
            "lon": round(position.lon, 6),
            "nom": lieu.nom,
            "url": relative(page, f"lieux/{lieu.id}/"),
            "details": f"{reseaux[lieu.reseau].nom} · {lieu.adresse.commune}",
            "services": list(lieu.services),
            "approximatif": position.approximatif,
        }
        rows.append([cells[name] for name in ROW])
    return rows


def _bassins(bassins: list[Bassin], page: str, colours: dict[str, str]) -> list[dict]:
    return [
        {
            "nom": b.nom,
            "url": relative(page, f"bassins/{b.code}/"),
            "couleur": colours[b.code],
            "geometrie": b.outline.as_geojson(),
        }
        for b in bassins
        if b.outline is not None
    ]


def _bounds(points: list[tuple[float, float]]) -> list[list[float]] | None:
    if not points:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _outline_points(bassins: list[Bassin]) -> list[tuple[float, float]]:
    return [(lat, lon) for b in bassins if b.outline for polygon in b.outline.polygons for lon, lat in polygon[0]]


def _document(ctx, page: str, title: str, label: str, data: dict) -> tuple[str, str]:
    """(carte.html, donnees.js) for the map at site path ``page``."""
    options = ctx.options
    data["tuiles"] = {"url": options.tiles_url, "attribution": options.tiles_attribution_html}
    script = "window.SPRO_CARTE = " + json.dumps(data, ensure_ascii=True, separators=(",", ":")) + ";\n"
    document = ENVIRONMENT.get_template("carte_document.html").render(
        title=f"{title} – {ctx.site.titre}",
        label=label,
        assets=relative(page, "assets/spro/"),
    )
    return document, script


def colours(bassins) -> dict[str, str]:
    return {code: PALETTE[index % len(PALETTE)] for index, code in enumerate(bassins)}


def region_map(ctx) -> tuple[str, str]:
    """The region: every basin outline, every lieu (clustered), a filter by service."""
    page, dataset = "carte/", ctx.dataset
    bassins = list(dataset.bassins.values())
    lieux = _lieux(list(dataset.lieux.values()), ctx.geography.positions, dataset.reseaux, page)
    communes = [(c.lat, c.lon) for c in ctx.geography.communes.values()]
    data = {
        "bassins": _bassins(bassins, page, colours(dataset.bassins)),
        "colonnes": list(ROW),
        "lieux": lieux,
        "services": [[s.code, s.nom_court] for s in dataset.services.values()],
        "vue": _bounds(_outline_points(bassins) or communes or [(r[0], r[1]) for r in lieux]),
    }
    return _document(
        ctx,
        page,
        "Carte des bassins d'emploi et des lieux d'accueil",
        "Carte des bassins d'emploi et des lieux d'accueil (la page donne les mêmes informations en liste)",
        data,
    )


def basin_map(ctx, bassin: Bassin) -> tuple[str, str]:
    """One basin: its outline and its lieux."""
    page = f"bassins/{bassin.code}/"
    lieux = _lieux(ctx.by_bassin[bassin.code], ctx.geography.positions, ctx.dataset.reseaux, page)
    communes = [(c.lat, c.lon) for c in (ctx.geography.communes.get(x.code_insee) for x in bassin.communes) if c]
    data = {
        "bassins": _bassins([bassin], page, colours(ctx.dataset.bassins)),
        "colonnes": list(ROW),
        "lieux": lieux,
        "services": [],
        "vue": _bounds(_outline_points([bassin]) or communes + [(r[0], r[1]) for r in lieux]),
    }
    return _document(
        ctx,
        page,
        f"Carte – {bassin.nom}",
        f"Carte du {bassin.nom} et de ses lieux d'accueil (la page donne les mêmes informations en liste)",
        data,
    )
