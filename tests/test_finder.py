"""The finder's rules in Python, and ``spro search`` from the terminal."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import DEMO, ROOT, TODAY
from site_helpers import spro

from build_tools.finder import (
    EXACT,
    FIELD_WEIGHTS,
    NEAR,
    PARIS,
    PREFIX,
    ROW,
    TABLES,
    Query,
    finder_index,
    match_weight,
    open_at,
    passes_filters,
    search_fold,
    word_matches,
    words,
)
from build_tools.geocache import CACHE_FILE_NAME, GeocodeCache
from build_tools.horaires_tables import public_holidays, schedule
from build_tools.loader import load_dataset
from build_tools.places import gazetteer_json
from build_tools.positions import locate
from build_tools.search_rules import within_one_edit


@pytest.fixture(scope="module")
def demo():
    data, _ = load_dataset(DEMO, today=TODAY)
    return data, locate(data, GeocodeCache.load(DEMO / CACHE_FILE_NAME)[0])


def paris(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=PARIS)


def test_fold_and_words():
    assert search_fold("Châtellerault – Cœur d'Œuvre n° 12") == "chatellerault coeur d oeuvre n 12"
    assert words("Mission locale de l'Angoumois") == ["mission", "locale", "angoumois"]
    assert words("Bilan de compétences pour les jeunes") == ["bilan", "competences", "jeunes"]


@pytest.mark.parametrize(
    "word, token, expected",
    [
        ("chatel", "chatellerault", True),  # prefix while typing
        ("chatelerault", "chatellerault", True),  # one letter missing
        ("poitirs", "poitiers", True),  # one letter missing, 7 letters
        ("niorr", "niort", True),  # one substitution, 5 letters
        ("vea", "vae", False),  # short words need the exact prefix
        ("rochele", "rochelle", True),
        ("rochlel", "rochelle", False),  # two edits
        ("valdiation", "validation", True),  # two neighbouring letters swapped
        ("vlaidation", "validation", True),
        ("valdiatoin", "validation", False),  # two swaps
        ("aev", "vae", False),  # short words: no typo at all
    ],
)
def test_word_matching(word, token, expected):
    assert word_matches(word, token) is expected


def test_within_one_edit_counts_a_swap_as_one_edit():
    assert within_one_edit("abcd", "abdc") and within_one_edit("bacd", "abcd")  # Damerau (optimal string alignment)
    assert within_one_edit("abc", "abxc") and within_one_edit("abc", "axc") and within_one_edit("abc", "ab")
    assert not within_one_edit("abcd", "badc") and not within_one_edit("abcd", "acdb")


def test_match_weights_and_field_weights():
    assert (match_weight("niort", "niort"), match_weight("niorr", "niort"), match_weight("nio", "niort")) == (
        EXACT,
        NEAR,
        PREFIX,
    )
    assert match_weight("missions", "mission") == NEAR and match_weight("jeunes", "jeunesse") == PREFIX
    assert match_weight("cep", "cap") == 0
    assert all(isinstance(w, int) and w > 0 for w in FIELD_WEIGHTS.values())
    weaker = ("public", "synonyme_reseau", "synonyme_service", "synonyme_public")
    assert min(FIELD_WEIGHTS["nom"], FIELD_WEIGHTS["reseau"]) > max(FIELD_WEIGHTS[f] for f in weaker)


def test_public_filter_includes_lieux_open_to_everyone(demo):
    data, _ = demo
    everyone = next(l for l in data.lieux.values() if l.publics == ("tous-publics",))
    youth_only = next(l for l in data.lieux.values() if l.publics == ("jeunes",))
    assert passes_filters(everyone, Query(publics=("femmes",)))
    assert passes_filters(youth_only, Query(publics=("jeunes", "femmes")))
    assert not passes_filters(youth_only, Query(publics=("femmes",)))
    assert not passes_filters(youth_only, Query(services=("api",), reseaux=("cio",)))


def test_a_schedule_holds_for_any_date_and_knows_french_holidays():
    plan = schedule("Mo-Fr 09:00-12:30,13:30-17:00; PH off", dt.date(2026, 11, 20))
    assert plan.exact and plan.feries == () and len(plan.saisons) == 1
    assert (
        plan.ranges_on(dt.date(2026, 11, 23)) == ((540, 750), (810, 1020))
        and plan.ranges_on(dt.date(2026, 11, 28)) == ()
    )
    assert plan.ranges_on(dt.date(2026, 12, 25)) == () and plan.ranges_on(dt.date(2027, 1, 1)) == ()
    assert plan.ranges_on(dt.date(2031, 4, 14)) == ()  # Easter Monday 2031, years after the build
    assert plan.ranges_on(dt.date(2031, 4, 15)) == ((540, 750), (810, 1020))
    summer = schedule("Mo-Fr 08:45-12:15,13:45-16:45; Jul,Aug Mo-Fr 09:00-12:00; PH off", dt.date(2026, 11, 20))
    assert [months for months, _ in summer.saisons] == [(1, 2, 3, 4, 5, 6, 9, 10, 11, 12), (7, 8)] and summer.exact
    assert summer.ranges_on(dt.date(2030, 7, 16)) == ((540, 720),)
    assert not schedule("Mo-Fr 09:00-17:00; Dec 24 off", dt.date(2026, 11, 20)).exact  # a date of its own: an exception


def test_public_holidays_are_the_opening_hours_librarys_for_forty_years():
    import opening_hours

    holiday = opening_hours.OpeningHours("PH open", country="FR")
    for year in range(2026, 2066):
        days = [dt.date(year, 1, 1) + dt.timedelta(days=i) for i in range(365)]
        assert {d for d in days if holiday.is_open(dt.datetime.combine(d, dt.time(12)))} == public_holidays(year), year


def test_open_at_with_holidays_and_closures(demo):
    data, _ = demo
    lieu = next(
        l for l in data.lieux.values() if l.horaires == "Mo-Fr 09:00-12:30,13:30-17:00; PH off" and not l.fermetures
    )
    assert open_at(lieu, dt.date(2026, 11, 20), paris("2026-11-24T10:00"))
    assert not open_at(lieu, dt.date(2026, 11, 20), paris("2026-11-24T12:45"))
    assert not open_at(lieu, dt.date(2026, 11, 20), paris("2026-12-25T10:00"))  # Christmas, « PH off »
    assert not open_at(lieu, dt.date(2026, 11, 20), paris("2026-11-28T10:00"))  # Saturday
    closed = next(
        l for l in data.lieux.values() if any(f.du.isoformat() == "2026-11-16" for f in l.fermetures) and l.horaires
    )
    assert not open_at(closed, dt.date(2026, 11, 20), paris("2026-11-24T10:00"))
    usually_open = any(o <= 600 < c for o, c in schedule(closed.horaires, dt.date(2026, 11, 20)).usual_week()[1])
    assert open_at(closed, dt.date(2026, 11, 20), paris("2026-12-01T10:00")) is usually_open  # closure over


def test_index_is_compact_and_complete(demo):
    data, geography = demo
    index = finder_index(data, geography, dt.date(2026, 11, 20))
    assert len(index["lieux"]) == len(data.lieux)
    assert "communes" not in index  # « Près de » loads them on first use (trouver/communes.json)
    assert len(index["horaires"]) == len({l.horaires for l in data.lieux.values() if l.horaires})
    assert index["regles"]["champs"] == FIELD_WEIGHTS  # the browser applies the weights written in finder.py
    vocabulary = index["vocabulaire"]
    assert index["colonnes"] == list(ROW)
    lieu = next(dict(zip(ROW, r)) for r in index["lieux"] if r[0] == "point-information-coeur-de-saintonge")
    assert "coeur" in [vocabulary[t] for t in lieu["noms"]]
    assert ["saintes", "17100"] == [vocabulary[t] for t in lieu["mots_commune"]]
    assert index["colonnes_tables"] == {table: list(names) for table, names in TABLES.items()}
    reseaux = [dict(zip(TABLES["reseaux"], row)) for row in index["reseaux"]]
    reseau = {r["code"]: [vocabulary[t] for t in r["mots"]] for r in reseaux}
    assert {"pole", "emploi", "france", "travail"} <= set(reseau["france-travail"])  # former names
    assert len(index["synonymes"]) == len(data.synonymes) >= 40
    assert len(vocabulary) == len(set(vocabulary))
    assert len(json.dumps(index, separators=(",", ":"))) < 80_000


def test_gazetteer_file_has_every_commune_and_former_name(demo):
    data, _ = demo
    communes = gazetteer_json(data.communes, data.communes_deleguees)
    assert len(communes["insee"]) == len(communes["nom"]) == len(communes["lat"]) == len(data.communes) == 1338
    assert len(communes["anciens"]) == len(data.communes_deleguees)
    poitiers = communes["insee"].index("86194")
    assert (communes["nom"][poitiers], communes["cp"][poitiers], communes["lat"][poitiers]) == (
        "Poitiers",
        "86000",
        4658356,
    )


def search_json(*args):
    result = spro(ROOT, "search", *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_cli_text_search_folds_accents_and_forgives_a_typo():
    communes = {r["commune"] for r in search_json("chatelerault")}
    assert "Châtellerault" in communes
    assert communes <= {
        "Châtellerault",
        "Naintré",
        "Dangé-Saint-Romain",
        "Lencloître",
    }  # the « Bassin de Châtellerault »
    assert [r["id"] for r in search_json("coeur")] == ["point-information-coeur-de-saintonge"]


def test_cli_distance_order_from_a_postal_code_an_insee_code_or_a_name():
    rows = search_json("--service", "vae", "--code-postal", "17000")
    distances = [r["distance_km"] for r in rows]
    assert distances == sorted(distances) and rows[0]["commune"] == "La Rochelle"
    assert all("vae" in r["services"] for r in rows)
    assert search_json("--service", "vae", "--insee", "17300") == rows
    assert search_json("--service", "vae", "--commune", "rochelle") == rows
    assert (
        search_json("--service", "vae", "--commune", "17000") == rows
    )  # older links' code: one commune only, still works


def test_cli_asks_when_five_digits_may_mean_several_communes():
    result = spro(ROOT, "search", "--commune", "17138")
    assert result.returncode == 2
    assert "« 17138 » désigne plusieurs communes : Puilboreau (code INSEE 17291, code postal 17138)" in result.stderr
    assert "Dampierre-sur-Boutonne (code INSEE 17138, code postal 17470)" in result.stderr


def test_cli_ranks_by_relevance_and_suggests_words():
    rows = search_json("pole", "emploi")
    assert rows[0]["reseau"] == "France Travail" and rows[0]["pertinence"] == 2 * 8 * 3
    result = spro(ROOT, "search", "oreintasion")
    assert result.stdout == "Aucun lieu trouvé.\n« oreintasion » : vouliez-vous dire « orientation » ?\n"


def test_cli_open_now_on_a_public_holiday():
    weekday = search_json("--ouvert-maintenant", "--date", "2026-11-24T10:00")
    christmas = search_json("--ouvert-maintenant", "--date", "2026-12-25T10:00")
    assert len(weekday) > 50
    assert christmas == []


def search_text(*args) -> str:
    result = spro(ROOT, "search", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_cli_says_which_option_emptied_the_list_and_which_text_held_no_word():
    assert search_text("apec", "niort", "--ouvert-maintenant", "--date", "2026-12-25T10:00") == (
        "Aucun lieu ne correspond à toutes ces options (1 lieu sans elles) : retirez-en une (--service, --public, "
        "--bassin, --reseau, --modalite, --pmr, --ouvert-maintenant).\n"
    )
    said = search_text("١٢٣٤٥ !!")
    assert said.startswith(
        "« ١٢٣٤٥ !! » : aucun mot à chercher (lettres ou chiffres, hors mots comme « de », « la », « pour ») ; "
        "voici les lieux sans ce critère.\n178 lieux trouvés.\n"
    )


def test_cli_table_and_unknown_codes():
    result = spro(ROOT, "search", "niort", "--reseau", "cio")
    assert result.stdout.startswith(
        "1 lieu trouvé.\n  1. CIO de Niort (Centre d'information et d'orientation (CIO), Niort"
    )
    bad = spro(ROOT, "search", "--reseau", "mision-locale")
    assert bad.returncode == 2
    assert "--reseau : code inconnu « mision-locale ». Vouliez-vous dire « mission-locale » ?" in bad.stderr


def test_the_cli_search_index_writes_no_temporary_file(demo, monkeypatch, tmp_path):
    """Whoosh pooled in $TMPDIR/MAIN.tmp: two searches at once (two people, two test runs) broke each other."""
    import tempfile

    from build_tools.finder import Finder

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "absent"))  # any temporary file would fail here
    data, geography = demo
    results = Finder(data, geography).find(Query("mission locale niort"), paris("2026-11-24T10:00"))
    assert results and not (tmp_path / "absent").exists()
