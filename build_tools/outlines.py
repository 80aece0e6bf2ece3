"""The contract of a basin outline, ``data/bassins/<code>.geojson``.

An outline is one GeoJSON geometry, a ``Polygon`` or a ``MultiPolygon`` (RFC 7946), and nothing
else: no ``Feature``, no ``properties``, no other member (an extra member is exactly where
template syntax or a script would hide). Positions are ``[longitude, latitude]`` pairs of finite
numbers inside the Région's ``emprise``; rings are closed and have at least four positions; the
file is bounded in size and in positions. The build only ever uses the geometry rebuilt here from
the numbers read, never the file's text.
"""

from __future__ import annotations

import math

from .diagnostics import Diagnostic
from .json_source import read_json
from .model import Emprise, Outline

MAX_OUTLINE_BYTES = 256 * 1024
MAX_POSITIONS = 50_000
TYPES = ("Polygon", "MultiPolygon")


class _Problem(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def read_outline(data: bytes, shown: str, bounds: Emprise | None) -> tuple[Outline | None, list[Diagnostic]]:
    """The outline in ``data``, or None and the French reasons it is refused."""
    value, problems = read_json(data, shown, MAX_OUTLINE_BYTES)
    if problems:
        return None, problems
    try:
        return _outline(value, bounds), []
    except _Problem as problem:
        return None, [Diagnostic(shown, 0, 0, problem.field, problem.message)]


def _outline(value, bounds: Emprise | None) -> Outline:
    if not isinstance(value, dict):
        raise _Problem("", 'une géométrie GeoJSON est attendue : {"type": "Polygon", "coordinates": [...]}')
    kind = value.get("type")
    if kind not in TYPES:
        shown = kind if isinstance(kind, str) else type(kind).__name__
        raise _Problem("type", f"« {str(shown)[:40]} » : « Polygon » ou « MultiPolygon » attendu")
    extra = sorted(set(value) - {"type", "coordinates"})
    if extra:
        raise _Problem(
            extra[0][:40],
            "membre non permis : le fichier ne contient que la géométrie (« type » et « coordinates »), "
            "sans Feature ni properties",
        )
    if "coordinates" not in value:
        raise _Problem("coordinates", "champ obligatoire manquant")
    counter = [0]
    if kind == "Polygon":
        polygons = (_polygon(value["coordinates"], "coordinates", bounds, counter),)
    else:
        polygons = tuple(
            _polygon(p, f"coordinates[{i}]", bounds, counter)
            for i, p in enumerate(_list(value["coordinates"], "coordinates", 1))
        )
    return Outline(polygons)


def _list(value, where: str, minimum: int) -> list:
    if not isinstance(value, list):
        raise _Problem(where, "une liste est attendue")
    if len(value) < minimum:
        raise _Problem(where, f"au moins {minimum} élément(s) attendu(s)")
    return value


def _polygon(value, where: str, bounds: Emprise | None, counter: list[int]):
    return tuple(_ring(ring, f"{where}[{i}]", bounds, counter) for i, ring in enumerate(_list(value, where, 1)))


def _ring(value, where: str, bounds: Emprise | None, counter: list[int]):
    positions = tuple(_position(p, f"{where}[{i}]", bounds) for i, p in enumerate(_list(value, where, 4)))
    counter[0] += len(positions)
    if counter[0] > MAX_POSITIONS:
        raise _Problem(where, f"contour trop détaillé (plus de {MAX_POSITIONS} points) : simplifiez-le")
    if positions[0] != positions[-1]:
        raise _Problem(where, "anneau non fermé : le dernier point doit répéter le premier")
    return positions


def _position(value, where: str, bounds: Emprise | None) -> tuple[float, float]:
    if not (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in value)
    ):
        raise _Problem(where, "position attendue : [longitude, latitude], deux nombres")
    try:
        lon, lat = float(value[0]), float(value[1])
    except OverflowError:
        lon = lat = math.inf
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise _Problem(where, "coordonnée non finie")
    south, north, west, east = (bounds.sud, bounds.nord, bounds.ouest, bounds.est) if bounds else (-90, 90, -180, 180)
    if not (south <= lat <= north and west <= lon <= east):
        raise _Problem(
            where,
            f"position [{lon:g}, {lat:g}] hors de l'emprise de la Région (data/site.yaml)"
            " : longitude et latitude inversées ?",
        )
    return lon, lat
