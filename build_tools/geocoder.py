"""Talking to the national address geocoder (BAN, GeoCodeJSON) politely, through geopy.

``Geocoder.lookup`` answers one address with an :class:`~build_tools.geocache.Entry` or a
:class:`Failure` carrying a French reason. It spaces requests (at most 40 a second; the
service allows 50), retries timeouts, 429 and 5xx with exponential backoff, and stops within
a total time budget. Quality gates: a result in another commune than the expected INSEE code
is rejected; a low score or a street/municipality-only result is kept (the caller flags it as
approximate).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from geopy.adapters import URLLibAdapter
from geopy.exc import (
    GeocoderParseError,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geopy.geocoders import BANFrance

from .diagnostics import shown
from .geocache import Entry, GeocodeCache, Request
from .model import Dataset, Emprise
from .positions import requests_for

DEFAULT_URL = "https://data.geopf.fr/geocodage"
URL_ENVIRONMENT_VARIABLE = "SPRO_GEOCODER_URL"
USER_AGENT = "spro-orientation/0.1 (annuaire du Service public régional de l'orientation)"


@dataclass(frozen=True)
class Failure:
    request: Request
    reason: str


@dataclass
class Politeness:
    requests_per_second: float = 40.0
    max_attempts: int = 4
    first_backoff: float = 0.5
    timeout: float = 10.0
    total_budget: float = 600.0


def endpoint(given: str | None = None) -> str:
    """The base URL: the command line's, else the environment variable, else BAN's.

    Never read from ``data/``: a pull request could otherwise send every address to any server
    and have its answers published.
    """
    return (given or os.environ.get(URL_ENVIRONMENT_VARIABLE) or DEFAULT_URL).rstrip("/")


def endpoint_problem(url: str) -> str | None:
    """A French explanation when ``url`` cannot be a geocoder's base address."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a bad port
    except ValueError:
        return f"adresse du géocodeur invalide : « {shown(url)} » (attendu : https://hôte/chemin, port de 1 à 65535)"
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        return f"adresse du géocodeur invalide : « {shown(url)} » (attendu : https://hôte/chemin)"
    return None


class Geocoder:
    def __init__(
        self,
        base_url: str,
        politeness: Politeness | None = None,
        clock=time.monotonic,
        sleep=time.sleep,
        bounds: Emprise | None = None,
    ):
        problem = endpoint_problem(base_url)
        if problem:
            raise ValueError(problem)
        parts = urlsplit(base_url)
        self.bounds = bounds
        self.source = f"{parts.netloc}{parts.path}"
        self.politeness = politeness or Politeness()
        self._client = BANFrance(
            domain=f"{parts.netloc}{parts.path}",
            scheme=parts.scheme,
            timeout=self.politeness.timeout,
            proxies={},
            user_agent=USER_AGENT,
            adapter_factory=_BoundedAdapter,
        )
        self._clock, self._sleep = clock, sleep
        self._started = clock()
        self._last_request = float("-inf")
        self.requests_sent = 0

    def out_of_time(self) -> bool:
        return self._clock() - self._started > self.politeness.total_budget

    def lookup(self, request: Request) -> Entry | Failure:
        features = self._features(request)
        if isinstance(features, Failure):
            return features
        features = [f for f in features if _is_point(f)]
        if not features:
            return Failure(request, "aucun résultat : vérifiez l'adresse (numéro, voie, code postal)")
        if self.bounds is not None:
            inside = [f for f in features if self.bounds.contient(*_lat_lon(f))]
            if not inside:
                lat, lon = _lat_lon(features[0])
                return Failure(
                    request,
                    f"le résultat ({lat:.5f}, {lon:.5f}) est hors de l'emprise de la Région "
                    "(data/site.yaml) : résultat rejeté",
                )
            features = inside
        matching = [f for f in features if f["properties"].get("citycode") == request.code_insee]
        if not matching:
            found = features[0]["properties"]
            return Failure(
                request,
                f"le résultat « {found.get('label', '?')} » est dans une autre commune (code INSEE "
                f"{found.get('citycode', '?')} au lieu de {request.code_insee}) : résultat rejeté",
            )
        return self._entry(request, matching[0])

    def _features(self, request: Request):
        delay = self.politeness.first_backoff
        for attempt in range(1, self.politeness.max_attempts + 1):
            if self.out_of_time():
                return Failure(request, "temps maximal de géocodage dépassé")
            self._wait_turn()
            asked = 0.0  # what the service asked for (Retry-After), beyond our own backoff
            try:
                left = self.politeness.total_budget - (self._clock() - self._started)
                timeout = max(0.1, min(self.politeness.timeout, left))  # --duree-max bounds a request too
                locations = self._client.geocode(request.query, exactly_one=False, limit=5, timeout=timeout)
                return [location.raw for location in locations or []]
            except (GeocoderParseError, KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError):
                # geopy raises the latter on JSON that parses but is not GeoCodeJSON (or nests without end).
                return Failure(request, "réponse illisible du géocodeur (ce n'est pas du GeoCodeJSON)")
            except GeocoderRateLimited as exc:
                reason = "trop de requêtes (HTTP 429)"
                asked = float(exc.retry_after or 0)
            except GeocoderTimedOut:
                reason = "délai dépassé ou service indisponible"
            except (GeocoderServiceError, GeocoderUnavailable) as exc:
                reason = f"erreur du service ({service_fault(exc)})"
            wait = max(delay, asked)
            if attempt < self.politeness.max_attempts:
                remaining = self.politeness.total_budget - (self._clock() - self._started)
                if wait > remaining:  # a Retry-After of an hour (or a date in 2099) never outlasts --duree-max
                    said = (
                        f"le géocodeur demande d'attendre {wait:.0f} s"
                        if asked >= wait
                        else f"nouvel essai dans {wait:.0f} s"
                    )
                    return Failure(
                        request,
                        f"{reason} : {said}, au-delà du temps maximal (reste {max(remaining, 0):.0f} s) ; "
                        "relancez plus tard",
                    )
                self._sleep(wait)
                delay *= 2
        return Failure(request, f"{reason}, après {self.politeness.max_attempts} tentatives")

    def _wait_turn(self) -> None:
        interval = 1.0 / self.politeness.requests_per_second
        gap = self._clock() - self._last_request
        if gap < interval:
            self._sleep(interval - gap)
        self._last_request = self._clock()
        self.requests_sent += 1

    def _entry(self, request: Request, feature: dict) -> Entry:
        properties = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"][:2]
        return Entry(
            cle=request.key,
            requete=request.query,
            lat=round(float(lat), 6),
            lon=round(float(lon), 6),
            score=round(float(properties.get("score", 0.0)), 4),
            label=str(properties.get("label", "")),
            type=str(properties.get("type", "")),
            citycode=str(properties.get("citycode", "")),
            date=dt.date.today().isoformat(),
            source=self.source,
        )


def _lat_lon(feature) -> tuple[float, float]:
    lon, lat = feature["geometry"]["coordinates"][:2]
    return float(lat), float(lon)


def _is_point(feature) -> bool:
    try:
        lat, lon = _lat_lon(feature)
        return (
            isinstance(feature["properties"], dict)
            and math.isfinite(lat)
            and math.isfinite(lon)
            and -90 <= lat <= 90
            and -180 <= lon <= 180
        )
    except (KeyError, TypeError, ValueError, IndexError):
        return False


_ERRNO_FRENCH = {
    -2: "nom d'hôte inconnu",
    -3: "nom d'hôte introuvable pour l'instant (DNS)",
    101: "réseau injoignable",
    104: "connexion coupée par le service",
    110: "délai de connexion dépassé",
    111: "connexion refusée",
    113: "hôte injoignable",
}


def service_fault(exc: Exception) -> str:
    """What went wrong with the service, in French (geopy and urllib say it in English)."""
    if isinstance(exc, _TooLarge):
        return f"réponse de plus de {MAX_RESPONSE_BYTES // 2**20} Mio"
    text = str(exc)
    status = re.search(r"(?:HTTP Error|status code) (\d{3})", text)
    if status:
        return f"HTTP {status.group(1)}"
    if "redirect" in text.lower():
        return "redirection refusée"
    number = re.search(r"\[Errno (-?\d+)\]", text)
    if number and int(number.group(1)) in _ERRNO_FRENCH:
        return _ERRNO_FRENCH[int(number.group(1))]
    if "closed connection" in text.lower() or "remote end closed" in text.lower():
        return "connexion fermée par le service sans réponse"
    if "certificate" in text.lower() or "ssl" in text.lower():
        return "certificat du service refusé"
    return "service injoignable"


MAX_RESPONSE_BYTES = 2 * 1024 * 1024
"""A geocoding answer is a few kilobytes: beyond this, it is not one (and would fill the memory)."""


class _TooLarge(GeocoderServiceError):
    pass


class _BoundedAdapter(URLLibAdapter):
    """geopy's urllib adapter, reading at most :data:`MAX_RESPONSE_BYTES` of an answer."""

    def _decode_page(self, page):
        body = page.read(MAX_RESPONSE_BYTES + 1)
        if len(body) > MAX_RESPONSE_BYTES:
            raise _TooLarge()
        encoding = page.headers.get_content_charset() or "utf-8"
        try:
            return str(body, encoding=encoding)
        except (LookupError, ValueError):
            raise GeocoderParseError("réponse illisible") from None


@dataclass
class GeocodeRun:
    geocoded: list[Request] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    dropped: int = 0


def geocode_missing(
    dataset: Dataset,
    cache: GeocodeCache,
    geocoder: Geocoder,
    save_every: int = 25,
    progress: Callable[[int, int], None] | None = None,
) -> GeocodeRun:
    """Geocode the addresses missing from the cache, saving the cache atomically as it goes.

    On any interruption (Ctrl-C included) what was already found is saved before the
    exception propagates; entries already in the cache are never removed by a failed run.
    """
    run = GeocodeRun()
    needed = requests_for(dataset)
    missing = [r for r in needed if cache.get(r.key) is None]
    try:
        for index, request in enumerate(missing, start=1):
            if geocoder.out_of_time():
                run.failures.extend(Failure(r, "temps maximal de géocodage dépassé") for r in missing[index - 1 :])
                break
            result = geocoder.lookup(request)
            if isinstance(result, Failure):
                run.failures.append(result)
            else:
                cache.put(result)
                run.geocoded.append(request)
                if len(run.geocoded) % save_every == 0:
                    cache.save()
            if progress:
                progress(index, len(missing))
        if not run.failures:
            run.dropped = cache.keep_only({r.key for r in needed})
    finally:
        cache.save()
    return run
