"""The browser finder (finder-core.js) and ``spro search`` (Whoosh + finder.py) return the same lieux in the
same order, with the same relevance, for several hundred queries generated from the data.

All of them run under Node (fast); all of them again in Chromium through the same script, and a sample
through the page itself (its address, its list); a few through the ``spro search`` command.
"""

from __future__ import annotations

import json
import time
from collections import Counter

import pytest
from conftest import DEMO, ROOT, TODAY
from finder_helpers import MOMENT, generated_queries, node, write_index
from site_helpers import spro

from build_tools.finder import Finder
from build_tools.geocache import CACHE_FILE_NAME, GeocodeCache
from build_tools.loader import load_dataset
from build_tools.positions import locate

CHROMIUM_SAMPLE = 24


@pytest.fixture(scope="module")
def demo():
    data, _ = load_dataset(DEMO, today=TODAY)
    return data, locate(data, GeocodeCache.load(DEMO / CACHE_FILE_NAME)[0])


@pytest.fixture(scope="module")
def queries(demo):
    return generated_queries(demo[0])


@pytest.fixture(scope="module")
def expected(demo, queries):
    """What `spro search` finds for each query: [(id, relevance, km)]."""
    finder = Finder(*demo)
    return [[(r.id, r.relevance, r.distance_km) for r in q.python(finder, demo[0])] for q in queries]


@pytest.fixture(scope="module")
def index_files(demo, tmp_path_factory):
    return write_index(*demo, tmp_path_factory.mktemp("trouver"))


def test_the_generated_queries_cover_every_kind(queries, expected):
    kinds = Counter(q.kind for q in queries)
    assert len(queries) >= 300
    assert set(kinds) == {
        "issue",
        "mot",
        "début",
        "substitution",
        "deletion",
        "insertion",
        "swap",
        "synonyme",
        "nom",
        "filtres",
        "lieu",
    }
    assert all(count >= 14 for count in kinds.values())
    found = sum(1 for results in expected if results)
    assert found > 0.7 * len(queries)  # most queries find something: the suite compares real lists
    assert sum(1 for results in expected if len({r[1] for r in results}) > 1) > 100  # and real rankings


def test_node_and_the_command_line_agree(queries, expected, index_files):
    index, communes = index_files
    started = time.perf_counter()
    answers = node(
        {
            "index": str(index),
            "communes": str(communes),
            "now": MOMENT.isoformat(),
            "queries": [q.as_json() for q in queries],
        }
    )["queries"]
    print(f"{len(queries)} requêtes sous Node en {time.perf_counter() - started:.2f} s")
    for query, wanted, answer in zip(queries, expected, answers):
        assert answer["ids"] == [r[0] for r in wanted], (query, answer["ids"][:10], [r[0] for r in wanted][:10])
        assert answer["relevance"] == [r[1] for r in wanted], query
        assert [None if km is None else round(km, 6) for km in answer["km"]] == [
            None if r[2] is None else round(r[2], 6) for r in wanted
        ], query


def test_a_few_queries_through_the_spro_search_command(queries, expected):
    picked = [i for i, q in enumerate(queries) if q.kind in ("issue", "lieu")][:6]
    for i in picked:
        query = queries[i]
        args = query.q.split()
        for group, option in (
            ("service", "--service"),
            ("public", "--public"),
            ("bassin", "--bassin"),
            ("reseau", "--reseau"),
            ("modalite", "--modalite"),
        ):
            for value in query.filters.get(group, ()):
                args += [option, value]
        args += ["--insee", query.insee] if query.insee else []
        args += ["--pmr"] if query.pmr else []
        args += ["--ouvert-maintenant"] if query.ouvert else []
        result = spro(ROOT, "search", *args, "--date", "2026-11-24T10:00", "--format", "json")
        assert result.returncode == 0, result.stderr
        assert [row["id"] for row in json.loads(result.stdout)] == [r[0] for r in expected[i]], query


def test_chromium_runs_the_same_script_to_the_same_results(page_in, server, queries, expected):
    page_in.goto(server.url + "trouver/", wait_until="load")
    page_in.locator("#spro-statut").filter(has_text="trouvé").wait_for()
    answers = page_in.evaluate(
        """([queries, now]) => fetch('communes.json').then(r => r.json()).then(data => {
        const core = window.SproFinderCore, finder = window.sproFinder.instance, gazetteer = new core.Gazetteer(data);
        return queries.map(q => {
            const place = q.insee ? gazetteer.byInsee(q.insee) : null;
            const selection = {text: q.q, pmr: q.pmr, ouvert: q.ouvert, now: new Date(now),
                               origin: place ? [place.lat, place.lon] : null};
            for (const group of ['service', 'public', 'bassin', 'reseau', 'modalite']) selection[group] = new Set(q[group]);
            return finder.search(selection).results.map(r => r.lieu.id);
        });
    })""",
        [[q.as_json() for q in queries], MOMENT.isoformat()],
    )
    for query, wanted, answer in zip(queries, expected, answers):
        assert answer == [r[0] for r in wanted], query


def test_a_sample_through_the_page_itself(page_in, server, queries, expected):
    """The page's own path: address -> form -> list (the whole list, « Afficher plus » included)."""
    page_in.clock.set_fixed_time(MOMENT)
    step = len(queries) // CHROMIUM_SAMPLE
    for i in range(0, step * CHROMIUM_SAMPLE, step):
        query = queries[i]
        page_in.goto(server.url + "trouver/?" + query.url(), wait_until="load")
        page_in.locator("#spro-statut").filter(has_text="trouvé").wait_for()
        while page_in.locator("#spro-plus").is_visible():
            page_in.locator("#spro-plus").click()
        shown = page_in.locator("#spro-resultats > li").evaluate_all("items => items.map(i => i.dataset.lieuId)")
        assert shown == [r[0] for r in expected[i]], query
