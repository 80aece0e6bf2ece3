"""Text helpers shared by every stage: comparison keys, identifiers and commune names.

Kept at the bottom of the import graph so that the geocoding cache, the loader and the
generators agree on one rule without importing each other.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata

_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
SEARCH_STOP_WORDS = frozenset(
    """a au aux avec d dans de des du en et l la le les ou par pour sur un une
je j me m moi mon ma mes tu te t toi ton ta tes il elle on nous vous ils elles se s son sa ses qui que qu""".split()
)
"""French words a search ignores (« bilan de compétences » searches « bilan » and « competences »; « je cherche »
does not complete « je » into « Jean »)."""
_SEARCH_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})

# Invisible characters refused in every text: they garble terminals (escape sequences), reverse how
# names display (bidirectional overrides) or hide text (zero-width, tag and filler characters). The class
# holds every control (Cc, tab and line feed aside), format (Cf) and line or paragraph separator (Zl, Zp)
# character of Unicode 15, plus the fillers that display as nothing; tests/ check it against unicodedata.
INVISIBLE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160"
    "\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
UNPRINTABLE = re.compile(f"[\t\n{INVISIBLE_CHARACTERS.pattern[1:-1]}]")
"""The same characters and line breaks and tabs: what a one-line message must not print raw."""


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for comparisons (« Rue  de l'Église » = "rue de l'eglise").
    Kept for the texts seen last: a build folds the same commune and street names tens of thousands of times."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae"))
        text = "".join(c for c in text if not unicodedata.combining(c)).replace("’", "'")
    return " ".join(text.lower().split())


def slug(text: str) -> str:
    """« Saint-Jean-d'Angély » -> ``saint-jean-d-angely`` (lieu ids, post URLs)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def commune_key(name: str) -> str:
    """What two spellings of one commune name share: case, accents, hyphens, apostrophes, dots and
    « St »/« Ste » are forgiven (« ST JEAN D ANGELY » and « Saint-Jean-d'Angély » give one key)."""
    words = re.split(r"[\s'.-]+", fold(name))
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words if word)


def date_fr(day: dt.date) -> str:
    """``2027-01-01`` -> « 1er janvier 2027 »."""
    return f"{day.day}{'er' if day.day == 1 else ''} {MOIS[day.month - 1]} {day.year}"


def search_fold(text: str) -> str:
    """« Châtellerault – Œuvres » -> "chatellerault oeuvres": lower case, no accents, letters and digits
    separated by single spaces. The finder's rule, written the same way in assets/finder-core.js."""
    text = unicodedata.normalize("NFKD", text.translate(_SEARCH_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def search_words(text: str) -> list[str]:
    """The words a search looks for: folded, stop words left out."""
    return [w for w in search_fold(text).split() if w not in SEARCH_STOP_WORDS]


def de(name: str) -> str:
    """« de » before a place name, as French writes it: « d'Angoulême », « du Château-d'Oléron » (Le),
    « des Trois-Moutiers » (Les), « de La Rochelle », « de Niort ». Written the same way in finder-core.js."""
    first, _, rest = name.partition(" ")
    if first == "Le" and rest:
        return f"du {rest}"
    if first == "Les" and rest:
        return f"des {rest}"
    if unicodedata.normalize("NFD", name[:1])[:1].lower() in tuple("aeiouy"):
        return f"d'{name}"
    return f"de {name}"


def distance_fr(km: float) -> str:
    """« à 151 m », « à 2,3 km », « à 22 km »: how far, as the finder's list says it."""

    def half_up(value: float) -> int:  # JavaScript's Math.round (Python's round() goes to even)
        return math.floor(value + 0.5)

    if km < 1:
        return f"à {half_up(km * 1000)} m"
    figure = f"{half_up(km * 10) / 10:.1f}" if km < 10 else str(half_up(km))
    return f"à {figure.replace('.', ',')} km"


def pluriel(count: int, singulier: str, pluriel: str | None = None) -> str:
    """« 1 lieu », « 3 lieux » (``pluriel`` defaults to ``singulier`` + s; 0 and 1 are singular in French)."""
    return f"{count} {singulier if count <= 1 else (pluriel or singulier + 's')}"
