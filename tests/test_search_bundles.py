"""Site search split into bundles: each lieu page in exactly one, merged again in the browser."""

from __future__ import annotations

import fnmatch
import json
import re
import shutil

import pytest
from site_helpers import StaticServer, build, project_copy

from build_tools.pipeline import BuildFailed, index_site_search
from build_tools.search_bundles import main_glob, plan


def expand(glob: str) -> list[str]:
    """The fnmatch patterns of a Pagefind glob with one level of {a,b} alternatives."""
    match = re.fullmatch(r"(.*)\{(.*)\}(.*)", glob)
    return [match.group(1) + part + match.group(3) for part in match.group(2).split(",")]


@pytest.mark.parametrize(
    "ids",
    [
        [f"lieu-{n:06d}" for n in range(30_000)],
        ["cio", "cio-a", "cio-b", "cio-ba", "cio-bb", "mission-locale-x"] * 1 + [f"cio-b{n}" for n in range(40)],
    ],
)
def test_every_lieu_page_is_in_exactly_one_bounded_bundle(ids):
    bundles = plan(ids, per_bundle=25 if len(ids) < 100 else 4000)
    assert bundles[0].directory == "pagefind" and bundles[0].glob is None
    limit = 25 if len(ids) < 100 else 4000
    seen: dict[str, str] = {}
    for bundle in bundles[1:]:
        patterns = expand(bundle.glob)
        members = [i for i in ids if any(fnmatch.fnmatchcase(f"lieux/{i}/index.html", p) for p in patterns)]
        assert 0 < len(members) <= limit
        for identifier in members:
            assert identifier not in seen, (identifier, seen.get(identifier), bundle.directory)
            seen[identifier] = bundle.directory
    assert sorted(seen) == sorted(ids)


def test_a_small_site_keeps_one_bundle_and_pagefinds_default_glob():
    bundles = plan(["cio-poitiers", "apec-niort"])
    assert [b.directory for b in bundles] == ["pagefind"]
    assert main_glob(bundles, ["index.html", "lieux", "bassins"]) is None


def test_the_main_bundle_leaves_lieux_assets_and_other_bundles_out():
    bundles = plan([f"x-{n}" for n in range(10)], per_bundle=4)
    glob = main_glob(
        bundles,
        [
            "404.html",
            "assets",
            "bassins",
            "index.html",
            "lieux",
            "pagefind",
            "pagefind-lieux-1",
            "sitemap.xml",
            "trouver",
        ],
    )
    assert glob == "{404.html,bassins/**/*.html,index.html,trouver/**/*.html}"


@pytest.fixture(scope="module")
def split_site(tmp_path_factory):
    project = project_copy(tmp_path_factory.mktemp("bundles"))
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      data_dir: data", "      data_dir: data\n      search_bundle_pages: 40"
        ),
        encoding="utf-8",
    )
    return build(project)


def test_the_demo_split_in_bundles_indexes_every_page_once(split_site):
    def pages(directory):
        entry = json.loads((split_site / directory / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(language["page_count"] for language in entry["languages"].values())

    lieux = len(list((split_site / "lieux").iterdir()))
    bundles = sorted(p.name for p in split_site.glob("pagefind-lieux-*"))
    assert len(bundles) >= -(-lieux // 40) > 1
    assert all(pages(b) <= 40 for b in bundles)
    assert sum(pages(b) for b in bundles) == lieux
    all_pages = len([p for p in split_site.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")])
    assert pages("pagefind") + lieux == all_pages


def test_search_finds_pages_of_every_bundle(split_site, page_in):
    with StaticServer(split_site) as server:
        page_in.goto(server.url + "recherche/?q=tonneliere", wait_until="load")
        page_in.locator(".pagefind-ui__result-title", has_text="Tonnelier").wait_for()  # main bundle (job sheet)
        page_in.fill(".pagefind-ui__search-input", "transitions pro niort")
        # transitions-pro-* sort last: the last lieux bundle
        page_in.locator(".pagefind-ui__result-link[href*='lieux/transitions-pro-niort/']").first.wait_for()
        page_in.fill(".pagefind-ui__search-input", "apec angouleme")
        page_in.locator(".pagefind-ui__result-link[href*='lieux/apec-angouleme/']").first.wait_for()  # the first one
        assert page_in.dialogs == [] and page_in.outside_requests == []


def test_a_failing_pagefind_run_stops_the_build_whichever_bundle_fails(tmp_path):
    """The main bundle runs beside the lieu bundles: a failure of either is the build's."""
    site = tmp_path / "site"
    for page in ("index.html", "lieux/a/index.html", "lieux/b/index.html"):
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text(
            '<html lang="fr"><head><title>T</title></head><body><main data-pagefind-body><h1>Titre</h1>'
            "<p>Accueil personnalisé</p></main></body></html>",
            encoding="utf-8",
        )
    bundles = plan(["a", "b"], per_bundle=1)
    assert len(bundles) == 3
    index_site_search(site, bundles)
    assert all((site / bundle.directory / "pagefind-entry.json").is_file() for bundle in bundles)
    for failing in bundles:
        for bundle in bundles:
            shutil.rmtree(site / bundle.directory, ignore_errors=True)
        (site / failing.directory).write_text("un fichier, pas un dossier", encoding="utf-8")
        with pytest.raises(BuildFailed, match="^L'indexation Pagefind a échoué : "):
            index_site_search(site, bundles)
        (site / failing.directory).unlink()
