"""Distances between positions (degrees), shared by validation and the finder."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, R = 6371 km), as in finder-core.js."""
    to_rad = math.pi / 180
    dlat, dlon = (lat2 - lat1) * to_rad, (lon2 - lon1) * to_rad
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1 * to_rad) * math.cos(lat2 * to_rad) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
