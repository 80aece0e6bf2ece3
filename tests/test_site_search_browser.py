"""The site-wide search page (/recherche/?q=) in headless Chromium. Lieux are found by the finder's rules (its index,
its ranking: every commune, accents and typos forgiven); the other pages by Pagefind, where a page whose subject is the
word (a basin, métier, service or network page: its « sujet » metadata and weighted title) comes before a page that
merely mentions it, or a word that only shares its stem (« vae » and « Vals de Saintonge »)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from conftest import DEMO, TODAY

from build_tools.loader import load_dataset

SHOWN = 5  # lieux listed before « Voir les N lieux dans « Trouver un lieu » »


@pytest.fixture(scope="module")
def demo():
    return load_dataset(DEMO, today=TODAY)[0]


def search(page, server, query: str) -> None:
    page.goto(server.url + "recherche/?q=" + quote(query), wait_until="load")
    shown(page, query)


def shown(page, query: str) -> None:
    """Wait until both sections show ``query`` (each says, with data-recherche, the query it shows)."""
    for section in ("#spro-recherche-lieux", "#spro-recherche-pages"):
        page.wait_for_function(
            "([section, query]) => document.querySelector(section).getAttribute('data-recherche') === query",
            arg=[section, query],
        )


def lieux_shown(page, demo) -> list:
    links = page.locator("#spro-recherche-lieux:not([hidden]) li > a").all()
    return [demo.lieux[link.get_attribute("href").rstrip("/").split("/")[-1]] for link in links]


def pages_shown(page, server) -> list[tuple[str, str]]:
    """(title, path) of the pages found, in order."""
    links = page.locator("#spro-recherche-pages li > a").all()
    return [(link.inner_text(), link.get_attribute("href").replace(urlsplit(server.url).path, "/")) for link in links]


def test_vae_finds_lieux_that_offer_it_and_the_service_page_first(page_in, server, demo):
    search(page_in, server, "vae")
    lieux = lieux_shown(page_in, demo)
    assert len(lieux) == SHOWN and all("vae" in lieu.services for lieu in lieux)
    offering = sum("vae" in lieu.services for lieu in demo.lieux.values())
    assert f"Les {SHOWN} premiers sur {offering}." in page_in.inner_text("#spro-recherche-lieux")
    pages = pages_shown(page_in, server)
    assert pages[0][1] == "/services/vae/"
    assert not any("Vals de Saintonge" in title for title, _ in pages[:SHOWN])
    assert not any(path.startswith("/lieux/") for _, path in pages)  # lieux are listed once, above
    announced = re.fullmatch(
        rf"{offering} lieux d'accueil et (\d+) pages pour «\u00a0vae\u00a0»\.",
        page_in.inner_text("#spro-recherche-annonce"),
    )
    assert announced and int(announced[1]) > len(pages) == 10
    page_in.click(".spro-recherche__plus")  # ten more, the keyboard's focus on the first of them
    page_in.wait_for_function("() => document.activeElement.closest('#spro-recherche-pages li:nth-child(11)') !== null")
    assert pages_shown(page_in, server)[:10] == pages


@pytest.mark.parametrize(
    "query, network",
    [("handicap", "cap-emploi"), ("pole emploi", "france-travail"), ("mission locale", "mission-locale")],
)
def test_a_need_or_a_former_name_finds_the_network_and_its_lieux(page_in, server, demo, query, network):
    search(page_in, server, query)
    assert {lieu.reseau for lieu in lieux_shown(page_in, demo)} == {network}
    assert pages_shown(page_in, server)[0][1] == f"/reseaux/{network}/"


def test_a_typo_and_a_commune_without_accents_find_the_lieux_there(page_in, server, demo):
    search(page_in, server, "mision locale niort")
    lieux = lieux_shown(page_in, demo)
    assert lieux and all(lieu.reseau == "mission-locale" and lieu.bassin == "niort" for lieu in lieux)
    search(page_in, server, "cio angouleme")
    assert [lieu.adresse.commune for lieu in lieux_shown(page_in, demo)] == ["Angoulême"]


def test_a_metier_page_comes_first_for_its_name(page_in, server, demo):
    metier = demo.metiers["K1302"]
    search(page_in, server, "aide domicile")
    assert pages_shown(page_in, server)[0] == (metier.intitule, "/metiers/K1302/")
    assert "Aucun lieu d'accueil ne correspond à «\u00a0aide domicile\u00a0»." in page_in.inner_text(
        "#spro-recherche-lieux"
    )


def test_typing_updates_the_address_and_leads_to_the_finder_with_the_same_words(page_in, server, demo):
    search(page_in, server, "vae")
    page_in.fill("#spro-recherche-q", "cap emploi niort")
    shown(page_in, "cap emploi niort")
    page_in.wait_for_url(lambda url: parse_qs(urlsplit(url).query) == {"q": ["cap emploi niort"]})
    found = lieux_shown(page_in, demo)
    assert found and all(lieu.reseau == "cap-emploi" for lieu in found)
    page_in.click("#spro-recherche-lieux .spro-recherche__tous")
    page_in.locator("#spro-statut").filter(has_text="trouvé").wait_for()
    assert page_in.input_value("#spro-q") == "cap emploi niort"
    in_finder = page_in.locator("#spro-resultats > li").evaluate_all("items => items.map(i => i.dataset.lieuId)")
    assert in_finder[: len(found)] == [lieu.id for lieu in found]


def test_stop_words_alone_list_no_lieu(page_in, server):
    search(page_in, server, "de la")
    assert page_in.locator("#spro-recherche-lieux").is_hidden()
    assert "lieu" not in page_in.inner_text("#spro-recherche-annonce")


@pytest.mark.parametrize("typed, corrected", [("hadicapp", "handicap"), ("l'hadicapp", "l handicap")])
def test_an_unknown_word_gets_the_finder_s_corrections(page_in, server, demo, typed, corrected):
    search(page_in, server, typed)
    assert not lieux_shown(page_in, demo)
    assert "« hadicapp » : vouliez-vous dire « handicap »" in page_in.inner_text("#spro-recherche-annonce").replace(
        "\u00a0", " "
    )
    page_in.get_by_role("button", name="handicap", exact=True).click()
    shown(page_in, corrected)
    assert page_in.input_value("#spro-recherche-q") == corrected
    assert {lieu.reseau for lieu in lieux_shown(page_in, demo)} == {"cap-emploi"}


def test_a_commune_without_lieu_leads_to_the_lieux_nearest_to_it(page_in, server, demo):
    search(page_in, server, "Lezay")
    assert not lieux_shown(page_in, demo)
    page_in.click("#spro-recherche-lieux .spro-recherche__tous")
    page_in.locator("#spro-statut").filter(has_text="du plus proche au plus éloigné de Lezay").wait_for()


def test_the_header_box_gives_way_to_the_page_s_own_field(page_in, server):
    search(page_in, server, "vae")
    assert page_in.locator(".spro-recherche-entete").is_hidden()
    assert page_in.evaluate("document.activeElement.id") == "spro-recherche-q"


class Held:
    """Requests matching a pattern held back until :meth:`release`: a slow network, on the test's signal."""

    def __init__(self, page, pattern: str):
        self.routes, self.holding = [], True
        page.route(pattern, self.arrive)

    def arrive(self, route):
        if self.holding:
            self.routes.append(route)
        else:
            route.continue_()

    def release(self):
        self.holding = False
        for route in self.routes:
            route.continue_()


def test_clearing_the_field_while_the_lieux_load_shows_nothing_late(page_in, server):
    index = Held(page_in, "**/trouver/index.json")
    page_in.goto(server.url + "recherche/?q=vae", wait_until="load")
    page_in.wait_for_selector("#spro-recherche-pages[data-recherche='vae']", state="attached")
    page_in.fill("#spro-recherche-q", "")
    index.release()
    page_in.wait_for_selector("#spro-recherche[data-lieux-charges]", state="attached")  # the late answer has come
    assert page_in.locator("#spro-recherche-lieux").is_hidden()
    assert page_in.locator("#spro-recherche-pages").is_hidden()
    assert page_in.inner_text("#spro-recherche-annonce") == ""


def test_more_pages_arriving_after_new_words_leave_the_focus_in_the_field(page_in, server):
    search(page_in, server, "niort")
    fragments = Held(page_in, "**/*.pf_fragment")
    page_in.click(".spro-recherche__plus")
    page_in.fill("#spro-recherche-q", "vae")  # typed before the next ten pages arrived
    fragments.release()
    shown(page_in, "vae")
    assert page_in.evaluate("document.activeElement.id") == "spro-recherche-q"


def test_more_pages_that_fail_to_load_keep_those_shown_and_say_so(page_in, server):
    search(page_in, server, "niort")
    shown_before = page_in.locator("#spro-recherche-pages li").count()
    page_in.route("**/*.pf_fragment", lambda route: route.abort())
    page_in.click(".spro-recherche__plus")
    page_in.locator("#spro-recherche-annonce").filter(
        has_text="Les pages suivantes n'ont pas pu être chargées"
    ).wait_for()
    assert page_in.locator("#spro-recherche-pages li").count() == shown_before


def test_the_news_are_found(page_in, server):
    search(page_in, server, "forum orientation")
    assert any(path.startswith("/actualites/") and "Forum" in title for title, path in pages_shown(page_in, server))


def test_back_from_a_page_found_returns_to_the_same_place_in_the_list(page_in, server):
    search(page_in, server, "niort")
    page_in.click(".spro-recherche__plus")
    fifteenth = page_in.locator("#spro-recherche-pages li:nth-child(15) > a")
    fifteenth.wait_for()
    fifteenth.scroll_into_view_if_needed()
    scrolled = page_in.evaluate("window.scrollY")
    assert scrolled > 0
    fifteenth.click()
    page_in.wait_for_url(lambda url: "/recherche/" not in url)
    page_in.go_back()
    shown(page_in, "niort")
    assert page_in.locator("#spro-recherche-pages li").count() == 20
    page_in.wait_for_function("(y) => Math.abs(window.scrollY - y) <= 2", arg=scrolled)
