"""No failed request and no console error on any kind of page, in headless Chromium.

Each page is loaded from the built demo site on 127.0.0.1 and left to settle; every failed request,
every HTTP error status, every console error and every uncaught exception is collected. Map tiles
are the one exception: they come from the tile server named in the pages' policy (img-src), which
the tests never reach, so they are answered with a blank image here and ignored if they fail.
"""

from __future__ import annotations

import base64
import html
import re
from urllib.parse import urlsplit

import pytest
from site_helpers import settle

PAGES = {
    "accueil": "",
    "trouver": "trouver/",
    "trouver-filtre": "trouver/?q=cep&service=vae",
    "lieu": "lieux/mission-locale-angouleme/",
    "bassin": "bassins/niort/",
    "carte": "carte/",
    "agenda": "agenda/",
    "actualites": "actualites/",
    "actualite": None,  # the first post, found in the built site
    "categorie": "actualites/category/evenements/",
    "recherche": "recherche/?q=vae",
    "recherche-vide": "recherche/?q=zzzzqqq",
    "service": "services/vae/",
    "reseau": "reseaux/mission-locale/",
    "metier": None,  # the first job sheet
    "label": "label/lieux-labellises/",
    "donnees": "donnees/",
    "contribuer": "contribuer/champs/",
}
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture(scope="module")
def tile_origins(demo_site) -> set[str]:
    """The tile servers: what the pages' policy allows for images besides the site itself."""
    policy = html.unescape(
        re.search(
            r'http-equiv="Content-Security-Policy" content="([^"]+)"',
            (demo_site / "index.html").read_text(encoding="utf-8"),
        ).group(1)
    )
    img_src = next(d.split()[1:] for d in policy.split(";") if d.split()[0] == "img-src")
    origins = {source for source in img_src if source.startswith("https://")}
    assert origins
    return origins


def path_of(kind: str, demo_site) -> str:
    if PAGES[kind] is not None:
        return PAGES[kind]
    if kind == "actualite":
        post = sorted(demo_site.glob("actualites/2*/*/*/*/index.html"))[0]
    else:
        post = sorted(demo_site.glob("metiers/*/index.html"))[0]
    return post.parent.relative_to(demo_site).as_posix() + "/"


@pytest.mark.parametrize("kind", PAGES)
def test_a_page_loads_without_any_error(browser, server, demo_site, tile_origins, kind):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="fr-FR")
    problems: list[str] = []

    def is_tile(url: str) -> bool:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" in tile_origins

    def route(route_):
        url = route_.request.url
        if url.startswith(server.url) or url.startswith("data:"):
            route_.continue_()
        elif is_tile(url):
            route_.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
        else:
            problems.append(f"outside request: {url}")
            route_.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("requestfailed", lambda r: is_tile(r.url) or problems.append(f"failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status < 400 or problems.append(f"HTTP {r.status}: {r.url}"))
    page.on(
        "console",
        lambda m: (
            m.type != "error"
            or is_tile(m.location.get("url", ""))
            or problems.append(f"console: {m.text} ({m.location.get('url')})")
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"exception: {error}"))
    page.goto(server.url + path_of(kind, demo_site), wait_until="load")
    settle(page)
    context.close()
    assert problems == []


def test_the_check_sees_a_missing_file(browser, server):
    """The listeners above do catch a 404 (a page that requests a missing file)."""
    context = browser.new_context()
    statuses = []
    page = context.new_page()
    page.on("response", lambda r: statuses.append(r.status))
    page.goto(server.url + "absent.html")
    context.close()
    assert 404 in statuses
