"""Pictures of the key pages at 375 px (a phone) and 1280 px, for anyone reviewing a change.

    .venv/bin/python scripts/captures.py [DOSSIER]      (default: captures/)

Builds the demo site into a temporary folder (the build date is today), serves it on 127.0.0.1 and writes
one PNG per page and width with headless Chromium (Debian's /usr/bin/chromium). Map tiles are not fetched:
maps show their markers on a grey background.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from site_helpers import StaticServer, build, project_copy, settle  # noqa: E402

PAGES = {
    "accueil": "",
    "trouver": "trouver/",
    "trouver-resultats": "trouver/?service=cep&insee=79191",
    "trouver-recherche": "trouver/?q=reconversion",
    "lieu": "lieux/mission-locale-angouleme/",
    "lieu-saisons": "lieux/cci-angouleme/",
    "bassin": "bassins/niort/",
    "carte": "carte/",
    "label": "label/",
    "donnees": "donnees/",
    "agenda": "agenda/",
}
WIDTHS = {"375": {"width": 375, "height": 812}, "1280": {"width": 1280, "height": 800}}


def main(target: Path) -> None:
    from playwright.sync_api import sync_playwright

    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        site = build(project_copy(Path(temporary) / "projet"))
        with StaticServer(site) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
            )
            for width, viewport in WIDTHS.items():
                context = browser.new_context(viewport=viewport, locale="fr-FR")
                context.route(
                    "**/*",
                    lambda route: route.continue_() if route.request.url.startswith(server.url) else route.abort(),
                )
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(server.url + path, wait_until="load")
                    settle(page)
                    shot = target / f"{name}-{width}.png"
                    page.screenshot(path=str(shot), full_page=width == "375")
                    print(f"{shot}")
                context.close()
            browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "captures")
