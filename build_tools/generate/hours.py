"""Opening hours (OpenStreetMap syntax) turned into what people read: a French weekly table."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ..horaires_tables import hours_table
from ..text import MOIS

JOURS = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")
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


def _days_fr(indexes: list[int]) -> str:
    names = [JOURS_MINUSCULES[i] for i in indexes]
    if len(names) >= 3 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"du {names[0]} au {names[-1]}"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]


def hours_in_words(expression: str, reference: dt.date) -> str:
    """The usual week in one French sentence, as the lieu page's table shows it:
    « du lundi au vendredi : 9 h – 12 h 30, 13 h 30 – 17 h ; samedi : 9 h – 12 h ; fermé les jours fériés »."""
    week = weekly_table(expression, reference)
    groups: list[tuple[str, list[int]]] = []
    for index, day in enumerate(week.jours):
        if not day.plages:
            continue
        same = next((days for texte, days in groups if texte == day.texte), None)
        if same is not None:
            same.append(index)
        else:
            groups.append((day.texte, [index]))
    parts = [f"{_days_fr(days)} : {texte}" for texte, days in groups]
    if week.feries_fermes:
        parts.append("fermé les jours fériés")
    text = " ; ".join(parts) or "fermé"
    return text + (" (selon la période de l'année)" if week.variable else "")
