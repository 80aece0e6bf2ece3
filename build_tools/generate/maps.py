"""Region and basin maps with folium, as standalone documents shown in an ``<iframe>``.

folium does not escape what it is given, loads Leaflet from CDNs (see the field notes), and
branca compiles each element's *rendered* script again as a Jinja template: text from the data
passed through folium would be evaluated (``{{ ... }}`` is template injection at build time). So:
- no text from the data goes through folium: the map gets coordinates and indexes only; names,
  links and labels are in ``donnees.js`` beside the map document (JSON, ASCII-escaped), read by
  small JavaScript callbacks that use ``textContent``;
- every map loads Leaflet and its plugins from the site itself (``default_js``/``default_css``
  replaced on each instance);
- element ids are renumbered after construction, so two builds are byte-identical.
"""

from __future__ import annotations

import html
import itertools
import json
from pathlib import Path

import folium
from branca.element import MacroElement
from folium.plugins import FastMarkerCluster
from folium.utilities import JsCode
from jinja2 import Template

from ..model import Bassin, Lieu
from .output import relative

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")

_MARKER = JsCode("""
function (row) {
  var lieu = window.SPRO_CARTE.lieux[row[2]];
  var marker = L.marker(new L.LatLng(row[0], row[1]), {title: lieu[0], alt: lieu[0], services: lieu[3]});
  var box = document.createElement('div');
  var link = document.createElement('a');
  link.href = lieu[1];
  link.target = '_top';
  link.textContent = lieu[0];
  var strong = document.createElement('strong');
  strong.appendChild(link);
  box.appendChild(strong);
  var details = document.createElement('div');
  details.textContent = lieu[2];
  box.appendChild(details);
  if (lieu[4]) {
    var note = document.createElement('div');
    note.textContent = 'Position approximative';
    note.className = 'spro-approximatif';
    box.appendChild(note);
  }
  marker.bindPopup(box);
  return marker;
}
""")

_BASIN = JsCode("""
function (feature, layer) {
  var bassin = window.SPRO_CARTE.bassins[feature.properties.i];
  var link = document.createElement('a');
  link.href = bassin[1];
  link.target = '_top';
  link.textContent = bassin[0];
  layer.bindPopup(link);
  var label = document.createElement('span');
  label.textContent = bassin[0];
  layer.bindTooltip(label, {sticky: true});
}
""")


class _ServiceFilter(MacroElement):
    """Checkboxes that filter the cluster's markers by service (carte-filtres.js)."""

    _template = Template("""
{% macro script(this, kwargs) %}
sproFiltres({{ this.map_element.get_name() }}, {{ this.cluster.get_name() }}, {{ this.services|tojson }});
{% endmacro %}
""")

    def __init__(self, map_element, cluster, services: list[dict]):
        super().__init__()
        self._name = "ServiceFilter"
        self.map_element, self.cluster, self.services = map_element, cluster, services


def _base_map(location, zoom: int, page: str, tiles_url: str, attribution: str) -> folium.Map:
    assets = relative(page, "assets/spro/")
    carte = folium.Map(location=location, zoom_start=zoom, tiles=None, control_scale=True)
    carte.default_js = [("leaflet", f"{assets}vendor/leaflet/leaflet.js"), ("spro_donnees", "donnees.js")]
    carte.default_css = [("leaflet_css", f"{assets}vendor/leaflet/leaflet.css"), ("spro_carte", f"{assets}carte.css")]
    # The attribution comes from site.yaml: braces removed too, since branca re-reads scripts as templates.
    safe_attribution = html.escape(attribution).replace("{", "(").replace("}", ")")
    folium.TileLayer(tiles=tiles_url, attr=safe_attribution, name="Plan IGN", max_zoom=19, control=False).add_to(carte)
    return carte


class MapData:
    """The text a map document shows, kept out of folium (see the module docstring)."""

    def __init__(self):
        self.lieux: list[list] = []
        self.bassins: list[list] = []

    def script(self) -> str:
        data = json.dumps({"lieux": self.lieux, "bassins": self.bassins}, ensure_ascii=True, separators=(",", ":"))
        return f"window.SPRO_CARTE = {data};\n"


def _marker_rows(lieux: list[Lieu], positions, reseaux, page: str, data: MapData) -> list[list]:
    """Coordinates and an index into ``data.lieux``: nothing else reaches folium."""
    rows = []
    for lieu in lieux:
        position = positions.get(lieu.id)
        if position is None:
            continue
        rows.append([position.lat, position.lon, len(data.lieux)])
        data.lieux.append([lieu.nom, relative(page, f"lieux/{lieu.id}/"), f"{reseaux[lieu.reseau].nom} · {lieu.adresse.commune}",
                           list(lieu.services), position.approximatif])
    return rows


def _cluster(carte: folium.Map, rows: list[list], page: str) -> FastMarkerCluster:
    assets = relative(page, "assets/spro/")
    cluster = FastMarkerCluster(rows, callback=_MARKER, name="Lieux d'accueil")
    cluster.default_js = [("markercluster", f"{assets}vendor/leaflet.markercluster/leaflet.markercluster.js"),
                          ("spro_filtres", f"{assets}carte-filtres.js")]
    cluster.default_css = [("markercluster_css", f"{assets}vendor/leaflet.markercluster/MarkerCluster.css"),
                           ("markercluster_default_css", f"{assets}vendor/leaflet.markercluster/MarkerCluster.Default.css")]
    cluster.add_to(carte)
    return cluster


def convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Andrew's monotone chain; points as (lon, lat). Returns the hull, counter-clockwise."""
    points = sorted(set(points))
    if len(points) < 3:
        return points

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in points:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list = []
    for p in reversed(points):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def basin_geometry(bassin: Bassin, communes, repo_root: Path | None) -> dict | None:
    """The basin's contour file when supplied, else an indicative hull around its communes."""
    if bassin.contour and repo_root is not None:
        contour = json.loads((repo_root / bassin.contour).read_text(encoding="utf-8"))
        return contour.get("geometry", contour) if contour.get("type") == "Feature" else contour
    margin = 0.03
    points = [(c.lon + dx, c.lat + dy) for c in (communes[x.code_insee] for x in bassin.communes if x.code_insee in communes)
              for dx, dy in ((margin, 0), (-margin, 0), (0, margin), (0, -margin))]
    if not points:
        return None
    ring = [[round(lon, 5), round(lat, 5)] for lon, lat in convex_hull(points)]
    return {"type": "Polygon", "coordinates": [ring + ring[:1]]}


def _basins_layer(carte: folium.Map, bassins: list[Bassin], communes, page: str, repo_root: Path | None, data: MapData) -> None:
    features = []
    for index, bassin in enumerate(bassins):
        geometry = basin_geometry(bassin, communes, repo_root)
        if geometry is None:
            continue
        features.append({"type": "Feature", "geometry": geometry, "properties": {
            "i": len(data.bassins), "couleur": PALETTE[index % len(PALETTE)], "indicatif": bassin.contour is None}})
        data.bassins.append([bassin.nom, relative(page, f"bassins/{bassin.code}/")])
    if not features:
        return
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features}, name="Bassins d'emploi",
        style_function=lambda f: {"color": f["properties"]["couleur"], "weight": 2, "fillOpacity": 0.08,
                                  "dashArray": "6 4" if f["properties"]["indicatif"] else None},
        on_each_feature=_BASIN,
    ).add_to(carte)


def _renumber(carte: folium.Map) -> None:
    counter = itertools.count(1)
    seen = set()

    def walk(element):
        if id(element) in seen:
            return
        seen.add(id(element))
        element._id = f"{next(counter):08x}"
        for child in list(element._children.values()):
            walk(child)

    root = carte.get_root()
    walk(root)
    for part in (root.header, root.html, root.script):
        walk(part)


def _render(carte: folium.Map) -> str:
    _renumber(carte)
    return carte.get_root().render()


def _fit(carte: folium.Map, points: list[tuple[float, float]]) -> None:
    if points:
        lats, lons = [p[0] for p in points], [p[1] for p in points]
        carte.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(10, 10))


def region_map(ctx, repo_root: Path | None) -> tuple[str, str]:
    """(map document, its donnees.js)."""
    page = "carte/"
    dataset, data = ctx.dataset, MapData()
    carte = _base_map([46.3, -0.2], 8, page, ctx.options.tiles_url, ctx.options.tiles_attribution)
    _basins_layer(carte, list(dataset.bassins.values()), ctx.geography.communes, page, repo_root, data)
    rows = _marker_rows(list(dataset.lieux.values()), ctx.geography.positions, dataset.reseaux, page, data)
    cluster = _cluster(carte, rows, page)
    services = [{"code": s.code, "nom": s.nom_court} for s in dataset.services.values()]
    carte.add_child(_ServiceFilter(carte, cluster, services))
    _fit(carte, [(c.lat, c.lon) for c in ctx.geography.communes.values()] or [(r[0], r[1]) for r in rows])
    return _render(carte), data.script()


def basin_map(ctx, bassin: Bassin, repo_root: Path | None) -> tuple[str, str]:
    """(map document, its donnees.js)."""
    page, data = f"bassins/{bassin.code}/", MapData()
    carte = _base_map([46.3, -0.2], 10, page, ctx.options.tiles_url, ctx.options.tiles_attribution)
    _basins_layer(carte, [bassin], ctx.geography.communes, page, repo_root, data)
    rows = _marker_rows(ctx.by_bassin[bassin.code], ctx.geography.positions, ctx.dataset.reseaux, page, data)
    _cluster(carte, rows, page)
    communes = [(c.lat, c.lon) for c in (ctx.geography.communes.get(x.code_insee) for x in bassin.communes) if c]
    _fit(carte, communes + [(r[0], r[1]) for r in rows])
    return _render(carte), data.script()
