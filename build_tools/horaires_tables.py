"""Opening hours (OpenStreetMap syntax) expanded into day tables, the one place that does it.

The lieu pages' weekly table, the finder's « ouvert maintenant » and « aujourd'hui », and
``spro search`` all read these tables, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import lru_cache

import opening_hours

HORIZON_DAYS = 400


def _minutes(moment: dt.datetime, day_start: dt.datetime) -> int:
    return int((moment - day_start).total_seconds() // 60)


@lru_cache(maxsize=None)
def hours_table(expression: str, reference: dt.date) -> dict:
    """{"s": weekly base (7 lists of [open, close] minutes), "x": [[day offset, ranges], ...]}.

    Days are counted from ``reference``; exceptions are the days (public holidays, seasons)
    whose opening differs from the usual one for that weekday.
    """
    parsed = opening_hours.OpeningHours(expression, country="FR")
    start = dt.datetime.combine(reference, dt.time())
    end = start + dt.timedelta(days=HORIZON_DAYS)
    per_day: dict[int, list] = {i: [] for i in range(HORIZON_DAYS)}
    for opens, closes, state, _ in parsed.intervals(start, end):
        if state != opening_hours.State.OPEN:
            continue
        opens, closes = opens.replace(tzinfo=None), closes.replace(tzinfo=None)
        while opens < closes:
            offset = (opens.date() - reference).days
            day_start = dt.datetime.combine(opens.date(), dt.time())
            day_end = day_start + dt.timedelta(days=1)
            if 0 <= offset < HORIZON_DAYS:
                per_day[offset].append([_minutes(opens, day_start), _minutes(min(closes, day_end), day_start)])
            opens = day_end
    days = [tuple(tuple(r) for r in per_day[i]) for i in range(HORIZON_DAYS)]
    base = []
    for weekday in range(7):
        same_weekday = [days[i] for i in range(HORIZON_DAYS) if (reference + dt.timedelta(days=i)).weekday() == weekday]
        base.append(Counter(same_weekday).most_common(1)[0][0] if same_weekday else ())
    exceptions = [[i, [list(r) for r in days[i]]] for i in range(HORIZON_DAYS)
                  if days[i] != base[(reference + dt.timedelta(days=i)).weekday()]]
    return {"s": [[list(r) for r in ranges] for ranges in base], "x": exceptions}


def ranges_on(table: dict, reference: dt.date, day: dt.date) -> list[list[int]]:
    offset = (day - reference).days
    for exception_day, ranges in table["x"]:
        if exception_day == offset:
            return ranges
    return table["s"][day.weekday()]
