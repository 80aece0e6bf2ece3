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

from build_tools.generate import SiteOptions
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
