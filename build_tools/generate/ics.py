"""The events as an iCalendar feed (RFC 5545), for calendar applications to subscribe to.

Text is escaped (``\\``, ``;``, ``,``, newlines) and long lines are folded at 75 octets
without splitting a UTF-8 character, so partner text cannot add properties or events.
Times are local to Europe/Paris (a VTIMEZONE is included); an event of several days with
hours repeats daily; an event without hours lasts whole days. DTSTAMP is the build date, so
two builds of the same data give the same file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from ..model import Dataset, Evenement
from ..records import TYPES_EVENEMENT

# Europe/Paris since 1996: last Sunday of March 02:00 -> CEST, last Sunday of October 03:00 -> CET.
_PARIS = """BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE""".splitlines()


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545, 3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Content line folded at 75 octets (continuation lines start with a space), CRLF-terminated."""
    pieces, current, size = [], "", 0
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > 75:
            pieces.append(current)
            current, size = " ", 1
        current += character
        size += width
    pieces.append(current)
    return "\r\n".join(pieces) + "\r\n"


def calendar(
    dataset: Dataset,
    events: Iterable[Evenement],
    name: str,
    stamp: dt.date,
    uid_domain: str,
    event_url: Callable[[Evenement], str | None],
    place: Callable[[Evenement], str],
) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SPRO//Annuaire de l'orientation//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Europe/Paris",
        *_PARIS,
    ]
    for event in events:
        lines += _vevent(dataset, event, stamp, uid_domain, event_url(event), place(event))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) for line in lines)


def _vevent(
    dataset: Dataset, event: Evenement, stamp: dt.date, uid_domain: str, url: str | None, place: str
) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{event.id}@{uid_domain}", f"DTSTAMP:{stamp:%Y%m%d}T000000Z"]
    days = (event.dernier_jour - event.date).days + 1
    if event.heures:
        opens, closes = (time.replace(":", "") + "00" for time in event.heures)
        lines += [
            f"DTSTART;TZID=Europe/Paris:{event.date:%Y%m%d}T{opens}",
            f"DTEND;TZID=Europe/Paris:{event.date:%Y%m%d}T{closes}",
        ]
        if days > 1:
            lines.append(f"RRULE:FREQ=DAILY;COUNT={days}")
    else:
        end = event.dernier_jour + dt.timedelta(days=1)  # DTEND of a DATE event is exclusive
        lines += [f"DTSTART;VALUE=DATE:{event.date:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}"]
    lines.append(f"SUMMARY:{escape_text(event.titre)}")
    description = [
        TYPES_EVENEMENT[event.type] + (f" organisé par {event.organisateur}" if event.organisateur else "") + "."
    ]
    description.append("Public : " + ", ".join(dataset.publics[code].nom for code in event.publics) + ".")
    if event.description:
        description.append(event.description)
    if event.lien:
        description.append(f"Inscription et informations : {event.lien}")
    lines.append(f"DESCRIPTION:{escape_text(chr(10).join(description))}")
    lines.append(f"LOCATION:{escape_text(place)}")
    lines.append(f"CATEGORIES:{escape_text(TYPES_EVENEMENT[event.type])}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines
