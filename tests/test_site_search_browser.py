"""The site-wide search (/recherche/, Pagefind) in headless Chromium: a page whose subject is the word (a lieu,
basin, métier, service or network page: its « sujet » metadata and weighted title) comes before a page that merely
mentions it, or a word that only shares its stem (« vae » and « Vals de Saintonge »)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from conftest import DEMO, TODAY

from build_tools.loader import load_dataset

SHOWN = 5  # Pagefind's list shows five pages before « more results »


@pytest.fixture(scope="module")
def demo():
    return load_dataset(DEMO, today=TODAY)[0]


def first_pages(page, server, query: str) -> list[tuple[str, str]]:
    """(title, path) of the first pages found, sub-results (a section of a page) left out."""
    page.goto(server.url + "recherche/?q=" + quote(query), wait_until="load")
    links = page.locator(".pagefind-ui__result-title > .pagefind-ui__result-link")  # (not the loading placeholders)
    links.nth(SHOWN - 1).wait_for()
    pages = [(link.inner_text(), link.get_attribute("href").replace(server.url, "/")) for link in links.all()]
    return pages[:SHOWN]


def lieu_of(path: str, demo):
    parts = path.strip("/").split("/")
    return demo.lieux.get(parts[1]) if parts[0] == "lieux" else None


def test_vae_finds_the_service_then_lieux_that_offer_it(page_in, server, demo):
    pages = first_pages(page_in, server, "vae")
    assert pages[0][1] == "/services/vae/"
    assert all("vae" in lieu_of(path, demo).services for _, path in pages[1:]), pages
    assert not any("Vals de Saintonge" in title for title, _ in pages)


@pytest.mark.parametrize(
    "query, network",
    [("handicap", "cap-emploi"), ("pole emploi", "france-travail"), ("mission locale", "mission-locale")],
)
def test_a_need_or_a_former_name_finds_the_network_and_its_lieux(page_in, server, demo, query, network):
    pages = first_pages(page_in, server, query)
    for title, path in pages:
        lieu = lieu_of(path, demo)
        assert path == f"/reseaux/{network}/" or (lieu is not None and lieu.reseau == network), (query, title, path)


def test_a_metier_page_comes_first_for_its_name(page_in, server, demo):
    metier = demo.metiers["K1302"]
    pages = first_pages(page_in, server, "aide domicile")
    assert pages[0] == (metier.intitule, "/metiers/K1302/")
