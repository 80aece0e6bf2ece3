"""The search ruleset, one for Python and JavaScript: how a word of a query matches a token, what each field of a
lieu weighs. finder.py sends it with the index (``regles``); finder-core.js and ``spro search`` apply the same
numbers, and tests/test_finder_agreement.py checks that they agree."""

from __future__ import annotations

from .text import search_words

EXACT, NEAR, PREFIX = 3, 2, 1
"""Match weights: the word is the token; is one edit away from it; begins it."""
TYPO_MIN_LENGTH = 5
MAX_WORDS = 12
"""Words of a query beyond these are ignored: a pasted page cannot make a keystroke (or spro search) slow."""
MAX_WORD_LENGTH = 40
"""Letters of a word beyond these are ignored (the longest French words have about 25): matching a word of
100,000 letters would take minutes."""
FIELD_WEIGHTS = {
    "nom": 8,  # the lieu's name and its structure's
    "reseau": 8,  # its network's name and former names
    "service": 5,  # its services' names (« Conseil en évolution professionnelle », « CEP »)
    "commune": 5,  # its commune's name and its postal code
    "synonyme_reseau": 4,  # words of data/synonymes.yaml whose entry names its network
    "public": 3,  # its publics' names (« Jeunes de 16 à 25 ans »)
    "synonyme_service": 2,  # ... whose entry names one of its services
    "synonyme_public": 2,  # ... whose entry names one of its publics
    "bassin": 2,  # its basin's name
    "description": 1,  # its services' summaries and descriptions
}
"""Integer weights of the fields: a name or network match is worth more than a public or synonym match."""
SUGGESTIONS = 3


def within_one_edit(a: str, b: str) -> bool:
    """One wrong, missing or extra letter, or two neighbouring letters swapped (or none)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):  # a wrong letter at i, or the letters at i and i + 1 swapped
        swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i]
        return a[i + 1 :] == b[i + 1 :] or (swapped and a[i + 2 :] == b[i + 2 :])
    return a[i:] == b[i + 1 :]  # b has one more letter, at i


def typos_allowed(word: str) -> bool:
    """A wrong letter is forgiven in words of :data:`TYPO_MIN_LENGTH` letters or more, never in numbers
    (79120 is not 79100: a postal code matches exactly or as it is being typed)."""
    return len(word) >= TYPO_MIN_LENGTH and not any(c.isdigit() for c in word)


def query_words(text: str) -> list[str]:
    """The words a query searches: folded, stop words left out, at most :data:`MAX_WORDS`."""
    return [word[:MAX_WORD_LENGTH] for word in search_words(text)[:MAX_WORDS]]


def match_weight(word: str, token: str) -> int:
    """:data:`EXACT`, :data:`NEAR`, :data:`PREFIX` or 0 (no match)."""
    if word == token:
        return EXACT
    if typos_allowed(word) and within_one_edit(word, token):
        return NEAR
    return PREFIX if token.startswith(word) else 0
