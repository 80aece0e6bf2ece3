"""Opening hours (OpenStreetMap syntax) turned into what people read: a French weekly table."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ..horaires_tables import hours_table

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


JOURS_MINUSCULES = tuple(jour.lower() for jour in JOURS)


def periode_fr(first: dt.date, last: dt.date | None = None, hours: tuple[str, str] | None = None) -> str:
    """« mercredi 10 février 2027, de 14 h à 17 h », « du jeudi 28 au vendredi 29 janvier 2027 »..."""
    last = last or first

    def day(d: dt.date, month: bool = True, year: bool = True) -> str:
        text = f"{JOURS_MINUSCULES[d.weekday()]} {d.day}{'er' if d.day == 1 else ''}"
        return text + (f" {MOIS[d.month - 1]}" if month else "") + (f" {d.year}" if year else "")

    if last == first:
        text = day(first)
    else:
        same_year = first.year == last.year
        text = f"du {day(first, month=not (same_year and first.month == last.month), year=not same_year)} au {day(last)}"
    if hours:
        text += f", de {heure_fr(hours[0])} à {heure_fr(hours[1])}"
    return text


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@lru_cache(maxsize=512)
def weekly_table(expression: str, reference: dt.date) -> Week:
    """The usual week (the day tables' weekly base: holidays and seasons are exceptions)."""
    base = hours_table(expression, reference)["s"]
    days = tuple(Day(JOURS[i], tuple((_hhmm(o), _hhmm(c)) for o, c in base[i])) for i in range(7))
    return Week(days, feries_fermes=bool(re.search(r"\bPH\s+off\b", expression)),
                variable=bool(_SEASONAL.search(expression)))
