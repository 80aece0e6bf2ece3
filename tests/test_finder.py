"""The finder's rules in Python, and ``spro search`` from the terminal."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from build_tools.finder import (
    PARIS, Query, finder_index, fold, hours_table, open_at, passes_filters, within_one_edit, word_matches, words,
)
from build_tools.geocache import CACHE_FILE_NAME, GeocodeCache
from build_tools.loader import load_dataset
from build_tools.positions import locate
from conftest import DEMO, ROOT, TODAY


@pytest.fixture(scope="module")
def demo():
    data, _ = load_dataset(DEMO, today=TODAY)
    return data, locate(data, GeocodeCache.load(DEMO / CACHE_FILE_NAME)[0])


def paris(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=PARIS)


def test_fold_and_words():
    assert fold("Châtellerault – Cœur d'Œuvre n° 12") == "chatellerault coeur d oeuvre n 12"
    assert words("Mission locale de l'Angoumois") == ["mission", "locale", "angoumois"]


@pytest.mark.parametrize("word, token, expected", [
    ("chatel", "chatellerault", True),      # prefix while typing
    ("chatelerault", "chatellerault", True),  # one letter missing
    ("poitirs", "poitiers", True),          # one letter missing, 7 letters
    ("niorr", "niort", True),               # one substitution, 5 letters
    ("vea", "vae", False),                  # short words need the exact prefix
    ("rochele", "rochelle", True),
    ("rochlel", "rochelle", False),         # two edits
])
def test_word_matching(word, token, expected):
    assert word_matches(word, token) is expected


def test_within_one_edit_is_plain_levenshtein():
    assert within_one_edit("abcd", "abdc") is False  # a transposition is two edits, as in Whoosh
    assert within_one_edit("abc", "abxc") and within_one_edit("abc", "axc") and within_one_edit("abc", "ab")


def test_public_filter_includes_lieux_open_to_everyone(demo):
    data, _ = demo
    everyone = next(l for l in data.lieux.values() if l.publics == ("tous-publics",))
    youth_only = next(l for l in data.lieux.values() if l.publics == ("jeunes",))
    assert passes_filters(everyone, Query(publics=("femmes",)))
    assert passes_filters(youth_only, Query(publics=("jeunes", "femmes")))
    assert not passes_filters(youth_only, Query(publics=("femmes",)))
    assert not passes_filters(youth_only, Query(services=("api",), reseaux=("cio",)))


def test_opening_hours_tables_know_french_holidays():
    table = hours_table("Mo-Fr 09:00-12:30,13:30-17:00; PH off", dt.date(2026, 11, 20))
    assert table["s"][0] == [[540, 750], [810, 1020]] and table["s"][5] == []
    assert [35, []] in table["x"]  # 25 December 2026
    assert [42, []] in table["x"]  # 1 January 2027


def test_open_at_with_holidays_and_closures(demo):
    data, _ = demo
    lieu = next(l for l in data.lieux.values() if l.horaires == "Mo-Fr 09:00-12:30,13:30-17:00; PH off" and not l.fermetures)
    assert open_at(lieu, dt.date(2026, 11, 20), paris("2026-11-24T10:00"))
    assert not open_at(lieu, dt.date(2026, 11, 20), paris("2026-11-24T12:45"))
    assert not open_at(lieu, dt.date(2026, 11, 20), paris("2026-12-25T10:00"))  # Christmas, « PH off »
    assert not open_at(lieu, dt.date(2026, 11, 20), paris("2026-11-28T10:00"))  # Saturday
    closed = next(l for l in data.lieux.values() if any(f.du.isoformat() == "2026-11-16" for f in l.fermetures) and l.horaires)
    assert not open_at(closed, dt.date(2026, 11, 20), paris("2026-11-24T10:00"))
    usually_open = any(o <= 600 < c for o, c in hours_table(closed.horaires, dt.date(2026, 11, 20))["s"][1])
    assert open_at(closed, dt.date(2026, 11, 20), paris("2026-12-01T10:00")) is usually_open  # closure over


def test_index_is_compact_and_complete(demo):
    data, geography = demo
    index = finder_index(data, geography, dt.date(2026, 11, 20))
    assert len(index["lieux"]) == len(data.lieux)
    assert len(index["communes"]) == len(data.communes) == 1338  # every commune of the gazetteer, for « Près de »
    assert len(index["horaires"]) == len({l.horaires for l in data.lieux.values() if l.horaires})
    row = next(r for r in index["lieux"] if r[0] == "point-information-coeur-de-saintonge")
    assert "coeur" in [index["vocabulaire"][t] for t in row[14]]
    communes = len(json.dumps(index["communes"], separators=(",", ":")))
    assert len(json.dumps(index, separators=(",", ":"))) - communes < 80_000  # the lieux part, as before the gazetteer
    assert communes < 70 * len(index["communes"])  # one compact row a commune


def spro(*args):
    result = subprocess.run([sys.executable, "-m", "build_tools.cli", "search", *args, "--format", "json"], cwd=ROOT,
                            capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_cli_text_search_folds_accents_and_forgives_a_typo():
    communes = {r["commune"] for r in spro("chatelerault")}
    assert "Châtellerault" in communes
    assert communes <= {"Châtellerault", "Naintré", "Dangé-Saint-Romain", "Lencloître"}  # the « Bassin de Châtellerault »
    assert [r["id"] for r in spro("coeur")] == ["point-information-coeur-de-saintonge"]


def test_cli_distance_order_from_a_postal_code():
    rows = spro("--service", "vae", "--commune", "17000")
    distances = [r["distance_km"] for r in rows]
    assert distances == sorted(distances) and rows[0]["commune"] == "La Rochelle"
    assert all("vae" in r["services"] for r in rows)


def test_cli_open_now_on_a_public_holiday():
    weekday = spro("--ouvert-maintenant", "--date", "2026-11-24T10:00")
    christmas = spro("--ouvert-maintenant", "--date", "2026-12-25T10:00")
    assert len(weekday) > 50
    assert christmas == []


def test_cli_table_and_unknown_codes():
    result = subprocess.run([sys.executable, "-m", "build_tools.cli", "search", "niort", "--reseau", "cio"], cwd=ROOT,
                            capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.stdout.startswith("1 lieu trouvé.\n  1. CIO de Niort (Centre d'information et d'orientation (CIO), Niort")
    bad = subprocess.run([sys.executable, "-m", "build_tools.cli", "search", "--reseau", "mision-locale"], cwd=ROOT,
                         capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert bad.returncode == 2
    assert "--reseau : code inconnu « mision-locale ». Vouliez-vous dire « mission-locale » ?" in bad.stderr
