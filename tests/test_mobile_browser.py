"""The public on a phone (375 × 812 and 320 px) and at 1280 px: results first, list or map, history that
behaves, open or closed at a glance, a skip link, and axe on every kind of page at both widths."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from site_helpers import settle

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
TUESDAY_10H = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
COMMUNES = ["79191", "86194", "La%20Rochelle", "16015", "Royan", "Bressuire", "Lezay"]  # codes and names


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def open_finder(page, server, query: str = ""):
    page.clock.set_fixed_time(TUESDAY_10H)
    page.goto(server.url + "trouver/" + query, wait_until="load")
    page.locator("#spro-statut").filter(has_text=re.compile("trouvé")).wait_for()
    settle(page)
    return page


def status(page) -> str:
    return page.locator("#spro-statut").inner_text()


@pytest.mark.parametrize("insee", COMMUNES)
def test_on_a_phone_the_first_result_is_on_the_first_screen(phone, server, insee):
    page = open_finder(phone, server, f"?service=cep&commune={insee}")
    assert "du plus proche au plus éloigné" in status(page)
    top = page.locator("#spro-resultats > li").first.bounding_box()["y"]
    assert 0 < top < PHONE["height"], top
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_on_a_phone_the_map_is_loaded_and_shown_only_on_demand(phone, server):
    page = open_finder(phone, server, "?q=niort")
    assert page.evaluate("typeof window.L") == "undefined"  # Leaflet not loaded for the list
    assert page.locator("#spro-carte").is_hidden()
    page.locator(".spro-vue[data-vue=carte]").click()
    page.locator("#spro-carte .leaflet-marker-icon").first.wait_for()
    assert page.get_attribute(".spro-vue[data-vue=carte]", "aria-pressed") == "true"
    assert page.locator("#spro-resultats").is_hidden()
    page.locator(".spro-vue[data-vue=liste]").click()
    assert page.locator("#spro-resultats").is_visible() and page.locator("#spro-carte").is_hidden()


def test_voir_sur_la_carte_brings_the_map_into_view_and_opens_the_lieu(phone, server):
    page = open_finder(phone, server, "?q=mission+locale&insee=79191")
    item = page.locator("#spro-resultats > li").nth(2)
    identifier = item.get_attribute("data-lieu-id")
    item.locator(".spro-voir").click()
    page.locator(".leaflet-popup-content a").wait_for()
    settle(page)
    assert page.get_attribute("#spro-carte", "data-actif") == identifier
    box = page.locator("#spro-carte").bounding_box()
    assert box["y"] < PHONE["height"] and box["y"] + box["height"] > 0  # in view
    assert page.locator(".leaflet-popup-content a").inner_text() == item.locator("a").first.inner_text()


def test_a_place_puts_a_you_are_here_marker_among_the_nearest_results(browser, server):
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = open_finder(context.new_page(), server, "?insee=79148")  # Lezay
    page.locator("#spro-carte .leaflet-interactive").first.wait_for()
    here = page.locator("#spro-carte path.leaflet-interactive").bounding_box()
    box = page.locator("#spro-carte").bounding_box()
    assert box["x"] < here["x"] < box["x"] + box["width"] and box["y"] < here["y"] < box["y"] + box["height"]
    context.close()


def test_filters_open_in_a_panel_and_show_as_removable_chips(phone, server):
    page = open_finder(phone, server)
    button = page.locator("#spro-filtres-bouton")
    assert button.get_attribute("aria-expanded") == "false" and page.locator("#spro-filtres").is_hidden()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    page.check("input[name=service][value=vae]")
    page.check("#spro-ouvert")
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.id") == "spro-filtres-bouton"
    assert button.inner_text() == "Filtres (2)"
    chips = page.locator("#spro-puces button")
    assert chips.all_inner_texts() == ["Conseil en validation des acquis de l'expérience ×", "Ouvert maintenant ×"]
    assert chips.first.get_attribute("aria-label") == (
        "Retirer le critère : Conseil en validation des acquis de l'expérience"
    )
    before = int(status(page).split()[0])
    chips.first.click()  # removes the service filter
    assert not page.is_checked("input[name=service][value=vae]") and int(status(page).split()[0]) >= before
    assert button.inner_text() == "Filtres (1)"


def test_back_undoes_each_change_reload_keeps_it_and_tout_effacer_resets_everything(browser, server):
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = open_finder(context.new_page(), server)
    page.fill("#spro-q", "mission")
    page.wait_for_url(re.compile(r"\?q=mission$"))  # an entry of the history once typing pauses
    page.check("input[name=service][value=cep]")
    page.wait_for_url(re.compile(r"q=mission&service=cep"))
    page.fill("#spro-commune", "Niort (79000)")
    page.wait_for_url(re.compile(r"insee=79191"))
    with_place = status(page)
    page.go_back()
    page.wait_for_url(re.compile(r"q=mission&service=cep$"))
    page.locator("#spro-statut").filter(has_text="les plus pertinents d'abord.").wait_for()
    assert page.input_value("#spro-commune") == "" and "Niort" not in status(page)
    page.go_back()
    page.wait_for_url(re.compile(r"\?q=mission$"))
    assert not page.is_checked("input[name=service][value=cep]") and page.input_value("#spro-q") == "mission"
    page.go_forward()
    page.go_forward()
    page.wait_for_url(re.compile(r"insee=79191"))
    page.locator("#spro-statut").filter(has_text=with_place).wait_for()
    page.reload()
    page.locator("#spro-statut").filter(has_text=with_place).wait_for()
    assert page.is_checked("input[name=service][value=cep]") and page.input_value("#spro-commune") == "Niort (79000)"
    page.locator(".spro-effacer").click()
    page.locator("#spro-statut").filter(has_text=re.compile(r"^178 lieux trouvés\.$")).wait_for()
    assert page.url.endswith("/trouver/")
    assert page.input_value("#spro-q") == "" and page.input_value("#spro-commune") == ""
    assert not page.is_checked("input[name=service][value=cep]") and page.locator("#spro-puces li").count() == 0
    page.go_back()  # « Tout effacer » is undone like any change
    page.locator("#spro-statut").filter(has_text=with_place).wait_for()
    context.close()


def test_coming_back_from_a_lieu_restores_the_list_where_it_was(phone, server):
    page = open_finder(phone, server)
    page.locator("#spro-plus").click()  # 100 lieux shown
    item = page.locator("#spro-resultats > li").nth(70)
    item.scroll_into_view_if_needed()
    where = item.bounding_box()["y"]
    name = item.locator("a").first.text_content()
    item.evaluate("li => li.querySelector('a').click()")  # (Playwright's own click may scroll the page first)
    page.wait_for_url(re.compile(r"/lieux/"))
    page.go_back()
    page.locator("#spro-statut").filter(has_text="178 lieux trouvés").wait_for()
    settle(page)
    assert page.locator("#spro-resultats > li").count() == 100
    back = page.locator("#spro-resultats > li").nth(70)
    assert name in back.inner_text() and abs(back.bounding_box()["y"] - where) < 50  # the same lieu, where it was


def test_the_live_region_speaks_once_typing_pauses_and_only_when_something_changed(browser, server):
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = open_finder(context.new_page(), server)
    page.evaluate("""() => { window.said = []; new MutationObserver(() => window.said.push(
        document.querySelector('#spro-annonce').textContent)).observe(document.querySelector('#spro-annonce'),
        {childList: true, characterData: true, subtree: true}); }""")
    page.locator("#spro-q").press_sequentially("mission", delay=30)
    page.locator("#spro-annonce").filter(has_text="lieux trouvés").wait_for(state="attached")
    page.locator("#spro-q").press("End")
    page.locator("#spro-q").press_sequentially(" ", delay=30)  # same results: nothing more is said
    page.wait_for_url(re.compile(r"q=mission"))
    settle(page)
    assert len(page.evaluate("window.said")) == 1, page.evaluate("window.said")
    context.close()


def test_a_lieu_page_says_open_or_closed_and_highlights_today(browser, server):
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    page.clock.set_fixed_time(TUESDAY_10H)
    page.goto(server.url + "lieux/mission-locale-angouleme/", wait_until="load")
    state = page.locator(".spro-etat")
    state.filter(has_text="Ouvert jusqu'à").wait_for()
    assert state.bounding_box()["y"] < PHONE["height"]  # at a glance, on the first screen
    today = page.locator(".spro-horaires tr.spro-aujourdhui")
    assert today.get_attribute("aria-current") == "date" and today.locator("th").inner_text().startswith("Mardi")
    page.clock.set_fixed_time(
        dt.datetime(2028, 4, 17, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    )  # Easter Monday 2028
    page.reload(wait_until="load")
    state.filter(has_text="Fermé · ouvre demain").wait_for()
    assert "(aujourd'hui : fermé)" in page.locator(".spro-horaires tr.spro-aujourdhui td").inner_text()
    context.close()


def test_the_skip_link_is_the_first_stop_of_the_keyboard(browser, server):
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    page.goto(server.url + "trouver/", wait_until="load")
    settle(page)  # (the finder done with its first results: nothing of the page moves under the keyboard)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    page.keyboard.press("Enter")
    page.wait_for_url("**/trouver/#contenu")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "spro-q"  # the finder's field, at once
    context.close()


def test_the_site_name_is_readable_in_the_header_on_a_phone(browser, server):
    for width in (320, 375):
        context = browser.new_context(viewport={"width": width, "height": 700}, locale="fr-FR")
        page = context.new_page()
        page.goto(server.url + "lieux/cio-poitiers/", wait_until="load")
        title = page.locator(".md-header__topic").first.bounding_box()
        assert title["width"] > width / 3, (width, title)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        context.close()


def test_no_cookie_and_no_tracker(browser, server):
    """The « Données personnelles » page says it: keep it true."""
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    outside = []
    context.route(
        "**/*",
        lambda route: (
            (outside.append(route.request.url), route.abort())
            if not route.request.url.startswith(server.url)
            else route.continue_()
        ),
    )
    page = context.new_page()
    for path in (
        "",
        "trouver/?q=cep&insee=79191",
        "lieux/cio-poitiers/",
        "carte/",
        "recherche/?q=vae",
        "informations/donnees-personnelles/",
    ):
        page.goto(server.url + path, wait_until="load")
        settle(page)
    assert context.cookies() == []
    assert {url.split("/")[2] for url in outside} <= {"data.geopf.fr"}  # map tiles only
    assert "ne dépose aucun cookie" in page.locator("article").inner_text()
    context.close()


PAGES = [
    "",
    "trouver/",
    "trouver/?service=cep&insee=79191",
    "lieux/mission-locale-angouleme/",
    "lieux/cci-angouleme/",
    "bassins/niort/",
    "bassins/niort/carte.html",
    "carte/",
    "carte/carte.html",
    "agenda/",
    "actualites/",
    "recherche/?q=vae",
    "label/",
    "label/lieux-labellises/",
    "donnees/",
    "services/vae/",
    "reseaux/cio/",
    "metiers/",
    "contribuer/",
    "plan-du-site/",
    "informations/accessibilite/",
    "informations/mentions-legales/",
    "informations/donnees-personnelles/",
]


@pytest.mark.parametrize("width", [375, 1280])
def test_no_serious_accessibility_violation_on_any_kind_of_page(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="fr-FR")
    page = context.new_page()
    found = {}
    for path in PAGES:
        page.goto(server.url + path, wait_until="load")
        settle(page)
        violations = [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if violations:
            found[path] = violations
    assert found == {}
    context.close()


def test_the_menu_opens_and_closes_from_the_keyboard(phone, server):
    page = phone
    page.goto(server.url + "lieux/apec-niort/", wait_until="load")
    menu = page.locator(".spro-menu")
    page.keyboard.press("Tab")  # the skip link first
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('spro-menu')")
    assert menu.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert page.is_checked("#__drawer") and menu.get_attribute("aria-expanded") == "true"
    page.locator(".md-nav--primary a", has_text="Trouver un lieu").first.wait_for()
    page.keyboard.press("Escape")
    assert not page.is_checked("#__drawer") and menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('spro-menu')")
    page.keyboard.press("Space")
    assert page.is_checked("#__drawer")


def test_the_map_controls_speak_french(phone, server):
    page = open_finder(phone, server, "?q=niort")
    page.locator(".spro-vue[data-vue=carte]").click()
    page.locator("#spro-carte .leaflet-marker-icon").first.wait_for()
    assert page.get_attribute("#spro-carte .leaflet-control-zoom-in", "title") == "Zoom avant"
    assert page.get_attribute("#spro-carte .leaflet-control-zoom-out", "title") == "Zoom arrière"
