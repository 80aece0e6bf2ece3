"""The page cache's packs and folders (build_tools/page_cache.py): what it publishes is whole and its own, and its
clean-up deletes only what it wrote. The incremental build itself: tests/test_incremental_build.py."""

from __future__ import annotations

import os
import time

import jinja2
import pytest

from build_tools.generate import render
from build_tools.mkdocs_adapter.plugin import _keep_compiled_templates
from build_tools.page_cache import KEPT_FINGERPRINTS, MOST_PACKS, UNUSED_DAYS, PageCache, code_fingerprint
from build_tools.site_output import _folders_kept_for

PAGE = "<!doctype html>\r\n<title>Lieu</title>\r<p>é</p>\n"


def key(n: int) -> str:
    return f"{n:064x}"


def opened(tmp_path, project: str = "projet", fingerprint: str = "f" * 64) -> PageCache:
    made = PageCache.of(tmp_path / project, fingerprint, root=tmp_path / "cache")
    assert made is not None
    return made


def packs(cache: PageCache) -> list:
    return sorted(cache.folder.glob("*.pack"))


def test_an_entry_gives_back_the_page_as_it_was_kept(tmp_path):
    cache = opened(tmp_path)
    cache.put(key(1), PAGE)
    cache.keep_only({key(1)})
    again = opened(tmp_path)
    assert again.get(key(1)) == PAGE  # (line ends included: MkDocs writes them untranslated)
    assert again.get(key(2)) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-10],  # cut short (a build killed while writing)
        lambda data: data.replace(b"Lieu", b"<scr>"),  # changed
        lambda data: data.replace(b" ", b"", 1),  # a header that says nothing
    ],
)
def test_a_damaged_entry_is_rendered_again(tmp_path, damage):
    cache = opened(tmp_path)
    cache.put(key(1), PAGE)
    cache.keep_only({key(1)})
    (pack,) = packs(cache)
    pack.write_bytes(damage(pack.read_bytes()))
    assert opened(tmp_path).get(key(1)) is None


def test_a_pack_that_is_a_link_or_that_others_may_write_in_is_not_read(tmp_path):
    cache = opened(tmp_path)
    cache.put(key(1), PAGE)
    cache.keep_only({key(1)})
    (pack,) = packs(cache)
    os.chmod(pack, 0o666)
    assert opened(tmp_path).get(key(1)) is None
    os.chmod(pack, 0o600)
    moved = tmp_path / "ailleurs.pack"
    pack.rename(moved)
    pack.symlink_to(moved)
    assert opened(tmp_path).get(key(1)) is None


def test_no_cache_in_a_folder_that_is_a_link_or_that_others_may_write_in(tmp_path):
    (tmp_path / "ailleurs").mkdir()
    (tmp_path / "partage").mkdir()
    os.chmod(tmp_path / "partage", 0o777)
    assert PageCache.of(tmp_path / "projet", "f" * 64, root=tmp_path / "partage") is None
    project_folder = opened(tmp_path).folder.parent
    (project_folder / ("f" * 40)).rmdir()
    project_folder.rmdir()
    project_folder.symlink_to(tmp_path / "ailleurs")
    assert PageCache.of(tmp_path / "projet", "f" * 64, root=tmp_path / "cache") is None
    assert PageCache.of(tmp_path / "projet", "f" * 64, root=tmp_path / "projet" / ".cache") is None  # in the project


def test_entries_no_longer_used_go_once_they_take_room_and_nothing_else_does(tmp_path):
    cache = opened(tmp_path)
    for n in range(10):
        cache.put(key(n), PAGE)
    cache.keep_only({key(n) for n in range(10)})
    (cache.folder / "notes.txt").write_text("à garder", encoding="utf-8")
    (cache.folder / "zz-dossier").mkdir()
    cache = opened(tmp_path)
    assert all(cache.get(key(n)) == PAGE for n in range(9))
    cache.put(key(99), PAGE)  # (a changed page)
    cache.keep_only({key(n) for n in range(9)} | {key(99)})
    assert len(packs(cache)) == 2  # one entry in ten unused: not worth writing them all again
    cache = opened(tmp_path)
    assert all(cache.get(key(n)) == PAGE for n in range(5))
    cache.keep_only({key(n) for n in range(5)})
    assert len(packs(cache)) == 1
    assert sorted(p.name for p in cache.folder.iterdir() if not p.name.endswith(".pack")) == ["notes.txt", "zz-dossier"]
    cache = opened(tmp_path)
    assert [n for n in [*range(10), 99] if cache.get(key(n)) == PAGE] == list(range(5))


def test_packs_are_packed_together_before_they_are_too_many(tmp_path):
    for n in range(MOST_PACKS + 2):
        cache = opened(tmp_path)
        cache.put(key(n), PAGE)
        cache.keep_only({key(k) for k in range(n + 1)})
    assert len(packs(opened(tmp_path))) <= MOST_PACKS
    cache = opened(tmp_path)
    assert all(cache.get(key(n)) == PAGE for n in range(MOST_PACKS + 2))


def test_clean_up_keeps_the_fingerprints_used_last_and_the_projects_used_lately(tmp_path):
    made = [opened(tmp_path, fingerprint=f"{n:x}" * 40) for n in range(KEPT_FINGERPRINTS + 1)]
    for age, cache in enumerate(reversed(made)):  # (the first made is the least recently used)
        os.utime(cache.folder, (time.time() - 100 * age,) * 2)
    old = opened(tmp_path, project="ancien")
    long_ago = time.time() - (UNUSED_DAYS + 1) * 86400
    os.utime(old.folder.parent, (long_ago, long_ago))
    mine = opened(tmp_path, fingerprint="e" * 40)
    mine.keep_only(set())
    kept_before = [f"{n:x}" * 40 for n in range(KEPT_FINGERPRINTS + 1)][-(KEPT_FINGERPRINTS - 1) :]
    assert sorted(p.name for p in mine.folder.parent.iterdir()) == [*kept_before, "e" * 40]
    assert not old.folder.parent.exists()


def test_the_code_outside_site_packages_is_hashed_whatever_its_path(tmp_path):
    code = tmp_path / "dist-packages" / "annuaire" / "overrides"
    code.mkdir(parents=True)
    (code / "main.html").write_text("v1", encoding="utf-8")
    before = code_fingerprint([code])
    (code / "main.html").write_text("v2", encoding="utf-8")
    assert code_fingerprint([code]) != before


def test_templates_are_compiled_once_then_taken_from_the_cache_folder(tmp_path, monkeypatch):
    """mkdocs_adapter/plugin.py keeps both Jinja environments' bytecode beside the cached pages: a new environment
    (each build has one) compiles nothing already compiled; a damaged file is compiled again."""
    loader = jinja2.DictLoader({"page.html": "<p>{{ x }}</p>"})
    compiled = []
    real = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda self, *a, **k: compiled.append(1) or real(self, *a, **k))
    try:
        for build in range(3):
            env = jinja2.Environment(loader=loader)
            _keep_compiled_templates(env, tmp_path)
            assert env.get_template("page.html").render(x=build) == f"<p>{build}</p>"
            assert render.ENVIRONMENT.bytecode_cache is env.bytecode_cache
        assert len(compiled) == 1
        (kept,) = tmp_path.glob("__jinja2_*.cache")
        whole = kept.read_bytes()
        for damaged in (b"pas du bytecode", whole[: len(jinja2.bccache.bc_magic) + 3]):  # (then cut short)
            kept.write_bytes(damaged)
            env = jinja2.Environment(loader=loader)
            _keep_compiled_templates(env, tmp_path)
            assert env.get_template("page.html").render(x=3) == "<p>3</p>"
        assert len(compiled) == 3
    finally:
        _keep_compiled_templates(jinja2.Environment(), None)
    assert render.ENVIRONMENT.bytecode_cache is None


def test_the_folders_kept_of_a_site_are_cleaned_up_as_the_other_folders(tmp_path, monkeypatch):
    """build_tools/site_output.py keeps a replaced site's folders in the project's cache folder: a site not built
    for a while (a --site-dir used once) goes like an unused fingerprint."""
    monkeypatch.setenv("SPRO_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "projet"
    project.mkdir()
    kept = _folders_kept_for(tmp_path / "une-fois" / "site", project)
    kept.mkdir()
    long_ago = time.time() - 1000
    os.utime(kept.parent, (long_ago, long_ago))
    for n in range(KEPT_FINGERPRINTS - 1):
        PageCache.of(project, f"{n}" * 40).keep_only(set())
    assert kept.is_dir()
    PageCache.of(project, "e" * 40).keep_only(set())
    assert not kept.parent.exists()
