"""« Près de » (the communes combobox), the home page's box and search by need, in headless Chromium
against the built demo site. Waits are on the page's state (status text, attributes, URL), never on time."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import DEMO, TODAY
from finder_helpers import EXPECTED_FIRST, first_is
from site_helpers import settle

from build_tools.loader import load_dataset
from build_tools.places import Places
from build_tools.text import de

TUESDAY_10H = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
OPTIONS = "#spro-communes-liste [role=option]"
SAMPLE = 30


@pytest.fixture(scope="module")
def demo():
    data, _ = load_dataset(DEMO, today=TODAY)
    return data


def open_finder(page, server, query: str = ""):
    page.clock.set_fixed_time(TUESDAY_10H)
    page.goto(server.url + "trouver/" + query, wait_until="load")
    page.locator("#spro-statut").filter(has_text=re.compile("trouvé")).wait_for()
    return page


def wait_status(page, text: str):
    page.locator("#spro-statut").filter(has_text=text).wait_for()
    return page.locator("#spro-statut").inner_text()


def options(page) -> list[str]:
    return page.locator(OPTIONS).all_inner_texts()


def distances(page) -> list[float]:
    values = []
    for text in page.locator("#spro-resultats > li .spro-meta").all_text_contents():
        match = re.search(r"à ([\d,]+) (k?m)", text)
        value = float(match.group(1).replace(",", "."))
        values.append(value if match.group(2) == "km" else value / 1000)
    return values


def test_the_communes_are_fetched_only_when_pres_de_is_used(page_in, server):
    fetched = []
    page_in.on("request", lambda request: fetched.append(request.url) if "communes.json" in request.url else None)
    page = open_finder(page_in, server)
    page.fill("#spro-q", "mission locale")
    page.locator("#spro-statut").filter(has_text="pertinents").wait_for()
    assert fetched == []  # the first page load and the text search cost nothing
    page.focus("#spro-commune")
    page.locator("#spro-trouver[data-communes-chargees='1338']").wait_for(state="attached")
    page.fill("#spro-commune", "niort")
    wait_status(page, "de Niort.")
    assert len(fetched) == 1


def test_the_combobox_follows_the_aria_pattern_by_keyboard(page_in, server):
    page = open_finder(page_in, server)
    field = page.locator("#spro-commune")
    assert (
        field.get_attribute("role"),
        field.get_attribute("aria-expanded"),
        field.get_attribute("aria-controls"),
        field.get_attribute("aria-autocomplete"),
    ) == ("combobox", "false", "spro-communes-liste", "list")
    assert page.get_attribute("#spro-communes-liste", "role") == "listbox"
    field.press_sequentially("chatel")
    page.locator(OPTIONS).first.wait_for()
    assert field.get_attribute("aria-expanded") == "true"
    assert options(page)[:2] == ["Châtellerault (86100)", "Châtelaillon-Plage (17340)"]
    assert field.get_attribute("aria-activedescendant") is None
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    active = field.get_attribute("aria-activedescendant")
    assert (
        page.get_attribute(f"#{active}", "aria-selected") == "true"
        and page.inner_text(f"#{active}") == options(page)[1]
    )
    page.keyboard.press("ArrowUp")
    assert field.get_attribute("aria-activedescendant") == "spro-commune-option-0"
    page.keyboard.press("Enter")
    assert field.input_value() == "Châtellerault (86100)" and field.get_attribute("aria-expanded") == "false"
    wait_status(page, "178 lieux trouvés, du plus proche au plus éloigné de Châtellerault.")
    assert distances(page) == sorted(distances(page))
    field.fill("Lezay")
    wait_status(page, "de Lezay.")
    assert field.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")  # closes the list...
    assert field.get_attribute("aria-expanded") == "false" and field.input_value() == "Lezay"
    page.keyboard.press("Escape")  # ...then clears the field
    assert field.input_value() == ""
    wait_status(page, "178 lieux trouvés.")


@pytest.mark.parametrize(
    "typed, chosen",
    [("Lezai", "Lezay"), ("Chatelerault", "Châtellerault"), ("St Jaen d'Angely", "Saint-Jean-d'Angély")],
)
def test_a_place_not_recognised_is_said_with_the_closest_names(page_in, server, typed, chosen):
    page = open_finder(page_in, server)
    page.fill("#spro-commune", typed)
    said = wait_status(page, "aucune commune de ce nom")
    assert said.startswith(
        f"« {typed} » : aucune commune de ce nom en Poitou-Charentes. Vouliez-vous dire « {chosen} »"
    )
    assert said.endswith("178 lieux trouvés.")  # nothing sorted by distance from a place not known
    page.locator(OPTIONS, has_text=chosen).first.click()
    wait_status(page, f"du plus proche au plus éloigné {de(chosen)}.")
    assert page.evaluate("document.activeElement.id") == "spro-commune"


def test_a_shared_postal_code_lets_the_person_choose(page_in, server):
    page = open_finder(page_in, server)
    page.fill("#spro-commune", "79000")
    said = wait_status(page, "désigne 3 communes")
    assert said.startswith("« 79000 » désigne 3 communes : choisissez la vôtre dans la liste.")
    assert options(page) == [
        "Niort (79000), Deux-Sèvres",
        "Bessines (79000), Deux-Sèvres",
        "Sciecq (79000), Deux-Sèvres",
    ]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wait_status(page, "du plus proche au plus éloigné de Bessines.")
    assert page.input_value("#spro-commune") == "Bessines (79000)"
    page.wait_for_url(re.compile(r"insee=79034"))


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?insee=17138", "de Dampierre-sur-Boutonne."),
        ("?code_postal=17138", "Le code postal 17138 est celui de 2 communes"),
        ("?commune=86194", "de Poitiers."),  # an older link, unambiguous: still works
        ("?commune=17000", "de La Rochelle."),
        ("?commune=17138", "Le code 17138 (code INSEE ou code postal) désigne 3 communes"),  # ambiguous: asked
        ("?commune=86100", "Le code 86100 (code INSEE ou code postal) désigne 4 communes"),
        ("?insee=99999", "Le code INSEE 99999 n'est celui d'aucune commune en Poitou-Charentes."),
    ],
)
def test_links_say_which_code_they_hold(page_in, server, query, expected):
    page = open_finder(page_in, server, query)
    assert expected in page.locator("#spro-statut").inner_text()


def test_an_ambiguous_older_link_lists_why_each_commune_is_there(page_in, server):
    page = open_finder(page_in, server, "?commune=17138")
    assert options(page) == [
        "Puilboreau – code postal 17138",
        "Saint-Xandre – code postal 17138",
        "Dampierre-sur-Boutonne (17470) – code INSEE 17138",
    ]
    page.locator(OPTIONS, has_text="Dampierre").click()
    wait_status(page, "de Dampierre-sur-Boutonne.")
    page.wait_for_url(re.compile(r"insee=17138"))
    assert "commune" not in parse_qs(urlsplit(page.url).query)


@pytest.mark.parametrize(
    "typed, text, place",
    [
        ("Lezay", "", "Lezay"),
        ("79120", "", None),
        ("reconversion Niort", "reconversion", "Niort"),
        ("St Jean d'Angely", "", "Saint-Jean-d'Angély"),
        ("mission locale", "mission locale", None),
    ],
)
def test_the_home_page_box_recognises_a_commune_or_a_postal_code(page_in, server, typed, text, place):
    page_in.goto(server.url, wait_until="load")
    page_in.fill("#accueil-q", typed)
    page_in.press("#accueil-q", "Enter")
    page_in.wait_for_url(re.compile(r"/trouver/"))
    page_in.locator("#spro-statut").filter(has_text="trouvé").wait_for()
    said = page_in.locator("#spro-statut").inner_text()
    assert page_in.input_value("#spro-q") == text
    if place:
        assert said.endswith(f"du plus proche au plus éloigné de {place}.")
        if text:  # relevance first (Transitions Pro), then distance: the nearest of them first
            assert distances(page_in)[0] < 5
        else:
            assert distances(page_in) == sorted(distances(page_in))
    elif typed.isdigit():
        assert "désigne" in said and options(page_in)[0].startswith("Lezay (79120)")
    else:
        assert "proche" not in said and "Aucun" not in said


def test_a_sample_of_communes_by_name_and_postal_code(page_in, server, demo):
    places = Places(demo.communes, demo.communes_deleguees)
    sample = sorted(demo.communes.values(), key=lambda c: c.code_insee)[:: len(demo.communes) // SAMPLE][:SAMPLE]
    page = open_finder(page_in, server)
    for commune in sample:
        page.fill("#spro-commune", commune.nom.lower())
        if len(places.by_name(commune.nom)) == 1:
            wait_status(page, f"{de(commune.nom)}.")
        else:  # homonyms: the person chooses
            wait_status(page, "communes : choisissez")
        page.fill("#spro-commune", commune.codes_postaux[0])
        if len(places.by_postal_code(commune.codes_postaux[0])) > 1:
            wait_status(page, "communes : choisissez")
            page.locator(OPTIONS).nth(places.by_postal_code(commune.codes_postaux[0]).index(commune)).click()
        wait_status(page, f"{de(commune.nom)}.")
        assert distances(page) == sorted(distances(page))


@pytest.mark.parametrize("text, what, expected", EXPECTED_FIRST, ids=[e[0] for e in EXPECTED_FIRST])
def test_expected_first_result_in_the_browser(page_in, server, demo, text, what, expected):
    page = open_finder(page_in, server)
    page.fill("#spro-q", text)
    page.locator("#spro-statut").filter(has_text="les plus pertinents d'abord").wait_for()
    first = page.locator("#spro-resultats > li").first.get_attribute("data-lieu-id")
    assert first_is(demo, first, what, expected), first


def test_nothing_found_offers_clickable_words(page_in, server):
    page = open_finder(page_in, server)
    page.fill("#spro-q", "oreintasion")
    said = wait_status(page, "Aucun lieu trouvé.")
    assert said == "Aucun lieu trouvé. « oreintasion » : vouliez-vous dire « orientation » ? Essayez un autre mot."
    page.locator("#spro-suggestions button", has_text="orientation").click()
    page.locator("#spro-statut").filter(has_text="les plus pertinents d'abord").wait_for()
    assert page.input_value("#spro-q") == "orientation" and page.locator("#spro-suggestions").is_hidden()


def test_no_serious_accessibility_violation_with_the_combobox_open(page_in, server):
    page = open_finder(page_in, server)
    page.locator("#spro-commune").press_sequentially("saint")
    page.locator(OPTIONS).first.wait_for()
    page.keyboard.press("ArrowDown")
    page.locator("#spro-commune[aria-activedescendant]").wait_for(state="attached")
    assert page.get_attribute("#spro-commune", "aria-expanded") == "true"
    settle(page)  # the map's clusters fade in: axe would read their text mid-animation
    violations = [
        (v["id"], v["impact"], [(n["target"], n["html"][:120]) for n in v["nodes"]][:3])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == []
    page.fill("#spro-q", "oreintasion")  # and with « Vouliez-vous dire » shown
    page.locator("#spro-suggestions button").first.wait_for()
    settle(page)
    violations = [
        (v["id"], v["impact"], [(n["target"], n["html"][:120], n["failureSummary"]) for n in v["nodes"]][:3])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == []


def test_homonyms_say_why_each_commune_is_listed_and_the_list_behaves(page_in, server):
    """« Brie » is a commune of Charente and a former commune of Plaine-et-Vallées: each option says which is which.
    A list opened by a link opens again on a click in the field, and closes on a click elsewhere."""
    page = open_finder(page_in, server, "?commune=Brie")
    wait_status(page, "« Brie » désigne 2 communes : choisissez la vôtre dans la liste.")
    assert options(page) == ["Brie (16590), Charente", "Brie (aujourd'hui Plaine-et-Vallées, 79100, Deux-Sèvres)"]
    page.locator("h1").click()
    assert page.get_attribute("#spro-commune", "aria-expanded") == "false" and page.locator(OPTIONS).first.is_hidden()
    page.locator("#spro-commune").click()
    assert page.get_attribute("#spro-commune", "aria-expanded") == "true"
    page.locator(OPTIONS).nth(1).click()
    wait_status(page, "du plus proche au plus éloigné de Plaine-et-Vallées.")


def test_words_that_no_lieu_has_together_are_offered_one_by_one(page_in, server):
    page = open_finder(page_in, server)
    page.fill("#spro-q", "handicap jeune")
    assert (
        wait_status(page, "cherchez-les un par un")
        == "Aucun lieu ne correspond à tous ces mots à la fois : cherchez-les un par un."
    )
    assert page.locator("#spro-suggestions button").all_inner_texts() == ["handicap", "jeune"]
    page.locator("#spro-suggestions button", has_text="handicap").click()
    wait_status(page, "les plus pertinents d'abord")
    assert page.input_value("#spro-q") == "handicap" and page.locator("#spro-suggestions").is_hidden()
