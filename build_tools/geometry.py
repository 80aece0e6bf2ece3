"""Commune centres and basin outlines, computed with shapely (the only module that imports it).

Only ``spro communes`` runs this code: the build reads the files it writes.

- A commune's centre is its centroid when the centroid falls inside the outline, else shapely's
  ``representative_point`` (always inside): a crescent-shaped commune is never placed in its neighbour.
- A basin's outline is the union of its communes' outlines. The basins are then simplified
  *together* with ``shapely.coverage_simplify`` (Visvalingam–Whyatt on the shared mesh): a border
  between two basins is simplified once, identically for both, so neighbours still share it and
  no sliver or gap appears between them. The outer border (coast, Région limits) is simplified too.
- Files hold one GeoJSON Geometry object (RFC 7946): ``{"type": "Polygon" | "MultiPolygon",
  "coordinates": [...]}``, positions ``[lon, lat]`` rounded to 5 decimals, exterior rings
  counter-clockwise and holes clockwise, compact UTF-8, at most :data:`MAX_OUTLINE_BYTES`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy
import shapely
from shapely.geometry.base import BaseGeometry

TOLERANCE = 0.002
"""Degrees; Visvalingam–Whyatt removes vertices whose triangle is smaller than about TOLERANCE² (0.03 km² here)."""
PRECISION = 5
"""Decimals kept in the files (about 1 m)."""
MAX_OUTLINE_BYTES = 200 * 1024
_KM_PER_DEGREE = 111.195  # on the mean Earth sphere (6,371 km)


class OutlineError(ValueError):
    """An outline that cannot be written as promised (French message)."""


def centre(outline: BaseGeometry) -> tuple[float, float]:
    """(lat, lon) of a point inside the outline, rounded to :data:`PRECISION` decimals."""
    point = outline.centroid
    if not outline.contains(point):
        point = outline.representative_point()
    return round(point.y, PRECISION), round(point.x, PRECISION)


def basin_outlines(
    commune_outlines: dict[str, BaseGeometry], membership: dict[str, list[str]], tolerance: float = TOLERANCE
) -> dict[str, BaseGeometry]:
    """Basin code -> simplified outline, from the outlines of the communes listed in each basin."""
    codes = sorted(code for code, communes in membership.items() if communes)
    unions = [shapely.union_all([commune_outlines[c] for c in membership[code]]) for code in codes]
    simplified = shapely.coverage_simplify(unions, tolerance) if tolerance else unions
    outlines = {}
    for code, geometry in zip(codes, simplified):
        geometry = shapely.orient_polygons(geometry, exterior_cw=False)
        geometry = shapely.transform(geometry, lambda xy: numpy.round(xy, PRECISION))
        if geometry.is_empty or not geometry.is_valid or geometry.geom_type not in ("Polygon", "MultiPolygon"):
            raise OutlineError(
                f"contour du bassin « {code} » invalide après simplification "
                f"({shapely.is_valid_reason(geometry)}) : essayez une tolérance plus petite"
            )
        outlines[code] = geometry
    return outlines


def geometry_text(geometry: BaseGeometry) -> str:
    """The file content: one GeoJSON Geometry object, compact, with a final newline."""
    mapping = shapely.geometry.mapping(geometry)
    text = (
        json.dumps(
            {"type": mapping["type"], "coordinates": _lists(mapping["coordinates"])},
            separators=(",", ":"),
            ensure_ascii=False,
        )
        + "\n"
    )
    if len(text.encode("utf-8")) > MAX_OUTLINE_BYTES:
        raise OutlineError(
            f"contour de {len(text) // 1024} Kio, au-delà de {MAX_OUTLINE_BYTES // 1024} Kio : "
            "augmentez la tolérance de simplification"
        )
    return text


def _lists(value):
    if isinstance(value, (tuple, list)):
        return [_lists(item) for item in value]
    return value


def area_km2(geometry: BaseGeometry) -> float:
    """Area on the sphere, through the (equal-area) sinusoidal projection."""

    def sinusoidal(xy):
        lat = numpy.radians(xy[:, 1])
        return numpy.column_stack((xy[:, 0] * numpy.cos(lat) * _KM_PER_DEGREE, xy[:, 1] * _KM_PER_DEGREE))

    return shapely.transform(geometry, sinusoidal).area if not geometry.is_empty else 0.0


@dataclass(frozen=True)
class Coverage:
    """How well the simplified basin outlines cover the territory (areas in km²)."""

    territory: float
    missing: float
    """Inside the territory, in no basin outline."""
    outside: float
    """In some basin outline, outside the territory (the simplified coast and borders)."""
    overlap: float
    """In two basin outlines at once."""
    holes: int
    """Holes in the union of the basin outlines that the territory does not have."""


def coverage(commune_outlines: dict[str, BaseGeometry], outlines: dict[str, BaseGeometry]) -> Coverage:
    territory = shapely.union_all(list(commune_outlines.values()))
    covered = shapely.union_all(list(outlines.values()))
    geometries = list(outlines.values())
    overlap = 0.0
    for index, first in enumerate(geometries):
        for second in geometries[index + 1 :]:
            if first.intersects(second):
                overlap += area_km2(first.intersection(second))
    return Coverage(
        territory=area_km2(territory),
        missing=area_km2(territory.difference(covered)),
        outside=area_km2(covered.difference(territory)),
        overlap=overlap,
        holes=_holes(covered) - _holes(territory),
    )


def _holes(geometry: BaseGeometry) -> int:
    return sum(len(polygon.interiors) for polygon in getattr(geometry, "geoms", [geometry]))


def misplaced_centres(
    outlines: dict[str, dict], centres: dict[str, tuple[float, float, str]]
) -> dict[str, tuple[list[str], list[str]]]:
    """For each basin outline (GeoJSON geometry), the communes of that basin whose centre it does not contain,
    and the communes of other basins whose centre it contains. ``centres``: INSEE code -> (lon, lat, basin)."""
    codes = list(outlines)
    shapes = [shapely.geometry.shape(outlines[code]) for code in codes]
    insee = list(centres)
    points = shapely.points([(centres[c][0], centres[c][1]) for c in insee])
    inside: dict[str, set[str]] = {code: set() for code in codes}
    for point, shape in zip(*shapely.STRtree(shapes).query(points, predicate="within")):
        inside[codes[shape]].add(insee[point])
    result = {}
    for code in codes:
        members = {c for c, (_, _, basin) in centres.items() if basin == code}
        missing, foreign = sorted(members - inside[code]), sorted(inside[code] - members)
        if missing or foreign:
            result[code] = (missing, foreign)
    return result
