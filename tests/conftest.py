"""Shared fixtures: the demo dataset, and small copies of it to break on purpose."""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from build_tools.loader import DataLoader

# The builds' page cache (build_tools/page_cache.py) in a folder of the test run, never in the home folder; the
# processes the tests start are given it too (site_helpers.CHILD_ENV).
os.environ["SPRO_CACHE_DIR"] = tempfile.mkdtemp(prefix="spro-tests-cache-")
atexit.register(shutil.rmtree, os.environ["SPRO_CACHE_DIR"], True)
# Every build of the tests dated 2026-11-21 (reproducible pages), whichever test runs first in a process: under
# pytest-xdist, which tests share a process depends on scheduling.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1795219200")

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data"
TODAY = dt.date(2026, 11, 23)

VALID_LIEU = """\
nom: Mission locale du Poitou – antenne de test
reseau: mission-locale
adresse:
  voie: 12 rue de la Marne
  code_postal: "86000"
  commune: Poitiers
  code_insee: "86194"
bassin: poitiers
services: [api, cep]
publics: [jeunes]
horaires: "Mo-Fr 09:00-12:30,13:30-17:00; PH off"
contact:
  telephone: 05 36 49 00 01
verifie_le: 2026-10-01
"""


# `spro` as a terminal starts it, whoever started the tests: a shell runs background jobs with SIGINT
# ignored, and Python then keeps it ignored, so Ctrl-C tests would see no KeyboardInterrupt at all.
SPRO_AS_IN_A_TERMINAL = [
    sys.executable,
    "-c",
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from build_tools.cli import main; sys.exit(main())",
]


class Dataset:
    """A writable copy of the demo reference data, with no lieux, job sheets or events."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def load(self, today: dt.date = TODAY):
        loader = DataLoader(self.root, today=today, display_root=self.root)
        dataset = loader.load()
        return dataset, loader.report

    def errors(self, today: dt.date = TODAY) -> list[str]:
        return [d.as_text() for d in self.load(today)[1].errors]


@pytest.fixture(scope="session")
def demo_data():
    """The demo dataset as the generators see it."""
    loader = DataLoader(DEMO, display_root=ROOT)
    data = loader.load()
    assert not loader.report.errors
    return data


@pytest.fixture
def dataset(tmp_path) -> Dataset:
    root = tmp_path / "data"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns("lieux", "metiers", "evenements", "geocodage.jsonl"))
    (root / "lieux").mkdir()
    (root / "metiers").mkdir()
    return Dataset(root)


# -- built sites and the browser --------------------------------------------------------------

import os  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo site, built once for the session from a copy of the project."""
    from site_helpers import build, project_copy

    project = project_copy(tmp_path_factory.mktemp("demo"))
    return build(project)


@pytest.fixture(scope="session")
def server(demo_site):
    """The demo site over HTTP on 127.0.0.1 (``server.url``), for the tests that browse it."""
    from site_helpers import StaticServer

    with StaticServer(demo_site) as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright. Missing browser: skip locally, fail in CI."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium introuvable ({CHROMIUM}) : lancez ./scripts/tests.sh, qui l'installe."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page_in(browser):
    """A fresh page whose requests outside 127.0.0.1 are blocked and recorded."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="fr-FR")
    outside: list[str] = []

    def route(route_):
        url = route_.request.url
        if url.startswith("http://127.0.0.1:") or url.startswith("data:") or url.startswith("about:"):
            route_.continue_()
        else:
            outside.append(url)
            route_.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.outside_requests = outside
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


# -- markers: the fast loop (pytest -m "not browser and not slow") --------------------------------------------

BROWSER_FIXTURES = {"browser", "page_in"}
SLOW_FIXTURES = {"demo_site", "injected_site", "swept_site", "zensical_site", "classification"}
SLOW_MODULES = {
    "test_verification",
    "test_communication_files",
    "test_site_diff",
    "test_after_merge",
    "test_finder_agreement",
    "test_repository",
    "test_contributor_tools",
    "test_communes_command",
    "test_hardening",
    "test_security",
    "test_fuzz",
    "test_yaml_versions",
    "test_news",
    "test_renderers",
}
"""Modules that build sites, run git, Node, actionlint or many subprocesses."""


def pytest_collection_modifyitems(items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if fixtures & SLOW_FIXTURES or item.module.__name__ in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
