"""Geocoding through the real geopy code path against a local BAN-like server."""

from __future__ import annotations

import json
import re
import signal
import subprocess

import pytest
from conftest import DEMO, ROOT, SPRO_AS_IN_A_TERMINAL, VALID_LIEU
from fake_ban import FakeBan, FakeClock, Reply, collection, feature

from build_tools.geocache import CACHE_FILE_NAME, GeocodeCache
from build_tools.geocoder import Geocoder, Politeness, endpoint, geocode_missing
from build_tools.positions import address_query, locate, requests_for

QUERY = "12 rue de la Marne, 86000 Poitiers"
# The timeout only ever expires on a server that never answers (Reply.hang): a busy machine never reaches it.
FAST = Politeness(requests_per_second=1000, first_backoff=0.01, timeout=10, total_budget=600)


SIEGE = "1 rue Pasteur, 86000 Poitiers"


@pytest.fixture
def lieu_dataset(dataset):
    """Two lieux: « antenne » to geocode, and « siege » whose address the cache already holds (from the demo)."""
    dataset.write("lieux/antenne.yaml", VALID_LIEU)
    dataset.write("lieux/siege.yaml", VALID_LIEU.replace("12 rue de la Marne", SIEGE.split(",")[0]))
    demo_cache, _ = GeocodeCache.load(DEMO / CACHE_FILE_NAME)
    known = [e for e in demo_cache.entries.values() if e.requete == SIEGE]
    GeocodeCache(dataset.root / CACHE_FILE_NAME, {e.cle: e for e in known}).save()
    return dataset


def run(dataset, ban: FakeBan, politeness: Politeness = FAST, clock: FakeClock | None = None):
    """geocode_missing() through geopy against ``ban``; on ``clock``'s time when given (it then never sleeps)."""
    data, report = dataset.load()
    assert not report.errors
    cache, problems = GeocodeCache.load(dataset.root / CACHE_FILE_NAME)
    assert problems == []
    geocoder = Geocoder(ban.url, politeness, **({"clock": clock, "sleep": clock.sleep} if clock else {}))
    result = geocode_missing(data, cache, geocoder)
    reloaded, problems = GeocodeCache.load(dataset.root / CACHE_FILE_NAME)
    assert problems == []
    return data, reloaded, result


def test_success_is_cached_with_everything_needed(lieu_dataset):
    with FakeBan() as ban:
        ban.script(
            QUERY, Reply.json(collection(feature(46.5811, 0.3372, "12 Rue de la Marne 86000 Poitiers", "86194", 0.93)))
        )
        data, cache, result = run(lieu_dataset, ban)
    assert result.failures == [] and len(result.geocoded) == 1
    (entry,) = [e for e in cache.entries.values() if e.requete == QUERY]
    assert (entry.lat, entry.lon, entry.score, entry.type, entry.citycode) == (
        46.5811,
        0.3372,
        0.93,
        "housenumber",
        "86194",
    )
    assert entry.label == "12 Rue de la Marne 86000 Poitiers"
    assert entry.source == ban.url.removeprefix("http://") and entry.date
    position = locate(data, cache).positions["antenne"]
    assert (position.lat, position.lon, position.approximatif, position.origine) == (
        46.5811,
        0.3372,
        False,
        "géocodage",
    )


def test_no_result(lieu_dataset):
    with FakeBan() as ban:
        data, cache, result = run(lieu_dataset, ban)
    (failure,) = result.failures
    assert failure.reason.startswith("aucun résultat")
    assert failure.request.used_by == "lieux/antenne.yaml"
    # The site still places the lieu, at its commune, flagged approximate.
    position = locate(data, cache).positions["antenne"]
    assert position.origine == "commune" and position.approximatif


def test_result_in_another_commune_is_rejected(lieu_dataset):
    with FakeBan() as ban:
        ban.script(QUERY, Reply.json(collection(feature(46.3, -0.46, "12 Rue de la Marne 79000 Niort", "79191", 0.95))))
        _, cache, result = run(lieu_dataset, ban)
    (failure,) = result.failures
    assert (
        "« 12 Rue de la Marne 79000 Niort » est dans une autre commune (code INSEE 79191 au lieu de 86194)"
        in failure.reason
    )
    assert all(e.requete != QUERY for e in cache.entries.values())


def test_matching_commune_is_preferred_over_a_better_scored_one(lieu_dataset):
    with FakeBan() as ban:
        ban.script(
            QUERY,
            Reply.json(
                collection(
                    feature(46.3, -0.46, "Niort", "79191", 0.97), feature(46.58, 0.33, "Poitiers", "86194", 0.81)
                )
            ),
        )
        _, cache, result = run(lieu_dataset, ban)
    assert result.failures == []
    assert [e.citycode for e in cache.entries.values() if e.requete == QUERY] == ["86194"]


@pytest.mark.parametrize("score, kind", [(0.45, "housenumber"), (0.9, "street"), (0.9, "municipality")])
def test_low_score_or_coarse_result_is_kept_but_approximate(lieu_dataset, score, kind):
    with FakeBan() as ban:
        ban.script(
            QUERY, Reply.json(collection(feature(46.58, 0.34, "Rue de la Marne 86000 Poitiers", "86194", score, kind)))
        )
        data, cache, result = run(lieu_dataset, ban)
    assert result.failures == []
    geography = locate(data, cache)
    assert geography.approximate == ["antenne"]
    assert geography.positions["antenne"].origine == "géocodage"


def test_429_then_success_is_retried(lieu_dataset):
    with FakeBan() as ban:
        ban.script(QUERY, Reply.error(429), Reply.json(collection(feature(46.58, 0.34, "x 86000 Poitiers", "86194"))))
        _, _, result = run(lieu_dataset, ban)
        assert ban.count(QUERY) == 2
    assert result.failures == [] and len(result.geocoded) == 1


@pytest.mark.parametrize("retry_after", ["3600", "Fri, 31 Dec 2099 23:59:59 GMT"])
def test_a_retry_after_beyond_the_time_budget_ends_at_once(lieu_dataset, retry_after):
    """The geocoder asks to come back in an hour (or in 2099): --duree-max holds, nothing sleeps past it."""
    clock = FakeClock()
    with FakeBan(clock=clock) as ban:
        ban.script(QUERY, Reply.error(429, retry_after))
        _, _, result = run(lieu_dataset, ban, Politeness(total_budget=20.0), clock)
        assert ban.count(QUERY) == 1
    (failure,) = result.failures
    assert re.fullmatch(
        r"trop de requêtes \(HTTP 429\) : le géocodeur demande d'attendre \d+ s, au-delà du temps "
        r"maximal \(reste 20 s\) ; relancez plus tard",
        failure.reason,
    ), failure.reason
    assert clock.now < 20


def test_our_own_backoff_is_not_told_as_the_services_request(lieu_dataset):
    clock = FakeClock()
    with FakeBan(clock=clock) as ban:
        ban.script(QUERY, Reply.error(500))
        _, _, result = run(lieu_dataset, ban, Politeness(total_budget=2.0, first_backoff=5.0), clock)
    (failure,) = result.failures
    assert failure.reason == (
        "erreur du service (HTTP 500) : nouvel essai dans 5 s, au-delà du temps maximal (reste 2 s) ; relancez plus tard"
    )


@pytest.mark.parametrize(
    "reply, reason, attempts",
    [
        (Reply.error(500), "erreur du service (HTTP 500), après 4 tentatives", 4),
        (Reply.error(503), "délai dépassé ou service indisponible", 4),
        (Reply.hang(), "délai dépassé ou service indisponible", 4),
        (Reply.garbage(), "réponse illisible du géocodeur", 1),
        (Reply.json({"features": [{"geometry": None}]}), "réponse illisible du géocodeur", 1),
        (Reply.html(502), "erreur du service (HTTP 502), après 4 tentatives", 4),
        (Reply.close(), "erreur du service (connexion fermée par le service sans réponse)", 4),
        (Reply("raw", 200, b"[" * 100_000), "réponse illisible du géocodeur", 1),
        (Reply("raw", 200, b" " * (3 * 2**20)), "erreur du service (réponse de plus de 2 Mio)", 4),
    ],
    ids=[
        "500",
        "503",
        "timeout",
        "garbage-json",
        "not-geocodejson",
        "html-502",
        "closed-connection",
        "deep-json",
        "huge-answer",
    ],
)
def test_faults_end_in_a_clean_failure(lieu_dataset, reply, reason, attempts):
    with FakeBan() as ban:
        ban.script(QUERY, reply)
        timeout = 0.3 if reply.kind == "hang" else 10  # short only where no answer ever comes
        _, cache, result = run(
            lieu_dataset, ban, Politeness(requests_per_second=1000, first_backoff=0.01, timeout=timeout)
        )
        assert ban.count(QUERY) == attempts
    (failure,) = result.failures
    assert reason in failure.reason
    assert [e.requete for e in cache.entries.values()] == [SIEGE]  # what was cached is still there


def test_cache_hit_means_zero_requests(lieu_dataset):
    with FakeBan(lambda q: Reply.json(collection(feature(46.58, 0.34, "x 86000 Poitiers", "86194")))) as ban:
        run(lieu_dataset, ban)
        first = ban.count()
        run(lieu_dataset, ban)
        assert (first, ban.count()) == (1, 1)


def test_manual_coordinates_win_and_are_never_geocoded(lieu_dataset):
    lieu_dataset.write("lieux/antenne.yaml", VALID_LIEU + "coordonnees:\n  lat: 46.5\n  lon: 0.3\n")
    with FakeBan() as ban:
        data, cache, result = run(lieu_dataset, ban)
        assert ban.count() == 0
    position = locate(data, cache).positions["antenne"]
    assert (position.lat, position.lon, position.origine, position.approximatif) == (46.5, 0.3, "manuelle", False)


def test_changing_an_address_invalidates_its_entry(lieu_dataset):
    answer = Reply.json(collection(feature(46.58, 0.34, "x 86000 Poitiers", "86194")))
    with FakeBan(lambda q: answer) as ban:
        run(lieu_dataset, ban)
        lieu_dataset.write("lieux/antenne.yaml", VALID_LIEU.replace("12 rue de la Marne", "14 rue de la Marne"))
        _, cache, result = run(lieu_dataset, ban)
        assert ban.count("14 rue de la Marne, 86000 Poitiers") == 1
    assert sorted(e.requete for e in cache.entries.values()) == sorted(["14 rue de la Marne, 86000 Poitiers", SIEGE])
    assert result.dropped == 1


def test_communes_are_never_geocoded_their_centres_come_from_the_gazetteer(dataset):
    dataset.write("lieux/antenne.yaml", VALID_LIEU)
    with FakeBan() as ban:  # no result for anything
        data, cache, result = run(dataset, ban)
        assert ban.count() == 1 and ban.count(QUERY) == 1  # the lieu's address, and nothing else
    geography = locate(data, cache)
    assert set(geography.communes) == set(data.communes) and len(geography.communes) == 1338
    poitiers = data.communes["86194"]
    assert (geography.communes["86194"].lat, geography.communes["86194"].lon) == (poitiers.lat, poitiers.lon)
    position = geography.positions["antenne"]  # not geocoded: at its commune's centre, flagged approximate
    assert (position.lat, position.lon, position.origine, position.approximatif) == (
        poitiers.lat,
        poitiers.lon,
        "commune",
        True,
    )


def _lieux(dataset, count: int) -> None:
    for number in range(count):
        dataset.write(f"lieux/l{number}.yaml", VALID_LIEU.replace("12 rue", f"{100 + number} rue"))


def test_requests_are_spaced_at_most_40_per_second(dataset):
    """On a fake clock: the spacing is the geocoder's decision, not the scheduler's."""
    _lieux(dataset, 60)
    clock = FakeClock()
    with FakeBan(lambda q: Reply.json(collection()), clock=clock) as ban:
        run(dataset, ban, Politeness(requests_per_second=40, first_backoff=0.01, timeout=5), clock)
        times = [t for _, t in ban.received]  # stamped by the server on the same clock
    assert len(times) == 60
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) == pytest.approx(1 / 40) and max(gaps) == pytest.approx(1 / 40)  # as fast as allowed, no faster
    # Counted on the server side: no window of one second receives more than 40 requests.
    assert max(sum(1 for u in times if t <= u < t + 1 - 1e-9) for t in times) == 40


def test_backoff_doubles_between_attempts(lieu_dataset):
    clock = FakeClock()
    with FakeBan(clock=clock) as ban:
        ban.script(QUERY, Reply.error(503))
        _, _, result = run(lieu_dataset, ban, Politeness(requests_per_second=40, first_backoff=0.5, timeout=5), clock)
        assert ban.count(QUERY) == 4
    assert clock.sleeps == [0.5, 1.0, 2.0]
    assert "après 4 tentatives" in result.failures[0].reason


def test_total_time_is_bounded(dataset):
    _lieux(dataset, 100)
    clock = FakeClock()
    with FakeBan(lambda q: Reply.slow(0.2), clock=clock) as ban:  # each answer takes 0.2 s of the clock
        _, _, result = run(
            dataset, ban, Politeness(requests_per_second=1000, first_backoff=0.01, timeout=5, total_budget=0.5), clock
        )
        assert ban.count() == 3  # sent at 0, 0.2 and 0.4 s; at 0.6 s the budget is spent
    assert clock() == pytest.approx(0.6)
    assert sum("temps maximal de géocodage dépassé" in f.reason for f in result.failures) == 97


def test_an_interrupted_run_saves_what_it_found_and_loses_nothing(lieu_dataset, monkeypatch):
    for number in range(5):
        lieu_dataset.write(f"lieux/l{number}.yaml", VALID_LIEU.replace("12 rue", f"{20 + number} rue"))
    before = GeocodeCache.load(lieu_dataset.root / CACHE_FILE_NAME)[0].entries
    calls = []
    original = Geocoder.lookup

    def interrupted(self, request):
        calls.append(request)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return original(self, request)

    monkeypatch.setattr(Geocoder, "lookup", interrupted)
    with FakeBan(lambda q: Reply.json(collection(feature(46.58, 0.34, "x 86000 Poitiers", "86194")))) as ban:
        with pytest.raises(KeyboardInterrupt):
            run(lieu_dataset, ban)
    after, problems = GeocodeCache.load(lieu_dataset.root / CACHE_FILE_NAME)
    assert problems == []
    assert before.items() <= after.entries.items()
    assert len(after.entries) == len(before) + 3


def spro(*args, dataset, env_url: str | None = None):
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    if env_url:
        env["SPRO_GEOCODER_URL"] = env_url
    return subprocess.Popen(
        [*SPRO_AS_IN_A_TERMINAL, "--data", str(dataset.root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_cli_uses_the_environment_url_and_reports_failures(lieu_dataset):
    lieu_dataset.write("lieux/autre.yaml", VALID_LIEU.replace("12 rue", "99 rue"))
    with FakeBan() as ban:
        ban.script(
            QUERY, Reply.json(collection(feature(46.58, 0.34, "12 Rue de la Marne 86000 Poitiers", "86194", 0.5)))
        )
        process = spro("geocode", dataset=lieu_dataset, env_url=ban.url)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 1, err
    assert "Géocodage : 3 adresses nécessaires, 1 en cache, 2 à géocoder." in out
    assert "Géocodées : 1 ; échecs : 1 ; 2 requêtes vers 127.0.0.1:" in out
    assert "échec : data/lieux/autre.yaml : « 99 rue de la Marne, 86000 Poitiers » : aucun résultat" in out
    assert "Positions approximatives (2)" in out and "data/lieux/antenne.yaml : géocodage" in out


def test_offline_reports_what_is_missing_without_calling(lieu_dataset):
    with FakeBan() as ban:
        process = spro("geocode", "--offline", dataset=lieu_dataset, env_url=ban.url)
        out, _ = process.communicate(timeout=60)
        assert ban.count() == 0
    assert process.returncode == 0
    assert f"manquante : data/lieux/antenne.yaml : « {QUERY} »" in out


def test_sigint_during_a_run_leaves_a_valid_cache(lieu_dataset):
    for number in range(30):
        lieu_dataset.write(f"lieux/l{number}.yaml", VALID_LIEU.replace("12 rue", f"{20 + number} rue"))
    before = (lieu_dataset.root / CACHE_FILE_NAME).read_text(encoding="utf-8").splitlines()
    answer = Reply.json(collection(feature(46.58, 0.34, "x 86000 Poitiers", "86194")))
    # Four answers, then the server holds every request: the run cannot end before it is interrupted.
    with FakeBan(lambda q: answer, hold_after=4) as ban:
        process = spro("geocode", dataset=lieu_dataset, env_url=ban.url)
        ban.wait_for_requests(5)  # the signal: spro is waiting for the answer to its fifth request
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Interrompu." in err
    after = (lieu_dataset.root / CACHE_FILE_NAME).read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line) for line in after)
    assert set(before) <= set(after) and len(after) == len(before) + 4  # the four answers were saved
    assert not [p for p in lieu_dataset.root.iterdir() if p.name.endswith(".tmp")]


def test_endpoint_precedence(monkeypatch):
    # the command line's --geocodeur, then the environment; never a data file (a pull request could change it)
    monkeypatch.delenv("SPRO_GEOCODER_URL", raising=False)
    assert endpoint(None) == "https://data.geopf.fr/geocodage"
    assert endpoint("https://exemple.fr/geo/") == "https://exemple.fr/geo"
    monkeypatch.setenv("SPRO_GEOCODER_URL", "http://127.0.0.1:8765")
    assert endpoint(None) == "http://127.0.0.1:8765"
    assert endpoint("https://exemple.fr/geo") == "https://exemple.fr/geo"
    assert Geocoder("https://data.geopf.fr/geocodage")._client.geocode_api == "https://data.geopf.fr/geocodage/search"


def test_the_demo_dataset_is_fully_cached():
    from build_tools.loader import load_dataset

    data, _ = load_dataset(DEMO)
    cache, problems = GeocodeCache.load(DEMO / CACHE_FILE_NAME)
    geography = locate(data, cache)
    assert problems == [] and geography.missing == [] and geography.unplaced == []
    assert len(geography.communes) == len(data.communes) == sum(len(b.communes) for b in data.bassins.values())
    assert cache.render() == (DEMO / CACHE_FILE_NAME).read_text(encoding="utf-8")  # sorted, one record a line
    assert {address_query(l) for l in data.lieux.values() if not l.coordonnees} <= {
        e.requete for e in cache.entries.values()
    }
    assert len(requests_for(data)) == len(cache.entries)


def test_the_build_names_the_lieux_whose_address_is_not_geocoded_yet(tmp_path):
    from site_helpers import project_copy

    from build_tools.pipeline import prepare

    project = project_copy(tmp_path / "projet")
    lieu = project / "data" / "lieux" / "cio-cognac.yaml"
    lieu.write_text(lieu.read_text(encoding="utf-8").replace("voie: 13 avenue", "voie: 15 avenue"), encoding="utf-8")
    prepared = prepare(project, project / "data", project / "docs", None, "actualites")
    [notice] = [note.message for note in prepared.notes if "géocodage" in note.message]
    assert notice == (
        "1 adresse(s) sans géocodage en cache (data/lieux/cio-cognac.yaml) : ces lieux sont placés au centre de leur "
        "commune ; lancez « spro geocode » pour les placer à leur adresse"
    )
    assert prepared.geography.positions["cio-cognac"].origine == "commune"
