"""Synthetic valid datasets of any size, for benchmarks and scale tests.

The reference tables, gazetteer, basins and job sheets are copied from a real dataset (the
demo by default), and ``count`` lieux are written across the gazetteer's communes,
deterministically for a given seed. Every generated lieu passes validation.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import yaml

from .gazetteer import COMMUNES_FILE, DELEGUEES_FILE
from .loader import DataLoader
from .model import Commune

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
_HOURS = (
    "Mo-Fr 09:00-12:30,13:30-17:00; PH off",
    "Mo-Th 08:30-12:00,13:30-17:30; Fr 08:30-12:00; PH off",
    "Tu,Th 14:00-17:00; PH off",
    "We 13:30-18:00; Sa 10:00-12:30; PH off",
    None,
)
_MODALITES = (["sur-place"], ["sur-place", "telephone"], ["sur-place", "telephone", "visio"])


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _lieu_yaml(
    index: int,
    rng: random.Random,
    commune: Commune,
    reseau: str,
    services: list[str],
    publics: list[str],
    today: dt.date,
) -> str:
    name = f"Lieu synthétique n° {index} – {commune.nom}"
    lines = [
        f"nom: {_quote(name)}",
        f"reseau: {reseau}",
        "adresse:",
        f"  voie: {_quote(str(index) + ' ' + rng.choice(_STREETS))}",
        f'  code_postal: "{commune.codes_postaux[0]}"',
        f"  commune: {_quote(commune.nom)}",
        f'  code_insee: "{commune.code_insee}"',
        f"bassin: {commune.bassin}",
        "services: [" + ", ".join(rng.sample(services, rng.randint(1, len(services)))) + "]",
        "publics: [" + ", ".join(rng.choice([["tous-publics"], rng.sample(publics, min(2, len(publics)))])) + "]",
        "modalites: [" + ", ".join(rng.choice(_MODALITES)) + "]",
        f"sur_rendez_vous: {'true' if rng.random() < 0.3 else 'false'}",
    ]
    hours = rng.choice(_HOURS)
    if hours:
        lines.append(f"horaires: {_quote(hours)}")
    if rng.random() < 0.1:
        lines += ["fermetures:", "  - du: 2026-12-24", "    au: 2027-01-02", "    motif: Congés de fin d'année"]
    lines += [
        "contact:",
        f"  telephone: 05 36 49 {index // 100 % 100:02d} {index % 100:02d}",
        f"  courriel: lieu{index}@exemple.fr",
        "accessibilite:",
        f"  pmr: {'true' if rng.random() < 0.7 else 'false'}",
    ]
    if rng.random() < 0.5:
        lines += ["label:", "  depuis: 2024-01-15"]
    lines.append(f"verifie_le: {(today - dt.timedelta(days=rng.randint(1, 300))).isoformat()}")
    return "\n".join(lines) + "\n"


def generate(source: Path, target: Path, count: int, seed: int = 2026, today: dt.date | None = None) -> None:
    """Write a dataset of ``count`` lieux into ``target`` (which must not exist yet)."""
    today = today or dt.date.today()
    target.mkdir(parents=True)
    for name in (
        "site.yaml",
        "services.yaml",
        "reseaux.yaml",
        "publics.yaml",
        "synonymes.yaml",
        COMMUNES_FILE,
        DELEGUEES_FILE,
    ):
        if (source / name).exists():
            shutil.copy(source / name, target / name)
    for folder in ("bassins", "metiers"):
        shutil.copytree(source / folder, target / folder)
    (target / "lieux").mkdir()

    services = list(yaml.safe_load((source / "services.yaml").read_text(encoding="utf-8")))
    reseaux = list(yaml.safe_load((source / "reseaux.yaml").read_text(encoding="utf-8")))
    publics = [p for p in yaml.safe_load((source / "publics.yaml").read_text(encoding="utf-8")) if p != "tous-publics"]
    loader = DataLoader(target, today)
    dataset = loader.load()
    if dataset is None or loader.report.errors:
        raise ValueError(f"données de départ invalides : {loader.report.errors[:3]}")
    communes = [c for c in dataset.communes.values() if c.bassin]

    rng = random.Random(seed)
    for index in range(1, count + 1):
        commune = communes[index % len(communes)]
        text = _lieu_yaml(index, rng, commune, rng.choice(reseaux), services, publics, today)
        (target / "lieux" / f"lieu-{index:06d}.yaml").write_text(text, encoding="utf-8")
