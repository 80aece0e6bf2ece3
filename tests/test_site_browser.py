"""The demo site in headless Chromium, served on 127.0.0.1."""

from __future__ import annotations

import re

from site_helpers import StaticServer

TILE_HOST = "https://data.geopf.fr/wmts"


def test_map_page_shows_markers_and_the_same_content_as_a_list(demo_site, demo_data, page_in):
    with StaticServer(demo_site) as server:
        page_in.goto(server.url + "carte/", wait_until="load")
        listed = page_in.locator("#liste ~ ul.spro-lieux li").count()
        frame = page_in.frame_locator("iframe.spro-carte")
        frame.locator(".marker-cluster, .leaflet-marker-icon").first.wait_for(timeout=10_000)
        clusters = frame.locator(".marker-cluster")
        counted = sum(int(clusters.nth(i).inner_text()) for i in range(clusters.count()))
        single = frame.locator(".leaflet-marker-icon:not(.marker-cluster)").count()
        frame.locator("html[data-spro-carte=prete]").wait_for()
        basins = frame.locator("path.leaflet-interactive").count()
        filters = frame.locator(".spro-filtres input[type=checkbox]").count()
    assert listed == 178
    assert counted + single == 178
    assert basins == len(demo_data.bassins) == 19  # every basin has its outline
    assert filters == 4
    assert all(url.startswith(TILE_HOST) for url in page_in.outside_requests), set(page_in.outside_requests)


def test_service_filter_hides_the_lieux_without_that_service(demo_site, page_in):
    with StaticServer(demo_site) as server:
        page_in.goto(server.url + "carte/carte.html", wait_until="load")
        page_in.locator(".marker-cluster").first.wait_for()

        def total():
            clusters = page_in.locator(".marker-cluster")
            return (
                sum(int(clusters.nth(i).inner_text()) for i in range(clusters.count()))
                + page_in.locator(".leaflet-marker-icon:not(.marker-cluster)").count()
            )

        before = total()
        for label in ("Premier accueil (API)", "CEP", "Création d'entreprise"):
            page_in.get_by_label(label).uncheck()
        only_vae = total()
    assert before == 178
    assert 0 < only_vae < before


def test_popup_links_to_the_lieu_page(demo_site, page_in):
    with StaticServer(demo_site) as server:
        page_in.goto(server.url + "bassins/loudunais/carte.html", wait_until="load")
        page_in.locator(".marker-cluster, .leaflet-marker-icon").first.wait_for()
        title = page_in.evaluate("""() => {
            const {carte, groupe} = window.sproCarte;
            const marker = groupe.getLayers()[0];
            groupe.removeLayer(marker);
            marker.addTo(carte);
            return marker.options.title;
        }""")
        page_in.locator(".leaflet-marker-icon:not(.marker-cluster)", has_text="").and_(
            page_in.locator(f'[title="{title}"]')
        ).click()
        link = page_in.locator(".leaflet-popup-content a")
        href, target = link.get_attribute("href"), link.get_attribute("target")
    assert re.fullmatch(r"\.\./\.\./lieux/[a-z0-9-]+/", href)
    assert target == "_top"


def test_lieu_page_mini_map_and_phone_width(demo_site, browser):
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    with StaticServer(demo_site) as server:
        page.goto(server.url + "lieux/mission-locale-angouleme/", wait_until="load")
        page.locator(".spro-carte-mini .leaflet-marker-icon").wait_for()
        overflow = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        title = page.locator("h1").inner_text()
    context.close()
    assert title == "Mission locale de l'Angoumois"
    assert overflow is False
