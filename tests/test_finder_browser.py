"""« Trouver un lieu » in headless Chromium against the built demo site on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from site_helpers import settle

PARIS = dt.timezone(dt.timedelta(hours=1))  # November and December: UTC+1
TUESDAY_10H = dt.datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
CHRISTMAS_10H = dt.datetime(2026, 12, 25, 10, 0, tzinfo=PARIS)
LA_ROCHELLE = {"latitude": 46.1603, "longitude": -1.1511}


def open_finder(page, server, query: str = "", at: dt.datetime = TUESDAY_10H):
    page.clock.set_fixed_time(at)
    page.goto(server.url + "trouver/" + query, wait_until="load")
    page.locator("#spro-statut").filter(has_text=re.compile(r"trouvé")).wait_for()
    return page


def status(page) -> str:
    return page.locator("#spro-statut").inner_text()


def count(page) -> int:
    text = status(page)
    return 0 if text.startswith("Aucun") else int(text.split()[0])


def result_ids(page, everything: bool = False) -> list[str]:
    while everything and page.locator("#spro-plus").is_visible():
        page.locator("#spro-plus").click()
    return page.locator("#spro-resultats > li").evaluate_all("items => items.map(i => i.dataset.lieuId)")


def option_count(page, selector: str) -> int:
    label = page.locator(selector).locator("xpath=..")
    return int(re.search(r"\((\d+)\)", label.inner_text()).group(1))


def distances(page) -> list[float]:
    texts = page.locator("#spro-resultats > li .spro-meta").all_text_contents()  # off-screen items are not rendered
    values = []
    for text in texts:
        match = re.search(r"à ([\d,]+) (k?m)", text)
        value = float(match.group(1).replace(",", "."))
        values.append(value if match.group(2) == "km" else value / 1000)
    return values


def test_typing_narrows_the_list_and_the_live_region_says_so(page_in, server):
    page = open_finder(page_in, server)
    assert status(page) == "178 lieux trouvés."
    region = page.locator("#spro-annonce")
    assert region.get_attribute("role") == "status" and region.get_attribute("aria-live") == "polite"
    page.locator("#spro-q").press_sequentially("missi", delay=20)
    assert 0 < count(page) < 178
    region.filter(has_text=status(page)).wait_for(state="attached")  # said once typing pauses
    page.locator("#spro-q").press_sequentially("on locale niort", delay=20)
    assert status(page) == "1 lieu trouvé." or count(page) >= 1
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in result_ids(page))
    assert "mission-locale-niort" in result_ids(page)
    assert len(result_ids(page)) == min(count(page), 50)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("chatellerault", "france-travail-chatellerault"),
        ("CHÂTELLERAULT", "france-travail-chatellerault"),
        ("chatelerault", "france-travail-chatellerault"),  # one typo
        ("coeur", "point-information-coeur-de-saintonge"),  # oe matches œ
        ("oeuvres sociales", "point-information-coeur-de-saintonge"),
        ("metier", "cma-angouleme"),  # « métiers » in the name
        ("saint jean angely", "mission-locale-saint-jean-d-angely"),
        ("17100", "france-travail-saintes"),  # postal code
    ],
)
def test_accents_case_typos_and_postal_codes(page_in, server, typed, expected):
    page = open_finder(page_in, server)
    page.fill("#spro-q", typed)
    assert expected in result_ids(page, everything=True)


def test_counts_predict_the_results_and_groups_combine(page_in, server):
    page = open_finder(page_in, server)
    vae, cep = (
        option_count(page, "input[name=service][value=vae]"),
        option_count(page, "input[name=service][value=cep]"),
    )
    page.check("input[name=service][value=vae]")
    assert count(page) == vae
    assert option_count(page, "input[name=service][value=cep]") == cep  # counts of a group ignore its own choices
    page.check("input[name=service][value=cep]")
    assert max(vae, cep) < count(page) <= vae + cep  # OR inside a group
    vae_or_cep = count(page)
    page.locator("summary", has_text="Réseau").click()
    predicted = option_count(page, "input[name=reseau][value=france-travail]")
    page.check("input[name=reseau][value=france-travail]")
    assert count(page) == predicted < vae_or_cep  # AND across groups
    for selector in ("#spro-pmr", "#spro-ouvert"):
        predicted = option_count(page, selector)
        page.check(selector)
        assert count(page) == predicted


@pytest.mark.parametrize(
    "summary, selector",
    [
        ("Public accueilli", "input[name=public][value=femmes]"),
        ("Modalités d'accueil", "input[name=modalite][value=visio]"),
        ("Bassin d'emploi", "input[name=bassin][value=cognac]"),
        ("Réseau", "input[name=reseau][value=cio]"),
    ],
)
def test_each_filter_group(page_in, server, summary, selector):
    page = open_finder(page_in, server)
    page.locator("summary", has_text=summary).click()
    predicted = option_count(page, selector)
    page.check(selector)
    assert 0 < count(page) == predicted < 178


def test_a_public_filter_keeps_places_open_to_everyone(page_in, server):
    page = open_finder(page_in, server)
    page.locator("summary", has_text="Public accueilli").click()
    page.check("input[name=public][value=femmes]")
    ids = result_ids(page, everything=True)
    assert "cidff-poitiers" in ids and any(i.startswith("france-services-") for i in ids)


def test_commune_name_and_postal_code_sort_by_distance(page_in, server):
    page = open_finder(page_in, server)
    page.fill("#spro-commune", "Niort (79000)")  # the communes load on first use: wait for the answer
    page.locator("#spro-statut").filter(has_text="du plus proche au plus éloigné de Niort.").wait_for()
    assert distances(page) == sorted(distances(page)) and distances(page)[0] < 3
    page.fill("#spro-commune", "86000")  # typed digits are a postal code (Poitiers' only)
    page.locator("#spro-statut").filter(has_text="de Poitiers").wait_for()
    first = page.locator("#spro-resultats > li").first.text_content()  # unrendered items have no inner text
    assert "Poitiers" in first and re.search(r"à \d+(,\d)? (km|m)", first)


def test_geolocation_granted(browser, server):
    context = browser.new_context(geolocation=LA_ROCHELLE, permissions=["geolocation"], locale="fr-FR")
    page = open_finder(context.new_page(), server)
    page.click("#spro-autour")
    page.locator("#spro-statut").filter(has_text="de votre position").wait_for()
    assert "La Rochelle" in page.locator("#spro-resultats > li").first.text_content()
    assert distances(page) == sorted(distances(page))
    assert page.locator("#spro-geo-message").inner_text() == "Lieux triés par distance depuis votre position."
    context.close()


def test_geolocation_refused_falls_back_to_the_commune_field(browser, server):
    context = browser.new_context(locale="fr-FR")  # no permission: the request is denied
    page = open_finder(context.new_page(), server)
    page.click("#spro-autour")
    page.locator("#spro-geo-message").filter(has_text="Localisation refusée").wait_for()
    assert page.evaluate("document.activeElement.id") == "spro-commune"
    context.close()


def test_open_now_at_a_fixed_time_and_on_a_public_holiday(browser, server):
    context = browser.new_context(locale="fr-FR")
    page = open_finder(context.new_page(), server, "?ouvert=maintenant", at=TUESDAY_10H)
    opened = count(page)
    assert 40 < opened < 178
    assert all("Ouvert jusqu'à " in text for text in page.locator("#spro-resultats > li").all_text_contents())
    page = open_finder(context.new_page(), server, "?ouvert=maintenant", at=CHRISTMAS_10H)
    assert (
        status(page) == "Aucun lieu trouvé ouvert en ce moment : retirez « Ouvert maintenant » pour voir les 178 lieux."
    )
    page = open_finder(context.new_page(), server, "?q=mission+locale+angoumois", at=CHRISTMAS_10H)
    assert "Fermé · ouvre lundi à 8\u00a0h\u00a030" in page.locator("#spro-resultats > li").first.text_content()
    context.close()


def test_open_now_is_right_on_easter_monday_two_years_after_the_build(browser, server):
    """The site was built on 20 November 2026; on Easter Monday 2028 every lieu (« PH off ») is closed, and open the
    next morning: the browser computes the holidays of any year."""
    context = browser.new_context(locale="fr-FR")
    easter_monday = dt.datetime(2028, 4, 17, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    page = open_finder(context.new_page(), server, "?ouvert=maintenant", at=easter_monday)
    assert (
        status(page) == "Aucun lieu trouvé ouvert en ce moment : retirez « Ouvert maintenant » pour voir les 178 lieux."
    )
    page = open_finder(context.new_page(), server, "?ouvert=maintenant", at=easter_monday + dt.timedelta(days=1))
    assert count(page) > 40
    page = open_finder(context.new_page(), server, "?q=mission+locale+angoumois", at=easter_monday)
    assert "Fermé · ouvre demain à 8\u00a0h\u00a030" in page.locator("#spro-resultats > li").first.text_content()
    context.close()


def test_url_round_trip(browser, server):
    context = browser.new_context(locale="fr-FR")
    page = open_finder(context.new_page(), server)
    page.fill("#spro-q", "mission")
    page.check("input[name=service][value=cep]")
    page.check("input[name=service][value=api]")
    page.fill("#spro-commune", "La Rochelle (17000)")
    page.locator("#spro-statut").filter(has_text="de La Rochelle").wait_for()
    page.check("#spro-ouvert")
    expected = result_ids(page)
    page.wait_for_url(re.compile(r"ouvert=maintenant"))  # the URL follows 250 ms after the last change
    params = parse_qs(urlsplit(page.url).query)
    assert params == {"q": ["mission"], "service": ["api", "cep"], "insee": ["17300"], "ouvert": ["maintenant"]}
    again = open_finder(context.new_page(), server, "?" + urlsplit(page.url).query)
    assert result_ids(again) == expected
    assert again.is_checked("input[name=service][value=cep]") and again.input_value("#spro-q") == "mission"
    assert again.input_value("#spro-commune") == "La Rochelle (17000)"
    context.close()


def test_keyboard_only(page_in, server):
    page = open_finder(page_in, server)
    page.locator("#spro-q").focus()
    page.keyboard.type("poitiers")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "spro-commune"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "spro-autour"
    page.keyboard.press("Tab")  # a wide screen shows the filters in a column of their own, always open
    assert page.evaluate("document.activeElement.value") == "api"
    before = count(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # CEP
    assert page.is_checked("input[name=service][value=cep]") and count(page) < before


def test_list_and_map_highlight_each_other(page_in, server):
    page = open_finder(page_in, server, "?q=niort")
    first = page.locator("#spro-resultats > li").first
    identifier = first.get_attribute("data-lieu-id")
    first.locator(".spro-voir").click()
    page.locator(".leaflet-popup-content a").wait_for()
    assert page.locator("#spro-carte").get_attribute("data-actif") == identifier
    assert "spro-actif" in first.get_attribute("class")
    page.locator("#spro-carte .leaflet-popup-close-button").click()
    page.fill("#spro-q", "niort ")  # same results: the map stays as it was left
    settle(page)
    title = page.evaluate("""() => {
        const box = document.querySelector('#spro-carte').getBoundingClientRect();
        const inside = e => { const r = e.getBoundingClientRect();
            return r.left > box.left && r.right < box.right && r.top > box.top && r.bottom < box.bottom; };
        const marker = [...document.querySelectorAll('#spro-carte .leaflet-marker-icon:not(.marker-cluster)')].find(inside);
        return marker && marker.title;
    }""")
    assert title
    page.locator(f'.leaflet-marker-icon[title="{title}"]').click()
    active = page.locator("#spro-resultats > li.spro-actif")
    assert active.count() == 1 and active.locator("a").first.inner_text() == title


def test_map_shows_the_same_results(page_in, server):
    page = open_finder(page_in, server, "?bassin=cognac")
    page.locator("#spro-carte[data-marqueurs]").wait_for(state="attached")
    assert int(page.locator("#spro-carte").get_attribute("data-marqueurs")) == count(page)


def test_without_javascript_the_lists_remain(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url + "trouver/")
    assert page.locator("#spro-trouver").is_hidden()
    assert page.get_by_role("link", name="Conseil en évolution professionnelle").is_visible()
    assert page.get_by_role("link", name="Bassin de Niort et du Mellois").is_visible()
    context.close()


def test_usable_at_320_pixels(browser, server):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="fr-FR")
    page = open_finder(context.new_page(), server)
    page.fill("#spro-q", "poitiers")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert page.locator("#spro-resultats > li").first.is_visible()
    context.close()


def test_header_search_folds_accents(page_in, server):
    page_in.goto(server.url, wait_until="load")
    page_in.fill("#spro-recherche-entete", "demarche")
    page_in.press("#spro-recherche-entete", "Enter")
    page_in.locator("#spro-recherche-pages li").first.wait_for()
    assert page_in.input_value("#spro-recherche-q") == "demarche"
    page_in.fill("#spro-recherche-q", "tonneliere")
    page_in.locator("#spro-recherche-pages li a", has_text="Tonnelier").wait_for()
