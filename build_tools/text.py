"""Text helpers shared by every stage: comparison keys, identifiers and commune names.

Kept at the bottom of the import graph so that the geocoding cache, the loader and the
generators agree on one rule without importing each other.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre")
SEARCH_STOP_WORDS = frozenset("a au aux avec d dans de des du en et l la le les ou par pour sur un une".split())
"""French words a search ignores (« bilan de compétences » searches « bilan » and « competences »)."""
_SEARCH_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for comparisons (« Rue  de l'Église » = "rue de l'eglise")."""
    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().replace("’", "'").split())


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
