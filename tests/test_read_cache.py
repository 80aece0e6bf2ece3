"""The lieu files' readings kept from one load to the next (build_tools/read_cache.py): a load that takes them again
gives the dataset and the diagnostics a fresh load gives, and reads again only the files whose reading could
differ: the file changed, the day changed, or a table its codes name changed."""

from __future__ import annotations

import datetime as dt

import pytest
from site_helpers import project_copy

from build_tools import loader as loader_module
from build_tools.loader import DataLoader
from build_tools.read_cache import tables_seen
from build_tools.records import LIEU

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("SPRO_CACHE_DIR", str(tmp_path / "cache"))
    return project_copy(tmp_path / "projet")


@pytest.fixture
def lieux_read(monkeypatch) -> list[str]:
    """The lieu files read (parsed and checked) by the loads that follow, as shown in messages."""
    read = []
    original = loader_module.read_record

    def counting(data, shown, *args, **kwargs):
        if "/lieux/" in shown:
            read.append(shown)
        return original(data, shown, *args, **kwargs)

    monkeypatch.setattr(loader_module, "read_record", counting)
    return read


def load(project, reuse: bool, today: dt.date = TODAY):
    loader = DataLoader(project / "data", today=today, display_root=project, reuse_reads=reuse)
    dataset = loader.load()
    return dataset, [d.as_text() for d in loader.report.diagnostics]


def reused_load_is_a_fresh_load(project, today: dt.date = TODAY):
    """The load that may take readings again, checked against a fresh load: what it gave."""
    reused = load(project, True, today)
    assert reused == load(project, False, today)
    return reused


def replace_in(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_second_load_reads_only_the_lieu_file_that_changed(project, lieux_read):
    lieux = sorted((project / "data" / "lieux").glob("*.yaml"))
    reused_load_is_a_fresh_load(project)
    assert len(lieux_read) == 2 * len(lieux)  # (the first load kept every reading)
    lieux_read.clear()
    replace_in(project / "data" / "lieux" / "cio-cognac.yaml", "nom: CIO de Cognac", "nom: CIO Cognac")
    dataset, _ = load(project, True)
    assert lieux_read == ["data/lieux/cio-cognac.yaml"]
    assert dataset.lieux["cio-cognac"].nom == "CIO Cognac"
    assert dataset == load(project, False)[0]


def test_an_invalid_lieu_gives_its_errors_again_with_file_line_and_field(project, lieux_read):
    lieu = project / "data" / "lieux" / "cio-cognac.yaml"
    replace_in(lieu, "services: [api]", "services: [api, atelier]")
    replace_in(lieu, "sur_rendez_vous: false", "sur_rendez_vous: peut-être")
    first = reused_load_is_a_fresh_load(project)
    lieux_read.clear()
    again = load(project, True)
    assert lieux_read == [] and again == first
    errors = [text for text in again[1] if "cio-cognac.yaml" in text]
    assert any("atelier" in text and ":11:" in text and "services" in text for text in errors), errors
    assert any("sur_rendez_vous" in text and ":14:" in text for text in errors), errors


def test_a_change_of_a_table_the_lieux_name_reads_them_again(project, lieux_read):
    lieu = project / "data" / "lieux" / "cio-cognac.yaml"
    replace_in(lieu, "services: [api]", "services: [api, atelier]")
    _, before = reused_load_is_a_fresh_load(project)
    assert any("cio-cognac.yaml" in text and "atelier" in text for text in before)
    services = project / "data" / "services.yaml"
    api = services.read_text(encoding="utf-8").split("\ncep:")[0].split("\napi:", 1)[1]
    services.write_text(services.read_text(encoding="utf-8") + "atelier:" + api + "\n", encoding="utf-8")
    lieux_read.clear()
    _, after = reused_load_is_a_fresh_load(project)
    assert "data/lieux/cio-cognac.yaml" in lieux_read
    assert not any("cio-cognac.yaml" in text and "atelier" in text for text in after)


def test_a_service_renamed_reads_the_lieux_again(project, lieux_read):
    """An unknown code is matched against the services' names too (« écrivez son code, cep »)."""
    lieu = project / "data" / "lieux" / "cio-cognac.yaml"
    replace_in(lieu, "services: [api]", "services: [api, Bilan d'orientation]")
    reused_load_is_a_fresh_load(project)
    replace_in(
        project / "data" / "services.yaml", "nom: Conseil en évolution professionnelle", "nom: Bilan d'orientation"
    )
    lieux_read.clear()
    _, after = reused_load_is_a_fresh_load(project)
    assert "data/lieux/cio-cognac.yaml" in lieux_read
    assert any("cio-cognac.yaml" in text and "écrivez son code, cep" in text for text in after)


def test_a_new_lieu_does_not_read_the_others_again(project, lieux_read):
    """The lieux name no other lieu: the list of lieux is not among the tables their readings depend on."""
    seen = tables_seen(LIEU, {"lieux": {"cio-cognac": None}, "services": {"api": {"nom": "Accueil"}}})
    assert seen == {
        "bassins": None,
        "publics": None,
        "reseaux": None,
        "services": {"api": {"nom": "Accueil", "nom_court": None}},
    }
    reused_load_is_a_fresh_load(project)
    lieux = project / "data" / "lieux"
    (lieux / "cio-cognac-2.yaml").write_text(
        (lieux / "cio-cognac.yaml").read_text(encoding="utf-8").replace("id: cio-cognac", "id: cio-cognac-2"),
        encoding="utf-8",
    )
    lieux_read.clear()
    dataset, _ = load(project, True)
    assert lieux_read == ["data/lieux/cio-cognac-2.yaml"]
    assert "cio-cognac-2" in dataset.lieux


def test_the_day_is_part_of_the_key(project, lieux_read):
    """A verification date grows old: the warning appears the day it is due, though the file has not changed."""
    lieu = project / "data" / "lieux" / "cio-cognac.yaml"
    text = lieu.read_text(encoding="utf-8")
    lieu.write_text(
        text.split("verifie_le:")[0] + "verifie_le: 2025-11-01\n" + text.split("verifie_le:")[1].split("\n", 1)[1]
    )
    _, on_time = reused_load_is_a_fresh_load(project, dt.date(2026, 10, 1))
    lieux_read.clear()
    _, late = reused_load_is_a_fresh_load(project, dt.date(2026, 12, 1))
    assert "data/lieux/cio-cognac.yaml" in lieux_read
    assert [t for t in late if "cio-cognac.yaml" in t and "verifie_le" in t]
    assert not [t for t in on_time if "cio-cognac.yaml" in t and "verifie_le" in t]


def test_no_reading_is_kept_inside_the_project(project, monkeypatch, lieux_read):
    monkeypatch.setenv("SPRO_CACHE_DIR", str(project / ".cache"))
    reused_load_is_a_fresh_load(project)
    lieux_read.clear()
    load(project, True)
    assert len(lieux_read) == len(list((project / "data" / "lieux").glob("*.yaml")))
    assert not (project / ".cache").exists()


def test_a_damaged_entry_is_read_again(project, lieux_read, tmp_path):
    reused_load_is_a_fresh_load(project)
    for pack in (tmp_path / "cache").rglob("*.pack"):
        data = bytearray(pack.read_bytes())
        data[len(data) // 2] ^= 0xFF
        pack.write_bytes(bytes(data))
    lieux_read.clear()
    reused = load(project, True)
    assert lieux_read  # (the damaged record's file, at least, read again)
    assert reused == load(project, False)


def test_an_empty_table_is_not_a_table_that_failed_to_load(project, lieux_read):
    """A table that failed to load leaves its codes unchecked; an empty one makes each of them unknown: the
    readings of the one are not those of the other."""
    publics = project / "data" / "publics.yaml"
    publics.write_text("a: [\n", encoding="utf-8")
    reused_load_is_a_fresh_load(project)
    publics.write_text("{}\n", encoding="utf-8")
    lieux_read.clear()
    _, errors = reused_load_is_a_fresh_load(project)
    assert "data/lieux/cio-cognac.yaml" in lieux_read
    assert any("cio-cognac.yaml" in text and "public inconnu" in text for text in errors)
