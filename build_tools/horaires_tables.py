"""Opening hours (OpenStreetMap syntax) as a schedule that holds for any date: the one place that reads them.

The lieu pages (table, sentence, « ouvert maintenant »), the finder in the browser and ``spro search``
all read these schedules, so they cannot disagree. A schedule is what people understand of opening
hours: a usual week per period of the year (« en juillet et août… »), and what happens on public
holidays. It is *derived* from the expression with the opening-hours library, then *checked* against
the library day by day over two years from the reference date; whatever the model does not explain
(a date-specific rule, week numbers...) is kept as exceptions for those two years, and the schedule
says it is not exact.

Public holidays are computed for any year (:func:`public_holidays`, and the same arithmetic in
``assets/horaires.js``), so a site that has not been rebuilt for a long time still knows that Easter
Monday is closed. Times are minutes from midnight; ranges are ``(open, close)``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import cache

import opening_hours

CHECKED_DAYS = 731
"""How far the model is checked against the library (and exceptions kept): two years and a day."""

Ranges = tuple[tuple[int, int], ...]


def easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm, « Meeus/Jones/Butcher »)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


def public_holidays(year: int) -> frozenset[dt.date]:
    """The French public holidays of a year (metropolitan France, as the opening-hours library's « PH »)."""
    sunday = easter(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    moving = [sunday + dt.timedelta(days=days) for days in (1, 39, 50)]  # Easter Monday, Ascension, Whit Monday
    return frozenset([dt.date(year, month, day) for month, day in fixed] + moving)


def is_public_holiday(day: dt.date) -> bool:
    return day in public_holidays(day.year)


@dataclass(frozen=True)
class Schedule:
    saisons: tuple[tuple[tuple[int, ...], tuple[Ranges, ...]], ...]
    """(months 1-12, the week's 7 days of ranges from Monday), the period with the most months first."""
    feries: Ranges | None
    """Ranges on public holidays (``()``: closed), or None when a public holiday is like any other day."""
    exceptions: tuple[tuple[dt.date, Ranges], ...] = ()
    """Days (within :data:`CHECKED_DAYS` of the reference) that the periods and the holiday rule do not explain."""

    @property
    def exact(self) -> bool:
        return not self.exceptions

    def usual_week(self) -> tuple[Ranges, ...]:
        return self.saisons[0][1]

    def ranges_on(self, day: dt.date) -> Ranges:
        for when, ranges in self.exceptions:
            if when == day:
                return ranges
        return self._model(day)

    def _model(self, day: dt.date) -> Ranges:
        if self.feries is not None and is_public_holiday(day):
            return self.feries
        return next(week for months, week in self.saisons if day.month in months)[day.weekday()]

    def as_json(self, reference: dt.date) -> dict:
        """For the browser (``assets/horaires.js``): exceptions as day offsets from ``reference``."""
        return {
            "saisons": [
                [list(months), [[list(r) for r in ranges] for ranges in week]] for months, week in self.saisons
            ],
            "feries": None if self.feries is None else [list(r) for r in self.feries],
            "x": [[(day - reference).days, [list(r) for r in ranges]] for day, ranges in self.exceptions],
        }


def _minutes(moment: dt.datetime, day_start: dt.datetime) -> int:
    return int((moment - day_start).total_seconds() // 60)


def _library_days(expression: str, reference: dt.date) -> list[Ranges]:
    parsed = opening_hours.OpeningHours(expression, country="FR")
    start = dt.datetime.combine(reference, dt.time())
    per_day: list[list[tuple[int, int]]] = [[] for _ in range(CHECKED_DAYS)]
    for opens, closes, state, _ in parsed.intervals(start, start + dt.timedelta(days=CHECKED_DAYS)):
        if state != opening_hours.State.OPEN:
            continue
        opens, closes = opens.replace(tzinfo=None), closes.replace(tzinfo=None)
        while opens < closes:  # an opening past midnight counts on each day it covers
            offset = (opens.date() - reference).days
            day_start = dt.datetime.combine(opens.date(), dt.time())
            day_end = day_start + dt.timedelta(days=1)
            if 0 <= offset < CHECKED_DAYS:
                per_day[offset].append((_minutes(opens, day_start), _minutes(min(closes, day_end), day_start)))
            opens = day_end
    return [tuple(ranges) for ranges in per_day]


@cache
def schedule(expression: str, reference: dt.date) -> Schedule:
    """The schedule of an expression, derived and checked from ``reference`` (see the module's docstring)."""
    days = _library_days(expression, reference)
    dates = [reference + dt.timedelta(days=i) for i in range(CHECKED_DAYS)]
    usual: dict[tuple[int, int], Counter] = {}
    holidays: Counter = Counter()
    for day, ranges in zip(dates, days):
        if is_public_holiday(day):
            holidays[ranges] += 1
        else:
            usual.setdefault((day.month, day.weekday()), Counter())[ranges] += 1
    weeks = {
        month: tuple(
            usual[(month, weekday)].most_common(1)[0][0] if (month, weekday) in usual else () for weekday in range(7)
        )
        for month in range(1, 13)
    }
    periods: dict[tuple[Ranges, ...], list[int]] = {}
    for month, week in weeks.items():
        periods.setdefault(week, []).append(month)
    saisons = tuple(
        sorted(((tuple(months), week) for week, months in periods.items()), key=lambda s: (-len(s[0]), s[0]))
    )
    model = Schedule(saisons, None)
    like_any_day = all(ranges == model._model(day) for day, ranges in zip(dates, days) if is_public_holiday(day))
    feries = None if like_any_day else holidays.most_common(1)[0][0]
    model = Schedule(saisons, feries)
    exceptions = tuple((day, ranges) for day, ranges in zip(dates, days) if ranges != model._model(day))
    return Schedule(saisons, feries, exceptions)


def ranges_on(expression: str, reference: dt.date, day: dt.date) -> Ranges:
    """The opening ranges of one day (any date: the schedule holds beyond the checked years)."""
    return schedule(expression, reference).ranges_on(day)
