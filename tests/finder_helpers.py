"""The finder outside the browser, for the tests: the index files, the Node runner, and generated queries."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from conftest import ROOT

from build_tools.finder import PARIS, Finder, Query, SearchTables, words
from build_tools.places import gazetteer_json

MOMENT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)  # a Tuesday morning
REFERENCE = dt.date(2026, 11, 21)  # the demo site's build date (SOURCE_DATE_EPOCH in conftest, UTC)
GROUPS = ("service", "public", "bassin", "reseau", "modalite")


# -- search by need: the queries and what must come first -------------------------------

EXPECTED_FIRST = [  # query, what the first result must be (its network, or a service it offers), and why
    ("handicap", "reseau", "cap-emploi"),
    ("pole emploi", "reseau", "france-travail"),  # former name of the network
    ("jeunes", "reseau", "mission-locale"),
    ("jeunes 16 25 ans", "reseau", "mission-locale"),
    ("valdiation des acquis", "service", "vae"),  # two letters swapped
    ("cadre", "reseau", "apec"),
    ("femmes", "reseau", "cidff"),
    ("reconversion", "reseau", ("mon-cep", "transitions-pro")),
    ("reconvertion", "reseau", ("mon-cep", "transitions-pro")),  # one wrong letter
    ("bilan de competences", "reseau", "mon-cep"),  # the CEP operator for people in work, not a network for a few
    ("je cherche du travail", "reseau", "france-travail"),  # « je » is not completed into « Jean »
    ("cma", "reseau", "cma"),  # abbreviations (data/synonymes.yaml)
    ("ml", "reseau", "mission-locale"),
    ("pij", "reseau", "information-jeunesse"),
    ("fongecif", "reseau", "transitions-pro"),
    ("chomage", "reseau", "france-travail"),
    ("creation d'entreprise", "service", "creation-entreprise"),
    ("apprentissage", "reseau", ("cci", "cma", "chambre-agriculture")),
    ("decrocheur", "reseau", ("e2c", "mission-locale")),
    ("vae", "service", "vae"),
]


def first_is(data, identifier: str, what: str, expected) -> bool:
    """The lieu is of the expected network, or offers the expected service."""
    lieu = data.lieux[identifier]
    expected = expected if isinstance(expected, tuple) else (expected,)
    return lieu.reseau in expected if what == "reseau" else bool(set(expected) & set(lieu.services))


def write_index(dataset, geography, folder: Path) -> tuple[Path, Path]:
    """trouver/index.json and trouver/communes.json as the build writes them."""
    from build_tools.finder import finder_index

    index, communes = folder / "index.json", folder / "communes.json"
    index.write_text(json.dumps(finder_index(dataset, geography, REFERENCE), ensure_ascii=False), encoding="utf-8")
    communes.write_text(
        json.dumps(gazetteer_json(dataset.communes, dataset.communes_deleguees), ensure_ascii=False), encoding="utf-8"
    )
    return index, communes


def node(job: dict) -> dict:
    """tests/finder_node.cjs: finder-core.js under Node."""
    result = subprocess.run(
        ["node", str(ROOT / "tests/finder_node.cjs")],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@dataclass(frozen=True)
class FinderQuery:
    """What a person asks: the page's URL parameters, and `spro search`'s options."""

    kind: str
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pmr: bool = False
    ouvert: bool = False
    insee: str | None = None

    def as_json(self) -> dict:
        return {
            "q": self.q,
            **{g: list(self.filters.get(g, ())) for g in GROUPS},
            "pmr": self.pmr,
            "ouvert": self.ouvert,
            "insee": self.insee,
        }

    def url(self) -> str:
        from urllib.parse import urlencode

        params = [("q", self.q)] if self.q else []
        params += [(g, v) for g in GROUPS for v in self.filters.get(g, ())]
        params += [("insee", self.insee)] if self.insee else []
        params += [("pmr", "oui")] if self.pmr else []
        params += [("ouvert", "maintenant")] if self.ouvert else []
        return urlencode(params)

    def python(self, finder: Finder, dataset) -> list:
        query = Query(self.q, *(tuple(self.filters.get(g, ())) for g in GROUPS), self.pmr, self.ouvert)
        origin = None
        if self.insee:
            commune = dataset.communes[self.insee]
            origin = (commune.lat, commune.lon)
        return finder.find(query, MOMENT, origin)


def _typo(rng: random.Random, word: str, how: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    letters = "abcdefghijklmnopqrstuvwxyz"
    if how == "substitution":
        return word[:i] + rng.choice([c for c in letters if c != word[i]]) + word[i + 1 :]
    if how == "deletion":
        return word[:i] + word[i + 1 :]
    if how == "insertion":
        return word[:i] + rng.choice(letters) + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swap


def generated_queries(dataset, seed: int = 13) -> list[FinderQuery]:
    """Several hundred queries drawn from the data: words, prefixes, typos, swaps, synonyms, filters, places."""
    rng = random.Random(seed)
    tables = SearchTables(dataset)
    vocabulary = [t for t in tables.vocabulary() if t.isalpha()]
    long_words = [t for t in vocabulary if len(t) >= 6]
    lieux = list(dataset.lieux.values())
    synonyms = [mot for s in dataset.synonymes.values() for mot in s.mots]
    communes = sorted(dataset.communes)
    queries = [
        FinderQuery("issue", q)
        for q in (
            "handicap",
            "jeunes 16 25 ans",
            "femmes",
            "cadre",
            "pole emploi",
            "reconversion",
            "bilan de competences",
            "valdiation des acquis",
            "jeunes",
            "chomage",
            "fongecif",
            "creation entreprise",
            "apprentissage",
            "vae",
        )
    ]
    queries += [FinderQuery("mot", w) for w in rng.sample(vocabulary, 60)]
    queries += [FinderQuery("début", w[: rng.randint(2, min(5, len(w)))]) for w in rng.sample(vocabulary, 50)]
    for how in ("substitution", "deletion", "insertion", "swap"):
        queries += [FinderQuery(how, _typo(rng, w, how)) for w in rng.sample(long_words, 25)]
    queries += [FinderQuery("synonyme", m) for m in rng.sample(synonyms, 50)]
    queries += [FinderQuery("nom", " ".join(words(l.nom)[: rng.randint(1, 3)])) for l in rng.sample(lieux, 25)]
    for _ in range(40):
        filters = {}
        for group, codes in (
            ("service", list(dataset.services)),
            ("public", list(dataset.publics)),
            ("bassin", list(dataset.bassins)),
            ("reseau", list(dataset.reseaux)),
            ("modalite", ["sur-place", "telephone", "visio", "courriel"]),
        ):
            if rng.random() < 0.35:
                filters[group] = tuple(sorted(rng.sample(codes, rng.randint(1, 2))))
        queries.append(
            FinderQuery(
                "filtres",
                rng.choice(["", "", rng.choice(vocabulary)]),
                filters,
                pmr=rng.random() < 0.2,
                ouvert=rng.random() < 0.25,
            )
        )
    for _ in range(40):
        text = rng.choice(["", "", rng.choice(vocabulary)[:4], rng.choice(synonyms)])
        filters = {"service": (rng.choice(list(dataset.services)),)} if rng.random() < 0.3 else {}
        queries.append(FinderQuery("lieu", text, filters, ouvert=rng.random() < 0.15, insee=rng.choice(communes)))
    return queries
