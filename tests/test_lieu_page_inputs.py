"""A lieu page is taken from an earlier build without its body being rendered when its inputs are the same
(``SiteView.inputs`` in build_tools/generate/pages.py, the page cache's key): they change with whatever the page
shows, not with the other lieux, are the same in another process (else no page would ever be reused), and the
page's template cannot read anything that is not in them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys

import jinja2
import pytest
from conftest import DEMO, ROOT

from build_tools.generate import SiteOptions, generate_site
from build_tools.generate.pages import SiteContext
from build_tools.generate.render import render
from build_tools.geocache import GeocodeCache
from build_tools.loader import DataLoader
from build_tools.positions import locate

DAY = dt.date(2026, 11, 23)
INPUTS_OF_EVERY_LIEU = f"""
import datetime as dt, json, sys
sys.path.insert(0, {str(ROOT)!r})
sys.path.insert(0, {str(ROOT / "tests")!r})
from test_lieu_page_inputs import inputs, demo
print(json.dumps(inputs(*demo())))
"""


def demo():
    loader = DataLoader(DEMO, today=DAY, display_root=DEMO.parent)
    dataset = loader.load()
    return dataset, locate(dataset, loader.geocache or GeocodeCache()), SiteOptions(build_date=DAY)


def inputs(dataset, geography, options) -> dict[str, str]:
    ctx = SiteContext(dataset, geography, options)
    return {code: ctx.view.inputs(lieu, geography.positions.get(code)) for code, lieu in dataset.lieux.items()}


@pytest.fixture(scope="module")
def loaded():
    return demo()


def test_the_inputs_are_the_same_in_another_process():
    """Pickled sets or identities that changed from one process to the next would make every lieu page new."""
    printed = []
    for seed in ("1", "2"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", INPUTS_OF_EVERY_LIEU], capture_output=True, text=True, env=environment
        )
        assert run.returncode == 0, run.stderr
        printed.append(json.loads(run.stdout))
    assert printed[0] == printed[1] and len(printed[0]) > 100


def test_the_inputs_change_with_what_the_page_shows(loaded):
    dataset, geography, options = loaded
    before = inputs(dataset, geography, options)
    lieu = dataset.lieux["cio-cognac"]
    service, reseau, bassin = lieu.services[0], lieu.reseau, lieu.bassin

    def renamed(table: dict, code: str, field: str = "nom") -> dict:
        return {**table, code: dataclasses.replace(table[code], **{field: "Autre nom"})}

    changes = {
        "le lieu": dataclasses.replace(
            dataset, lieux={**dataset.lieux, "cio-cognac": dataclasses.replace(lieu, nom="X")}
        ),
        "un service": dataclasses.replace(dataset, services=renamed(dataset.services, service)),
        "un réseau": dataclasses.replace(dataset, reseaux=renamed(dataset.reseaux, reseau)),
        "un bassin": dataclasses.replace(dataset, bassins=renamed(dataset.bassins, bassin)),
        "un public": dataclasses.replace(dataset, publics=renamed(dataset.publics, lieu.publics[0])),
        "le site": dataclasses.replace(dataset, site=dataclasses.replace(dataset.site, label="Autre label")),
    }
    for what, changed in changes.items():
        assert inputs(changed, geography, options)["cio-cognac"] != before["cio-cognac"], what
    moved = dataclasses.replace(geography, positions={**geography.positions})
    moved.positions["cio-cognac"] = dataclasses.replace(geography.positions["cio-cognac"], lat=45.0)
    assert inputs(dataset, moved, options)["cio-cognac"] != before["cio-cognac"]
    next_day = dataclasses.replace(options, build_date=DAY + dt.timedelta(days=1))
    assert inputs(dataset, geography, next_day)["cio-cognac"] != before["cio-cognac"]


def test_another_lieu_changes_nothing(loaded):
    dataset, geography, options = loaded
    before = inputs(dataset, geography, options)
    other = dataset.lieux["cio-cognac"]
    changed = dataclasses.replace(dataset, lieux={**dataset.lieux, "cio-cognac": dataclasses.replace(other, nom="X")})
    after = inputs(changed, geography, options)
    assert {code for code in before if before[code] != after[code]} == {"cio-cognac"}


def test_the_template_cannot_read_the_other_lieux(loaded):
    """What lieu.html may read is what its inputs hold: the site's lists of lieux are not there."""
    dataset, geography, options = loaded
    shared = SiteContext(dataset, geography, options).view
    for hidden in ("dataset", "by_bassin", "labellises", "geography"):
        with pytest.raises(jinja2.UndefinedError):
            render.__globals__["ENVIRONMENT"].from_string(f"{{{{ ctx.{hidden}.x }}}}").render(ctx=shared)


def list_inputs(dataset, geography, options) -> dict[str, str]:
    """The inputs of every page with inputs but the lieux' own: the lists of lieux (basins, services, réseaux, job
    sheets, label, map) and the agenda."""
    files = generate_site(dataset, geography, options)
    return {f.path: f.inputs() for f in files if f.is_page and f.inputs and not f.path.startswith("lieux/")}


@pytest.mark.parametrize("code", ["cio-cognac", "france-travail-niort"])  # (the second: in job sheets and the agenda)
def test_a_lieus_hours_change_no_list_and_its_name_the_lists_it_is_in(loaded, code):
    """A list shows a lieu's card (generate/site_view.py, ``Carte``): its name, not its hours."""
    dataset, geography, options = loaded
    before = list_inputs(dataset, geography, options)
    assert {"bassins/cognac.md", "services/api.md", "reseaux/cio.md", "carte/index.md", "agenda/index.md"} <= set(
        before
    )
    lieu = dataset.lieux[code]

    def with_lieu(**changes):
        return dataclasses.replace(dataset, lieux={**dataset.lieux, lieu.id: dataclasses.replace(lieu, **changes)})

    assert list_inputs(with_lieu(horaires="Mo-Fr 09:00-12:00"), geography, options) == before
    after = list_inputs(with_lieu(nom="Un autre nom"), geography, options)
    showing = {f"bassins/{lieu.bassin}.md", f"reseaux/{lieu.reseau}.md", "carte/index.md"}
    showing |= {f"services/{code}.md" for code in lieu.services}
    showing |= {"label/lieux-labellises.md"} if lieu.labellise else set()
    showing |= {
        f"metiers/{m.code}.md"
        for m in dataset.metiers.values()
        if lieu.bassin in m.bassins and lieu.reseau in m.reseaux
    }
    if any(e.lieu == lieu.id and e.a_venir(DAY) for e in dataset.evenements.values()):
        showing |= {"agenda/index.md"}
    assert {path for path in before if after[path] != before[path]} == showing
