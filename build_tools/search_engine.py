"""Word and facet matching for ``spro search``, with Whoosh.

This is the only module that imports Whoosh (unmaintained: see DEVELOPERS.md). Callers hand it
documents (tokens by field, and facet codes) and get back, for each matching document, the
(field, token) pairs each word matched; build_tools/finder.py ranks them. Replacing Whoosh means
rewriting this file only.

Matching follows build_tools/finder.py: a word matches a token it begins (``Prefix``, which
includes the token itself) or, from five letters and never in numbers, a token within one edit: ``FuzzyTerm`` (plain
Levenshtein, no fixed prefix) plus a ``Term`` for each swap of two neighbouring letters, which
Whoosh's automaton does not count as one edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.fields import ID, KEYWORD, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.query import And, Every, FuzzyTerm, Or, Prefix, Term

from .records import TOUS_PUBLICS
from .search_rules import FIELD_WEIGHTS, typos_allowed

TEXT_FIELDS = tuple(FIELD_WEIGHTS)
_SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    services=KEYWORD,
    publics=KEYWORD,
    bassin=ID,
    reseau=ID,
    modalites=KEYWORD,
    pmr=ID,
    **{f"t_{name}": KEYWORD(lowercase=False, scorable=False) for name in TEXT_FIELDS},
)


@dataclass(frozen=True)
class Document:
    id: str
    fields: dict[str, tuple[str, ...]]
    """Text field (a key of finder.FIELD_WEIGHTS) -> folded tokens."""
    services: tuple[str, ...]
    publics: tuple[str, ...]
    bassin: str
    reseau: str
    modalites: tuple[str, ...]
    pmr: bool


def swaps(word: str) -> set[str]:
    """« valdiation » -> {« avldiation », « vladiation », …, « validation », …}: each neighbouring pair swapped."""
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)} - {word}


def _word_query(word: str) -> Or:
    clauses = []
    for name in TEXT_FIELDS:
        field = f"t_{name}"
        clauses.append(Prefix(field, word))
        if typos_allowed(word):
            clauses.append(FuzzyTerm(field, word, maxdist=1, prefixlength=0))
            clauses += [Term(field, swapped) for swapped in sorted(swaps(word))]
    return Or(clauses)


class _MemoryOnly(RamStorage):
    """Whoosh's in-memory storage, whose writer nevertheless pools in a fixed folder of the system's temporary
    directory ($TMPDIR/MAIN.tmp, removed at the end): two ``spro search`` at once removed each other's files."""

    def temp_storage(self, name=None):
        return RamStorage()  # (a test: tests/test_finder.py)


class SearchIndex:
    def __init__(self, documents):
        self._index = _MemoryOnly().create_index(_SCHEMA)
        with self._index.writer() as writer:
            for d in documents:
                writer.add_document(
                    id=d.id,
                    services=" ".join(d.services),
                    publics=" ".join(d.publics),
                    bassin=d.bassin,
                    reseau=d.reseau,
                    modalites=" ".join(d.modalites) or "aucune",
                    pmr="oui" if d.pmr else "non",
                    **{f"t_{name}": " ".join(d.fields.get(name, ())) for name in TEXT_FIELDS},
                )

    def search(
        self, words: list[str], services=(), publics=(), bassins=(), reseaux=(), modalites=(), pmr=False
    ) -> dict[str, list[list[tuple[str, str]]]]:
        """Documents matching every word and the facets: id -> for each word, the (field, token) pairs it matched."""
        facets = []
        for field, values in (
            ("services", services),
            ("bassin", bassins),
            ("reseau", reseaux),
            ("modalites", modalites),
        ):
            if values:
                facets.append(Or([Term(field, v) for v in values]))
        if publics:
            facets.append(Or([Term("publics", p) for p in (*publics, TOUS_PUBLICS)]))
        if pmr:
            facets.append(Term("pmr", "oui"))
        with self._index.searcher() as searcher:
            allowed = set(searcher.docs_for_query(And(facets) if facets else Every()))
            matched: dict[int, list[list[tuple[str, str]]]] = {docnum: [] for docnum in allowed}
            for word in words:
                hits = searcher.search(_word_query(word), limit=None, terms=True, filter=allowed)
                found = {
                    hit.docnum: sorted(
                        (field.removeprefix("t_"), token.decode("utf-8")) for field, token in hit.matched_terms()
                    )
                    for hit in hits
                }
                matched = {docnum: pairs + [found[docnum]] for docnum, pairs in matched.items() if docnum in found}
            return {searcher.stored_fields(docnum)["id"]: pairs for docnum, pairs in matched.items()}
