"""Opening hours (OpenStreetMap syntax) turned into what people read: a French weekly table."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ..horaires_tables import Ranges, schedule
from ..text import MOIS

JOURS = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")


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
class Period:
    """Another period of the year than the usual one: « en juillet et août » and its days."""

    mois: str
    jours: tuple[Day, ...]


@dataclass(frozen=True)
class Week:
    jours: tuple[Day, ...]
    """The usual week (the period of the year with the most months)."""
    mois: str | None
    """When the usual week applies (« de septembre à juin »); None: all year."""
    periodes: tuple[Period, ...]
    feries: tuple[tuple[str, str], ...] | None
    """Ranges on public holidays (empty: closed), or None: like any other day."""
    exact: bool
    """False when some days follow rules of their own (a date, week numbers): « renseignez-vous »."""

    @property
    def feries_fermes(self) -> bool:
        return self.feries == ()


def heure_fr(hhmm: str) -> str:
    """``08:30`` -> ``8 h 30``, ``17:00`` -> ``17 h``."""
    hours, minutes = hhmm.split(":")
    return f"{int(hours)} h" + ("" if minutes == "00" else f" {minutes}")


_TIME = re.compile(r"(\d) h(?: (\d\d))?\b")


def unbreakable(text: str) -> str:
    """Times held together on a page: « 13 h 30 » never splits across two lines (no-break spaces)."""
    return _TIME.sub(lambda m: m.group(1) + "\u00a0h" + (f"\u00a0{m.group(2)}" if m.group(2) else ""), text)


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
        text = (
            f"du {day(first, month=not (same_year and first.month == last.month), year=not same_year)} au {day(last)}"
        )
    if hours:
        text += f", de {heure_fr(hours[0])} à {heure_fr(hours[1])}"
    return text


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _days(week: tuple[Ranges, ...]) -> tuple[Day, ...]:
    return tuple(Day(JOURS[i], tuple((_hhmm(o), _hhmm(c)) for o, c in week[i])) for i in range(7))


def months_fr(months: tuple[int, ...]) -> str:
    """(7, 8) -> « en juillet et août »; (6, 7, 8, 9) -> « de juin à septembre »; (11, 12, 1, 2) across the year too."""
    ordered = sorted(months)
    runs: list[list[int]] = []
    for month in ordered:
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    if len(runs) > 1 and runs[0][0] == 1 and runs[-1][-1] == 12:  # December into January
        runs[0] = runs.pop() + runs[0]
    parts = [
        f"de {MOIS[run[0] - 1]} à {MOIS[run[-1] - 1]}" if len(run) >= 3 else " et ".join(MOIS[m - 1] for m in run)
        for run in runs
    ]
    text = ", ".join(parts[:-1]) + " et " + parts[-1] if len(parts) > 1 else parts[0]
    return text if text.startswith("de ") else f"en {text}"


@lru_cache(maxsize=512)
def weekly_table(expression: str, reference: dt.date) -> Week:
    """The usual week, the other periods of the year and the public holidays, from the expression's schedule."""
    plan = schedule(expression, reference)
    feries = None if plan.feries is None else tuple((_hhmm(o), _hhmm(c)) for o, c in plan.feries)
    usual_months = plan.saisons[0][0]
    return Week(
        _days(plan.usual_week()),
        months_fr(usual_months) if len(usual_months) < 12 else None,
        tuple(Period(months_fr(months), _days(week)) for months, week in plan.saisons[1:]),
        feries,
        plan.exact,
    )


def _days_fr(indexes: list[int]) -> str:
    names = [JOURS_MINUSCULES[i] for i in indexes]
    if len(names) >= 3 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"du {names[0]} au {names[-1]}"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]


def days_in_words(jours: tuple[Day, ...]) -> str:
    """« du lundi au vendredi : 9 h – 12 h 30, 13 h 30 – 17 h ; samedi : 9 h – 12 h » (« fermé » when never open)."""
    groups: list[tuple[str, list[int]]] = []
    for index, day in enumerate(jours):
        if not day.plages:
            continue
        same = next((days for texte, days in groups if texte == day.texte), None)
        if same is not None:
            same.append(index)
        else:
            groups.append((day.texte, [index]))
    return " ; ".join(f"{_days_fr(days)} : {texte}" for texte, days in groups) or "fermé"


def hours_in_words(expression: str, reference: dt.date) -> str:
    """The hours in French sentences, as the lieu page shows them: « du lundi au vendredi : 9 h – 12 h 30 ;
    en juillet et août : du lundi au vendredi : 9 h – 12 h ; fermé les jours fériés »."""
    week = weekly_table(expression, reference)
    parts = [days_in_words(week.jours)]
    parts += [f"{period.mois} : {days_in_words(period.jours)}" for period in week.periodes]
    if week.feries is not None:
        parts.append(
            "fermé les jours fériés"
            if not week.feries
            else "les jours fériés : " + ", ".join(f"{heure_fr(a)} – {heure_fr(b)}" for a, b in week.feries)
        )
    if not week.exact:
        parts.append("horaires différents certains jours : renseignez-vous avant de vous déplacer")
    return " ; ".join(parts)
