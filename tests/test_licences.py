"""Licences and versions: what reusers of the code, the data and the data contract rely on."""

from __future__ import annotations

import importlib.metadata
import json
import tomllib

from conftest import ROOT

from build_tools.json_schemas import CONTRACT_VERSION, SCHEMA_FILES


def test_the_code_is_mit_with_an_spdx_expression():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["license"] == "MIT"  # a string: the TOML-table form is deprecated
    assert pyproject["project"]["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert importlib.metadata.metadata("spro-orientation")["License-Expression"] == "MIT"


def test_the_data_licence_is_the_licence_ouverte_2():
    text = (ROOT / "LICENCE-DONNEES.md").read_text(encoding="utf-8")
    assert "Licence Ouverte / Open Licence version 2.0" in text and "## LICENCE OUVERTE / OPEN LICENCE" in text
    assert "Cette licence est la version 2.0 de la Licence Ouverte." in text


def test_both_licences_are_named_in_the_readme_and_on_the_site(demo_site):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "[`LICENSE`](LICENSE)" in readme and "[`LICENCE-DONNEES.md`](LICENCE-DONNEES.md)" in readme
    for page in ("index.html", "lieux/mission-locale-angouleme/index.html", "donnees/index.html"):
        footer = (demo_site / page).read_text(encoding="utf-8").split('<footer class="md-footer">', 1)[1]
        assert "Licence Ouverte 2.0" in footer and "licence MIT" in footer, page
    open_data = (demo_site / "donnees/index.html").read_text(encoding="utf-8")
    assert "/blob/main/LICENCE-DONNEES.md" in open_data and "/blob/main/LICENSE" in open_data


def test_the_data_contract_carries_its_version_and_the_changelog_follows_it():
    for name in SCHEMA_FILES:
        assert json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))["version"] == CONTRACT_VERSION, name
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"### Contrat de données {CONTRACT_VERSION}" in changelog
