"""Synthetic valid datasets of any size, as rich as the real ones, for benchmarks and scale tests.

The reference tables, gazetteer, basins and job sheets are copied from a real dataset (the demo by default).
Each of the ``count`` lieux is a copy of one of its lieux (in turn: its hours, closures, description, contacts,
services and publics, label), moved to another commune of the gazetteer with a new address and name; its
geocoded position (near the commune's centre) is written in the geocoding cache, as ``spro geocode`` would.
So the build does the work the real data asks for (:func:`profile` compares the two). Deterministic for a
given seed; every generated lieu passes validation.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import shutil
import statistics
from pathlib import Path

import yaml

from .gazetteer import COMMUNES_FILE, DELEGUEES_FILE
from .geocache import CACHE_FILE_NAME, Entry, GeocodeCache, address_text, cache_key
from .loader import DataLoader
from .model import Dataset

_STREETS = (
    "rue de la République",
    "avenue Jean-Jaurès",
    "place de la Mairie",
    "rue Victor-Hugo",
    "boulevard Carnot",
    "rue des Écoles",
    "allée des Platanes",
    "rue du Commerce",
    "chemin des Vignes",
)


def generate(source: Path, target: Path, count: int, seed: int = 2026, today: dt.date | None = None) -> None:
    """Write a dataset of ``count`` lieux into ``target`` (which must not exist yet)."""
    today = today or dt.date.today()
    target.mkdir(parents=True)
    for name in ("site.yaml", "services.yaml", "reseaux.yaml", "publics.yaml", "synonymes.yaml"):
        if (source / name).exists():
            shutil.copy(source / name, target / name)
    for name in (COMMUNES_FILE, DELEGUEES_FILE):
        shutil.copy(source / name, target / name)
    for folder in ("bassins", "metiers"):
        shutil.copytree(source / folder, target / folder)
    (target / "lieux").mkdir()
    originals = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((source / "lieux").glob("*.yaml"))]
    loader = DataLoader(target, today)
    dataset = loader.load()
    if dataset is None or loader.report.errors:
        raise ValueError(f"données de départ invalides : {loader.report.errors[:3]}")
    communes = sorted((c for c in dataset.communes.values() if c.bassin), key=lambda c: c.code_insee)
    rng = random.Random(seed)
    cache = GeocodeCache(target / CACHE_FILE_NAME)
    for index in range(1, count + 1):
        lieu = dict(originals[(index - 1) % len(originals)])
        lieu.pop("id", None)
        commune = communes[rng.randrange(len(communes))]
        voie = f"{index} {rng.choice(_STREETS)}"  # (a number per lieu: no two share an address)
        postal_code = commune.codes_postaux[0]
        lieu["nom"] = f"{lieu['nom']} – site {index}"
        lieu["adresse"] = {
            "voie": voie,
            "code_postal": postal_code,
            "commune": commune.nom,
            "code_insee": commune.code_insee,
        }
        lieu["bassin"] = commune.bassin
        lieu.pop("coordonnees", None)
        lieu["verifie_le"] = today - dt.timedelta(days=rng.randint(1, 300))
        identifier = f"lieu-{index:06d}"
        (target / "lieux" / f"{identifier}.yaml").write_text(
            yaml.safe_dump(lieu, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
        )
        query = address_text(voie, postal_code, commune.nom)
        lat, lon = _near(commune.lat, commune.lon, rng)
        cache.put(
            Entry(
                cle=cache_key(query, commune.code_insee),
                requete=query,
                lat=lat,
                lon=lon,
                score=round(rng.uniform(0.7, 0.98), 4),
                label=f"{voie} {postal_code} {commune.nom}",
                type="housenumber",
                citycode=commune.code_insee,
                date=today.isoformat(),
                source="synthetique",
            )
        )
    cache.save()


def _near(lat: float, lon: float, rng: random.Random) -> tuple[float, float]:
    """A point within 2 km of the commune's centre (a lieu is placed in its commune: see place_rules)."""
    distance, bearing = rng.uniform(0, 2.0), rng.uniform(0, 2 * math.pi)
    return (
        round(lat + distance / 111.0 * math.cos(bearing), 6),
        round(lon + distance / (111.0 * math.cos(math.radians(lat))) * math.sin(bearing), 6),
    )


def profile(dataset: Dataset) -> dict[str, float]:
    """What a lieu holds on average: the figures a benchmark prints for the real and the synthetic data."""
    lieux = list(dataset.lieux.values())

    def share(test) -> float:
        return round(100 * sum(1 for lieu in lieux if test(lieu)) / len(lieux), 1)

    return {
        "services par lieu": round(statistics.mean(len(l.services) for l in lieux), 2),
        "publics par lieu": round(statistics.mean(len(l.publics) for l in lieux), 2),
        "% avec horaires": share(lambda l: l.horaires),
        "% avec fermetures": share(lambda l: l.fermetures),
        "% avec description": share(lambda l: l.description),
        "caractères de description": round(statistics.mean(len(l.description or "") for l in lieux), 1),
        "% labellisés": share(lambda l: l.label),
        "% avec téléphone": share(lambda l: l.contact.telephone),
        "% accessibles (pmr)": share(lambda l: l.accessibilite.pmr),
    }
