"""The official geography ``spro communes`` starts from: a folder of reference files, or the online service.

Both give the same :class:`Reference`: the current communes of the wanted departments (INSEE
code, name, postal codes, population, outline) and the delegated and associated communes.

- Offline (``--reference DIR``): ``cog-<year>-communes.json`` (the Code officiel géographique as
  published by Etalab's ``@etalab/decoupage-administratif``) and one
  ``contours-<year>-communes-<dept>*.geojson`` per department. Outlines may predate commune
  mergers: each outline's code is a current commune's code or one of its ``anciensCodes``, and a
  current commune's outline is the union of its parts.
- Online: geo.api.gouv.fr, ``/departements/<dept>/communes`` (current communes with their
  outline, as GeoJSON) and ``/communes_associees_deleguees?codeDepartement=<dept>``. Requests
  are spaced, retried with backoff on 429/5xx/timeouts, bounded in size, and identify the tool
  (User-Agent). The base URL comes from ``--url``, else ``SPRO_GEO_API_URL``, else the official one.

Every value read here is checked again when the gazetteer is written (same contract as
``spro validate``); this module only refuses what it cannot interpret.
"""

from __future__ import annotations

import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .geocoder import USER_AGENT, Politeness
from .model import CommuneDeleguee
from .text import commune_key

DEFAULT_URL = "https://geo.api.gouv.fr"
URL_ENVIRONMENT_VARIABLE = "SPRO_GEO_API_URL"
MAX_RESPONSE_BYTES = 200 * 1024 * 1024
"""A department's communes with full-resolution outlines weigh tens of megabytes."""
ONLINE_POLITENESS = Politeness(
    requests_per_second=2.0, max_attempts=4, first_backoff=1.0, timeout=120.0, total_budget=1800.0
)
_DELEGUEE_TYPES = {"commune-deleguee": "deleguee", "commune-associee": "associee"}


class GeoReferenceError(ValueError):
    """The reference data cannot be used; the message (French) says why and what to do."""


@dataclass(frozen=True)
class ReferenceCommune:
    code_insee: str
    nom: str
    codes_postaux: tuple[str, ...]
    population: int
    outline: BaseGeometry


@dataclass(frozen=True)
class Reference:
    communes: dict[str, ReferenceCommune]
    deleguees: dict[str, CommuneDeleguee]
    source: str
    """Where it came from, for the command's summary."""


def _deleguees(entries, communes: dict[str, ReferenceCommune]) -> dict[str, CommuneDeleguee]:
    """Former communes whose name differs from their current commune's (the others add nothing)."""
    deleguees = {}
    for entry in entries:
        kind = _DELEGUEE_TYPES.get(entry.get("type"))
        current = communes.get(entry.get("chefLieu"))
        if (
            kind is None
            or current is None
            or not isinstance(entry.get("code"), str)
            or not isinstance(entry.get("nom"), str)
        ):
            continue
        if commune_key(entry["nom"]) != commune_key(current.nom):
            deleguees[entry["code"]] = CommuneDeleguee(entry["code"], entry["nom"], kind, current.code_insee)
    return dict(sorted(deleguees.items()))


def _postal_codes(value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise GeoReferenceError(f"codes postaux illisibles : {str(value)[:60]}")
    return tuple(sorted(set(value)))


def _population(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _outline(geometry, what: str) -> BaseGeometry:
    try:
        outline = shape(geometry)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException) as exc:
        raise GeoReferenceError(f"{what} : contour illisible ({exc})") from None
    if outline.geom_type not in ("Polygon", "MultiPolygon") or outline.is_empty:
        raise GeoReferenceError(f"{what} : un contour Polygon ou MultiPolygon est attendu, pas {outline.geom_type}")
    if not outline.is_valid:  # self-touching rings and the like: keep the polygonal parts of the repaired shape
        repaired = shapely.get_parts(shapely.make_valid(outline))
        outline = shapely.union_all([part for part in repaired if part.geom_type in ("Polygon", "MultiPolygon")])
    return outline


# -- offline: a folder of reference files ----------------------------------------------------------


def _one(folder: Path, pattern: str, what: str) -> Path:
    found = sorted(folder.glob(pattern))
    if len(found) != 1:
        shown = ", ".join(p.name for p in found) or "aucun"
        raise GeoReferenceError(f"{what} : un seul fichier {pattern} attendu dans {folder} ({shown})")
    return found[0]


def _json(path: Path):
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise GeoReferenceError(f"{path} illisible ({exc})") from None


def from_folder(folder: Path, departements: list[str]) -> Reference:
    folder = Path(folder)
    if not folder.is_dir():
        raise GeoReferenceError(f"dossier de référence introuvable : {folder}")
    cog_path = _one(folder, "cog-*-communes.json", "liste officielle des communes")
    cog = _json(cog_path)
    if not isinstance(cog, list) or not all(isinstance(entry, dict) for entry in cog):
        raise GeoReferenceError(f"{cog_path.name} : une liste de communes est attendue")
    wanted = set(departements)
    current = [e for e in cog if e.get("type") == "commune-actuelle" and e.get("departement") in wanted]
    owner = {}
    for entry in current:
        for code in [entry.get("code"), *(entry.get("anciensCodes") or [])]:
            owner[code] = entry.get("code")
    parts: dict[str, list[BaseGeometry]] = {}
    for departement in departements:
        path = _one(folder, f"contours-*-communes-{departement}*.geojson", f"contours du département {departement}")
        features = _json(path).get("features")
        if not isinstance(features, list):
            raise GeoReferenceError(f"{path.name} : une FeatureCollection GeoJSON est attendue")
        for feature in features:
            code = (feature.get("properties") or {}).get("code") if isinstance(feature, dict) else None
            if code not in owner:
                raise GeoReferenceError(
                    f"{path.name} : le contour {code} ne correspond à aucune commune actuelle ni à "
                    "aucun de leurs anciens codes : la liste des communes est-elle plus ancienne ?"
                )
            parts.setdefault(owner[code], []).append(_outline(feature.get("geometry"), f"{path.name}, commune {code}"))
    communes = {}
    for entry in sorted(current, key=lambda e: str(e.get("code"))):
        code = entry.get("code")
        if code not in parts:
            raise GeoReferenceError(f"aucun contour pour la commune {code} ({entry.get('nom')})")
        communes[code] = ReferenceCommune(
            code,
            str(entry.get("nom")),
            _postal_codes(entry.get("codesPostaux")),
            _population(entry.get("population")),
            shapely.union_all(parts[code]),
        )
    deleguees = _deleguees([e for e in cog if e.get("departement") in wanted], communes)
    return Reference(communes, deleguees, f"{cog_path.name} et contours de {folder}")


# -- online: geo.api.gouv.fr -------------------------------------------------------------------------


def service_url(given: str | None) -> str:
    url = (given or os.environ.get(URL_ENVIRONMENT_VARIABLE) or DEFAULT_URL).rstrip("/")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise GeoReferenceError(f"adresse du service invalide : « {url} » (attendu : https://hôte)")
    return url


class JsonService:
    """GET JSON politely: spaced requests, retries with exponential backoff, timeouts, a size limit."""

    def __init__(
        self, base_url: str, politeness: Politeness = ONLINE_POLITENESS, clock=time.monotonic, sleep=time.sleep
    ):
        self.base_url = base_url.rstrip("/")
        self.politeness = politeness
        self._clock, self._sleep = clock, sleep
        self._started = clock()
        self._last_request = float("-inf")
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self.requests_sent = 0

    def get(self, path: str, params: dict[str, str]):
        url = f"{self.base_url}{path}?{urllib.parse.urlencode(params)}"
        delay = self.politeness.first_backoff
        reason = ""
        for attempt in range(1, self.politeness.max_attempts + 1):
            if self._clock() - self._started > self.politeness.total_budget:
                raise GeoReferenceError(f"temps maximal dépassé ({self.politeness.total_budget:.0f} s) : {url}")
            self._wait_turn()
            wait = delay
            try:
                return self._fetch(url)
            except urllib.error.HTTPError as error:
                if error.code != 429 and error.code < 500:
                    raise GeoReferenceError(f"le service répond HTTP {error.code} pour {url}") from None
                reason = f"HTTP {error.code}"
                asked = _retry_after(error.headers.get("Retry-After"))
                if asked > MAX_RETRY_AFTER:
                    raise GeoReferenceError(
                        f"{reason} : le service demande d'attendre {asked:.0f} s ; relancez plus tard : {url}"
                    ) from None
                wait = max(delay, asked)
            except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError) as error:
                reason = f"service injoignable ou trop lent ({type(error).__name__})"
            if attempt < self.politeness.max_attempts:
                self._sleep(wait)
                delay *= 2
        raise GeoReferenceError(f"{reason}, après {self.politeness.max_attempts} tentatives : {url}")

    def _fetch(self, url: str):
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
        with self._opener.open(request, timeout=self.politeness.timeout) as response:
            data = response.read(MAX_RESPONSE_BYTES + 1)
        if len(data) > MAX_RESPONSE_BYTES:
            raise GeoReferenceError(f"réponse de plus de {MAX_RESPONSE_BYTES // 2**20} Mio : {url}")
        try:
            return json.loads(data)
        except (ValueError, RecursionError):
            raise GeoReferenceError(f"réponse illisible (JSON attendu) : {url}") from None

    def _wait_turn(self) -> None:
        gap = self._clock() - self._last_request
        interval = 1.0 / self.politeness.requests_per_second
        if gap < interval:
            self._sleep(interval - gap)
        self._last_request = self._clock()
        self.requests_sent += 1


MAX_RETRY_AFTER = 60.0
"""Longer than this, the command stops at once and says so (rather than waiting in silence)."""


def _retry_after(value: str | None) -> float:
    """Seconds asked for (a number; a date or anything else counts as none), at most a day."""
    try:
        seconds = float(value) if value else 0.0
    except ValueError:
        return 0.0
    return min(seconds, 86400.0) if seconds == seconds and seconds > 0 else 0.0


def from_service(service: JsonService, departements: list[str]) -> Reference:
    communes: dict[str, ReferenceCommune] = {}
    former: list[dict] = []
    for departement in departements:
        answer = service.get(
            f"/departements/{urllib.parse.quote(departement)}/communes",
            {"fields": "nom,code,codesPostaux,population,contour", "format": "geojson", "geometry": "contour"},
        )
        features = answer.get("features") if isinstance(answer, dict) else None
        if not isinstance(features, list) or not features:
            raise GeoReferenceError(f"aucune commune reçue pour le département {departement}")
        for feature in features:
            properties = feature.get("properties") if isinstance(feature, dict) else None
            if not isinstance(properties, dict) or not isinstance(properties.get("code"), str):
                raise GeoReferenceError(f"département {departement} : commune sans code INSEE dans la réponse")
            code = properties["code"]
            communes[code] = ReferenceCommune(
                code,
                str(properties.get("nom")),
                _postal_codes(properties.get("codesPostaux")),
                _population(properties.get("population")),
                _outline(feature.get("geometry"), f"commune {code}"),
            )
        answer = service.get(
            "/communes_associees_deleguees", {"codeDepartement": departement, "fields": "nom,code,type,chefLieu"}
        )
        if not isinstance(answer, list):
            raise GeoReferenceError(f"département {departement} : liste des communes déléguées et associées illisible")
        former += [entry for entry in answer if isinstance(entry, dict)]
    communes = dict(sorted(communes.items()))
    return Reference(communes, _deleguees(former, communes), service.base_url)
