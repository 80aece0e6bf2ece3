"""Text helpers shared by every stage: comparison keys and identifiers.

Kept at the bottom of the import graph so that the geocoding cache, the loader and the
generators agree on one rule without importing each other.
"""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for comparisons (« Rue  de l'Église » = "rue de l'eglise")."""
    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().replace("’", "'").split())


def slug(text: str) -> str:
    """« Saint-Jean-d'Angély » -> ``saint-jean-d-angely`` (lieu ids, post URLs)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
