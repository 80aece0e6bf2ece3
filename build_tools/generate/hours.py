"""Opening hours (OpenStreetMap syntax) turned into what people read: a French weekly table."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import opening_hours

JOURS = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")
MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre")
_SEASONAL = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|week|SH|easter)\b|\d{4}")


@dataclass(frozen=True)
class Day:
    nom: str
    plages: tuple[tuple[str, str], ...]

    @property
    def texte(self) -> str:
        if not self.plages:
            return "Fermé"
        return ", ".join(f"{heure_fr(debut)} – {heure_fr(fin)}" for debut, fin in self.plages)


@dataclass(frozen=True)
class Week:
    jours: tuple[Day, ...]
    feries_fermes: bool
    variable: bool
    """The hours depend on the period of the year; the table shows an ordinary week."""


def heure_fr(hhmm: str) -> str:
    """``08:30`` -> ``8 h 30``, ``17:00`` -> ``17 h``."""
    hours, minutes = hhmm.split(":")
    return f"{int(hours)} h" + ("" if minutes == "00" else f" {minutes}")


def date_fr(day: dt.date) -> str:
    return f"{day.day}{'er' if day.day == 1 else ''} {MOIS[day.month - 1]} {day.year}"


@lru_cache(maxsize=None)
def _holidays() -> opening_hours.OpeningHours:
    return opening_hours.OpeningHours("PH", country="FR")


def is_public_holiday(day: dt.date) -> bool:
    return _holidays().is_open(dt.datetime.combine(day, dt.time(12)))


def ordinary_week(reference: dt.date) -> dt.date:
    """Monday of the first week on or after ``reference`` with no French public holiday."""
    monday = reference - dt.timedelta(days=reference.weekday())
    for _ in range(8):
        if not any(is_public_holiday(monday + dt.timedelta(days=i)) for i in range(7)):
            return monday
        monday += dt.timedelta(days=7)
    return monday


@lru_cache(maxsize=512)
def weekly_table(expression: str, reference: dt.date) -> Week:
    parsed = opening_hours.OpeningHours(expression, country="FR")
    monday = ordinary_week(reference)
    days = []
    for index in range(7):
        start = dt.datetime.combine(monday + dt.timedelta(days=index), dt.time())
        end = start + dt.timedelta(days=1)
        ranges = []
        for opens, closes, state, _comment in parsed.intervals(start, end):
            if state == opening_hours.State.OPEN:
                closes = min(closes, end)
                ranges.append((opens.strftime("%H:%M"), "24:00" if closes == end else closes.strftime("%H:%M")))
        days.append(Day(JOURS[index], tuple(ranges)))
    return Week(tuple(days), feries_fermes=bool(re.search(r"\bPH\s+off\b", expression)),
                variable=bool(_SEASONAL.search(expression)))
