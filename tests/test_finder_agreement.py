"""The browser finder and ``spro search`` return the same lieux in the same order."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from urllib.parse import urlencode

import pytest

from conftest import ROOT
from site_helpers import StaticServer

MOMENT = "2026-11-24T10:00"  # a Tuesday morning, Paris time (UTC+1)

QUERIES = [
    {"q": "mission locale"},
    {"q": "chatelerault"},
    {"q": "coeur"},
    {"q": "poitiers", "service": ["cep"]},
    {"q": "creation entreprise", "modalite": ["sur-place"], "pmr": "oui"},
    {"commune": "86194", "service": ["vae"]},
    {"commune": "17000", "public": ["jeunes"]},
    {"commune": "79000", "ouvert": "maintenant"},
    {"bassin": ["niort"], "reseau": ["cio", "information-jeunesse"]},
    {"q": "france", "service": ["api", "cep"], "commune": "16100"},
    {"public": ["femmes", "personnes-en-situation-de-handicap"], "ouvert": "maintenant"},
]


def cli_ids(query: dict) -> list[str]:
    args = [*query.get("q", "").split()]
    for key, option in (("service", "--service"), ("public", "--public"), ("bassin", "--bassin"),
                        ("reseau", "--reseau"), ("modalite", "--modalite")):
        for value in query.get(key, []):
            args += [option, value]
    if "commune" in query:
        args += ["--commune", query["commune"]]
    if query.get("pmr"):
        args.append("--pmr")
    if query.get("ouvert"):
        args.append("--ouvert-maintenant")
    result = subprocess.run([sys.executable, "-m", "build_tools.cli", "search", *args, "--date", MOMENT, "--format", "json"],
                            cwd=ROOT, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    return [row["id"] for row in json.loads(result.stdout)]


@pytest.fixture(scope="module")
def server(demo_site):
    with StaticServer(demo_site) as running:
        yield running


@pytest.mark.parametrize("query", QUERIES, ids=[urlencode(q, doseq=True) for q in QUERIES])
def test_browser_and_command_line_agree(page_in, server, query):
    page_in.clock.set_fixed_time(dt.datetime.fromisoformat(MOMENT + "+01:00"))
    page_in.goto(server.url + "trouver/?" + urlencode(query, doseq=True), wait_until="load")
    page_in.locator("#spro-statut").filter(has_text="trouvé").wait_for()
    while page_in.locator("#spro-plus").is_visible():
        page_in.locator("#spro-plus").click()
    browser_ids = page_in.locator("#spro-resultats > li").evaluate_all("items => items.map(i => i.dataset.lieuId)")
    expected = cli_ids(query)
    assert expected, "a shared query should find something"
    assert browser_ids == expected
