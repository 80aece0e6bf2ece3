"""Text and facet matching for ``spro search``, with Whoosh.

This is the only module that imports Whoosh (unmaintained: see DEVELOPERS.md). Callers hand it
documents and get back matching ids; replacing Whoosh means rewriting this file only.
Matching follows build_tools/finder.py: each word is a prefix of a token, or, from five
letters, within one edit of a token (FuzzyTerm, plain Levenshtein, no fixed prefix).
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.fields import ID, KEYWORD, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.query import And, Every, FuzzyTerm, Or, Prefix, Term

_SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    tokens=KEYWORD(lowercase=False, scorable=False),
    services=KEYWORD, publics=KEYWORD, bassin=ID, reseau=ID, modalites=KEYWORD, pmr=ID,
)


@dataclass(frozen=True)
class Document:
    id: str
    tokens: tuple[str, ...]
    services: tuple[str, ...]
    publics: tuple[str, ...]
    bassin: str
    reseau: str
    modalites: tuple[str, ...]
    pmr: bool


class SearchIndex:
    def __init__(self, documents):
        self._index = RamStorage().create_index(_SCHEMA)
        with self._index.writer() as writer:
            for d in documents:
                writer.add_document(
                    id=d.id, tokens=" ".join(d.tokens), services=" ".join(d.services), publics=" ".join(d.publics),
                    bassin=d.bassin, reseau=d.reseau, modalites=" ".join(d.modalites) or "aucune", pmr="oui" if d.pmr else "non",
                )

    def search(self, words: list[str], services=(), publics=(), bassins=(), reseaux=(), modalites=(), pmr=False) -> set[str]:
        clauses = [Or([Prefix("tokens", w), FuzzyTerm("tokens", w, maxdist=1, prefixlength=0)]) if len(w) >= 5
                   else Prefix("tokens", w) for w in words]
        for field, values in (("services", services), ("bassin", bassins), ("reseau", reseaux), ("modalites", modalites)):
            if values:
                clauses.append(Or([Term(field, v) for v in values]))
        if publics:
            clauses.append(Or([Term("publics", p) for p in (*publics, "tous-publics")]))
        if pmr:
            clauses.append(Term("pmr", "oui"))
        query = And(clauses) if clauses else Every()
        with self._index.searcher() as searcher:
            return {hit["id"] for hit in searcher.search(query, limit=None)}
