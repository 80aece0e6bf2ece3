"""« Près de » and search by need, in Python (``spro search``) and in finder-core.js under Node.

Every commune of the gazetteer is found by its name, by each postal code and by « Nom (code postal) »,
through build_tools/places.py (the command line) and through the browser's Gazetteer, and both
answer the same; lieux are sorted from its centre. The issue's queries give the expected first results.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import DEMO, TODAY
from finder_helpers import EXPECTED_FIRST, MOMENT, first_is, node, write_index

from build_tools.cli import search_place
from build_tools.finder import MAX_WORD_LENGTH, MAX_WORDS, Finder, Query, query_words
from build_tools.geo import distance_km
from build_tools.geocache import CACHE_FILE_NAME, GeocodeCache
from build_tools.loader import load_dataset
from build_tools.places import Places, keys_of, place_key


@pytest.fixture(scope="module")
def demo():
    from build_tools.positions import locate

    data, _ = load_dataset(DEMO, today=TODAY)
    return data, locate(data, GeocodeCache.load(DEMO / CACHE_FILE_NAME)[0])


@pytest.fixture(scope="module")
def places(demo):
    return Places(demo[0].communes, demo[0].communes_deleguees)


@pytest.fixture(scope="module")
def index_files(demo, tmp_path_factory):
    return write_index(*demo, tmp_path_factory.mktemp("trouver"))


@pytest.fixture(scope="module")
def finder(demo):
    return Finder(*demo)


def spellings(name: str) -> list[str]:
    """How people write a commune name: lower case without accents, « St » for « Saint », no hyphens or apostrophes."""
    plain = re.sub(r"['’-]", " ", name)
    return [name, name.upper(), place_key(name), re.sub(r"\bSaint\b", "St", plain), re.sub(r"\bSainte\b", "Ste", plain)]


def test_the_issues_communes(places):
    for typed, expected in (
        ("Lezay", "Lezay"),
        ("Chef-Boutonne", "Chef-Boutonne"),
        ("Coulon", "Coulon"),
        ("St Jean d'Angely", "Saint-Jean-d'Angély"),
        ("rochelle", "La Rochelle"),
        ("LA ROCHELLE", "La Rochelle"),
        ("isle jourdain", "L'Isle-Jourdain"),
        ("Ambleville", "Lignières-Ambleville"),
        ("Niort (79000)", "Niort"),
        ("niort 79000", "Niort"),
    ):
        assert [c.nom for c in places.lookup(typed).communes] == [expected], typed
    assert "Lezay" in [c.nom for c in places.lookup("79120").communes]  # a postal code: its communes, to choose from
    assert [c.nom for c in places.lookup("Lezai").closest] == ["Lezay"]  # not recognised: the closest names


def test_five_digits_are_never_guessed(places):
    assert [c.nom for c in places.by_code("17138")] == ["Puilboreau", "Saint-Xandre", "Dampierre-sur-Boutonne"]
    assert places.by_insee("17138").nom == "Dampierre-sur-Boutonne"
    assert "Dampierre-sur-Boutonne" not in [c.nom for c in places.lookup("17138").communes]  # typed: a postal code
    assert [c.nom for c in places.by_postal_code("86100")][0] == "Châtellerault"
    assert "Fontaine-le-Comte" in [c.nom for c in places.by_code("86100")]  # commune=86100: ask
    assert [c.nom for c in places.by_code("86194")] == ["Poitiers"]  # unambiguous: still works


def test_every_commune_by_name_and_postal_code_in_python_and_node(demo, places, index_files):
    data = demo[0]
    texts, wanted = [], []
    for commune in data.communes.values():
        for text in (
            spellings(commune.nom)
            + list(commune.codes_postaux)
            + [f"{commune.nom} ({cp})" for cp in commune.codes_postaux]
        ):
            texts.append(text)
            wanted.append(commune.code_insee)
    answers = node({"communes": str(index_files[1]), "lookups": texts, "codes": sorted(data.communes)})
    for text, code, answer in zip(texts, wanted, answers["lookups"]):
        found = [c.code_insee for c in places.lookup(text).communes]
        assert code in found, text
        assert answer["communes"] == found, text  # same communes, in the same order
        if "(" in text:
            assert len(found) == 1 or all(c.nom == data.communes[code].nom for c in places.lookup(text).communes), text
    assert answers["codes"] == [[c.code_insee for c in places.by_code(code)] for code in sorted(data.communes)]
    homonyms = {c.nom for c in data.communes.values() if len(places.by_name(c.nom)) > 1}
    assert 0 < len(homonyms) < 100  # homonyms exist: the person chooses among them


def test_former_names_and_close_names_agree(demo, places, index_files):
    data = demo[0]
    former = [d.nom for d in data.communes_deleguees.values()]
    typos = [
        name[:2] + name[3] + name[2] + name[4:]
        for name in sorted(c.nom for c in data.communes.values())
        if len(name) > 6
    ][::20]
    answers = node(
        {
            "communes": str(index_files[1]),
            "lookups": former + typos,
            "split": ["cep niort", "Lezay", "79000", "mission locale saint jean d angely", "reconversion"],
        }
    )
    for text, answer in zip(former + typos, answers["lookups"]):
        python = places.lookup(text)
        assert answer == {
            "communes": [c.code_insee for c in python.communes],
            "closest": [c.code_insee for c in python.closest],
        }, text
    for text in former:
        assert any(
            d.commune in [c.code_insee for c in places.lookup(text).communes]
            for d in data.communes_deleguees.values()
            if d.nom == text
        )
    assert sum(1 for text in typos if places.lookup(text).communes or places.lookup(text).closest) > 0.9 * len(typos)
    assert answers["split"] == [
        {"text": "cep", "place": "niort", "communes": ["79191"]},
        {"text": "", "place": "Lezay", "communes": ["79148"]},
        {"text": "", "place": "79000", "communes": [c.code_insee for c in places.by_postal_code("79000")]},
        {"text": "mission locale", "place": "saint jean d angely", "communes": ["17347"]},
        {"text": "reconversion", "place": "", "communes": []},
    ]


def test_keys_forgive_articles_saints_and_punctuation():
    assert keys_of("La Rochelle") == ("la rochelle", "rochelle")
    assert keys_of("L'Isle-Jourdain") == ("l isle jourdain", "isle jourdain")
    assert place_key("ST-JEAN-D'ANGÉLY") == place_key("Saint Jean d Angely") == "saint jean d angely"
    assert keys_of("Lezay") == ("lezay",)


def test_spro_search_finds_every_commune_and_sorts_from_its_centre(demo, finder, places):
    """The command line's path (search_place, then Finder) for all 1,338 communes."""
    data, geography = demo

    class Args:
        insee = code_postal = commune = None

    for commune in data.communes.values():
        by_name, by_postal = Args(), Args()
        by_name.commune = f"{commune.nom} ({commune.codes_postaux[0]})"
        by_postal.code_postal = commune.codes_postaux[0]
        assert search_place(data, by_name, places) == commune, commune
        found = search_place(data, by_postal, places)
        assert found == commune or (isinstance(found, str) and f"code INSEE {commune.code_insee}" in found), found
        results = finder.find(Query(), MOMENT, (commune.lat, commune.lon))
        assert len(results) == len(data.lieux)
        distances = [r.distance_km for r in results]
        assert [round(d * 1000) for d in distances] == sorted(round(d * 1000) for d in distances)  # to the metre
        nearest = min(geography.positions.values(), key=lambda p: distance_km(commune.lat, commune.lon, p.lat, p.lon))
        assert distances[0] == pytest.approx(distance_km(commune.lat, commune.lon, nearest.lat, nearest.lon), abs=0.01)


def test_spro_search_refuses_what_is_ambiguous_or_unknown(demo):
    data = demo[0]

    def place(**options):
        class Args:
            insee = code_postal = commune = None

        args = Args()
        for key, value in options.items():
            setattr(args, key, value)
        return search_place(data, args)

    assert place(insee="17138").nom == "Dampierre-sur-Boutonne"
    assert [c.nom for c in Places(data.communes).by_postal_code("17138")] == ["Puilboreau", "Saint-Xandre"]
    assert "Dampierre" not in place(code_postal="17138")
    ambiguous = place(commune="17138")
    assert (
        ambiguous.startswith("--commune : « 17138 » désigne plusieurs communes : ")
        and "Dampierre-sur-Boutonne (code INSEE 17138" in ambiguous
    )
    assert "Indiquez laquelle avec --insee" in ambiguous
    assert place(commune="86194").nom == "Poitiers"
    assert place(commune="Lezay (79000)").nom == "Lezay"  # a wrong postal code beside a known name: the name decides
    assert place(commune="16000 angouleme").nom == "Angoulême"
    assert place(commune="Bors (16360)").nom == "Bors (Canton de Charente-Sud)"
    assert "« Bors » désigne plusieurs communes : Bors (Canton de Tude-et-Lavalette)" in place(commune="Bors")
    assert (
        place(commune="Lezai") == "--commune : « Lezai » : aucune commune de ce nom ni de ce code en Poitou-Charentes. "
        "Vouliez-vous dire « Lezay » ?"
    )
    assert (
        place(insee="17000") == "--insee : aucune commune en Poitou-Charentes n'a le code INSEE 17000. "
        "17000 est un code postal : --code-postal 17000."
    )
    assert place(code_postal="79148") == (
        "--code-postal : aucune commune en Poitou-Charentes n'a le code postal 79148. "
        "79148 est un code INSEE : --insee 79148."
    )


# -- search by need: the issue's queries --------------------------------------------------------


@pytest.mark.parametrize("text, what, expected", EXPECTED_FIRST, ids=[e[0] for e in EXPECTED_FIRST])
def test_expected_first_result_on_the_command_line(demo, finder, text, what, expected):
    results = finder.find(Query(text), MOMENT)
    assert results and first_is(demo[0], results[0].id, what, expected), [r.id for r in results[:5]]


def test_expected_first_results_in_node(demo, index_files):
    queries = [{"q": text} for text, _, _ in EXPECTED_FIRST]
    answers = node(
        {"index": str(index_files[0]), "communes": str(index_files[1]), "now": MOMENT.isoformat(), "queries": queries}
    )["queries"]
    for (text, what, expected), answer in zip(EXPECTED_FIRST, answers):
        assert answer["ids"] and first_is(demo[0], answer["ids"][0], what, expected), (text, answer["ids"][:5])


def test_jeunes_puts_missions_locales_first_and_still_finds_information_jeunesse(demo, finder):
    results = [demo[0].lieux[r.id].reseau for r in finder.find(Query("jeunes"), MOMENT)]
    missions = results.count("mission-locale")
    assert results[:missions] == ["mission-locale"] * missions  # all of them first
    assert "information-jeunesse" in results


def test_nothing_found_suggests_close_words(demo, finder, index_files):
    assert finder.find(Query("valdation des aquis pour handicpa"), MOMENT)  # typos forgiven: found
    assert finder.find(Query("oreintasion xqzw"), MOMENT) == []
    assert finder.suggestions("oreintasion xqzw") == {"oreintasion": ["orientation"]}  # two edits: suggested
    assert finder.suggestions("rekonversion") == {}  # one edit: found, nothing to suggest
    assert finder.suggestions("relonvresion")["relonvresion"][0] == "reconversion"
    answer = node(
        {
            "index": str(index_files[0]),
            "now": MOMENT.isoformat(),
            "queries": [{"q": "oreintasion xqzw"}, {"q": "relonvresion"}],
        }
    )["queries"]
    assert answer[0]["unknown"] == [["oreintasion", ["orientation"]], ["xqzw", []]]
    assert answer[1]["unknown"][0][1] == finder.suggestions("relonvresion")["relonvresion"]


def test_the_order_is_relevance_then_distance_then_name(demo, finder):
    data = demo[0]
    niort = data.communes["79191"]
    results = finder.find(Query("cep"), MOMENT, (niort.lat, niort.lon))
    keys = [(-r.relevance, round(r.distance_km * 1000)) for r in results]
    assert keys == sorted(keys)
    assert results[0].relevance > results[-1].relevance  # « Mon CEP » (network name) before lieux offering the CEP
    assert data.lieux[results[0].id].reseau == "mon-cep" and data.lieux[results[0].id].adresse.commune == "Niort"


def test_numbers_are_never_corrected_as_typos(demo, finder):
    """A postal code matches exactly or as it is typed: 79120 is not 79100 (Thouars) nor 79130 (Secondigny)."""
    data = demo[0]
    assert {data.lieux[r.id].adresse.code_postal for r in finder.find(Query("79100"), MOMENT)} == {"79100"}
    assert finder.find(Query("79120"), MOMENT) == []
    assert {data.lieux[r.id].adresse.code_postal[:3] for r in finder.find(Query("791"), MOMENT)} == {"791"}


def test_a_word_of_a_hundred_thousand_letters_is_read_as_its_first_letters(finder, index_files):
    """Comparing such a word with every token (one edit allowed) took minutes; its first letters say as much."""
    long, cut = "orientation" * 10_000, ("orientation" * 4)[:MAX_WORD_LENGTH]
    assert query_words(long) == [cut] and finder.find(Query(long), MOMENT) == finder.find(Query(cut), MOMENT)
    answers = node({"index": str(index_files[0]), "now": MOMENT.isoformat(), "queries": [{"q": long}, {"q": cut}]})
    assert answers["queries"][0] == answers["queries"][1]


def test_a_long_pasted_text_searches_its_first_words_only(finder):
    assert finder.find(Query("cep " * 10_000), MOMENT) == finder.find(Query("cep " * MAX_WORDS), MOMENT)
    assert query_words("un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze") == (
        "deux trois quatre cinq six sept huit neuf dix onze douze treize".split()
    )  # (« un » is a stop word)


def test_de_and_distances_are_written_alike_in_python_and_node(demo):
    """The status line and the command line say « d'Angoulême », « du Château-d'Oléron », « à 151 m » the same way."""
    from build_tools.text import de, distance_fr

    names = sorted(c.nom for c in demo[0].communes.values())
    distances = [0.0, 0.1505, 0.9994, 0.9996, 1.0, 1.25, 2.25, 9.94, 9.96, 10.5, 151.5] + [i / 7 for i in range(1, 200)]
    answers = node({"de": names, "distances": distances})
    assert answers["de"] == [de(name) for name in names]
    assert answers["distances"] == [distance_fr(km) for km in distances]
    assert [
        de(n)
        for n in (
            "Angoulême",
            "Le Château-d'Oléron",
            "Les Trois-Moutiers",
            "La Rochelle",
            "Niort",
            "Échiré",
            "L'Isle-Jourdain",
            "Yviers",
        )
    ] == [
        "d'Angoulême",
        "du Château-d'Oléron",
        "des Trois-Moutiers",
        "de La Rochelle",
        "de Niort",
        "d'Échiré",
        "de L'Isle-Jourdain",
        "d'Yviers",
    ]


def test_schedules_and_holidays_agree_in_python_and_javascript_for_years_after_the_build(demo):
    """Every schedule of the demo, and rules of other shapes, on days over six years: the browser (horaires.js)
    answers what the build (horaires_tables.py) answers, public holidays included, years after the build."""
    from build_tools.horaires_tables import public_holidays, schedule

    reference = dt.date(2026, 11, 20)
    expressions = sorted({l.horaires for l in demo[0].lieux.values() if l.horaires}) + [
        "Mo-Fr 09:00-17:00; Dec 24 off",
        "Mo-Su 10:00-12:00; PH 10:00-11:00",
        "22:00-26:00",
        "Sa,Su 09:00-12:00; Jun-Sep off",
    ]
    plans = [schedule(e, reference) for e in expressions]
    days = [reference + dt.timedelta(days=i) for i in range(0, 6 * 366, 3)]
    easter_mondays = [dt.date(2028, 4, 17), dt.date(2029, 4, 2), dt.date(2031, 4, 14)]
    days += easter_mondays
    answers = node(
        {
            "horaires": {
                "reference": reference.isoformat(),
                "schedules": [p.as_json(reference) for p in plans],
                "days": [[d.year, d.month, d.day] for d in days],
                "years": list(range(2026, 2061)),
                "status": [[0, 2028, 4, 17, 600], [0, 2028, 4, 18, 600], [0, 2028, 4, 18, 1030]],
            }
        }
    )
    for expression, plan, ranges in zip(expressions, plans, answers["ranges"]):
        assert ranges == [[list(r) for r in plan.ranges_on(d)] for d in days], expression
    assert answers["holidays"] == [sorted(d.isoformat() for d in public_holidays(y)) for y in range(2026, 2061)]
    usual = plans[0].ranges_on(dt.date(2028, 4, 18))
    assert plans[0].ranges_on(dt.date(2028, 4, 17)) == () and usual  # Easter Monday 2028, a year and a half later
    assert answers["status"][0].startswith("Fermé · ouvre demain à ")
