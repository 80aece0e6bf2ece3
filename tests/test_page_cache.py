"""The page cache's entries and folders (build_tools/page_cache.py): what it publishes is whole and its own, and
its clean-up deletes only what it wrote. The incremental build itself: tests/test_incremental_build.py."""

from __future__ import annotations

import os
import time

import pytest

from build_tools.page_cache import UNUSED_DAYS, PageCache, code_fingerprint

KEY = "a" * 64
PAGE = "<!doctype html>\r\n<title>Lieu</title>\r<p>é</p>\n"


@pytest.fixture
def cache(tmp_path):
    made = PageCache.of(tmp_path / "projet", "f" * 64, root=tmp_path / "cache")
    assert made is not None
    return made


def entry(cache) -> os.PathLike:
    return cache.folder / f"{KEY}.html"


def test_an_entry_gives_back_the_page_as_it_was_kept(cache):
    cache.put(KEY, PAGE)
    assert cache.get(KEY) == PAGE  # (line ends included: MkDocs writes them untranslated)
    assert cache.get("b" * 64) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",  # emptied (a power cut after the rename)
        lambda data: data[:-10],  # cut short
        lambda data: data.replace(b"Lieu", b"<script>alert(1)</script>"),  # changed
        lambda data: data.split(b"\n", 1)[1],  # no check line
    ],
)
def test_a_damaged_entry_is_rendered_again(cache, damage):
    cache.put(KEY, PAGE)
    path = entry(cache)
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get(KEY) is None


def test_an_entry_that_is_a_link_is_not_followed(cache, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    entry(cache).symlink_to(secret)
    assert cache.get(KEY) is None


def test_no_cache_in_a_folder_that_is_a_link_or_that_others_may_write_in(tmp_path):
    (tmp_path / "ailleurs").mkdir()
    (tmp_path / "lien").symlink_to(tmp_path / "ailleurs")
    (tmp_path / "partage").mkdir(mode=0o777)
    os.chmod(tmp_path / "partage", 0o777)
    assert PageCache.of(tmp_path / "projet", "f" * 64, root=tmp_path / "partage") is None
    made = PageCache.of(tmp_path / "projet", "f" * 64, root=tmp_path / "cache")
    project_folder = made.folder.parent
    for child in project_folder.iterdir():
        child.rmdir()
    project_folder.rmdir()
    project_folder.symlink_to(tmp_path / "ailleurs")
    assert PageCache.of(tmp_path / "projet", "f" * 64, root=tmp_path / "cache") is None
    assert PageCache.of(tmp_path / "projet", "f" * 64, root=tmp_path / "projet" / ".cache") is None  # in the project


def test_clean_up_deletes_only_what_the_cache_wrote(cache):
    for key in (KEY, "b" * 64, "c" * 64):
        cache.put(key, PAGE)
    (cache.folder / "notes.txt").write_text("à garder", encoding="utf-8")
    (cache.folder / "zz-dossier").mkdir()
    (cache.folder / ".reste.tmp").write_text("", encoding="utf-8")
    cache.keep_only({KEY, "c" * 64})
    assert sorted(p.name for p in cache.folder.iterdir()) == [
        f"{KEY}.html",
        f"{'c' * 64}.html",
        "notes.txt",
        "zz-dossier",
    ]


def test_clean_up_keeps_three_fingerprints_and_the_projects_used_lately(tmp_path):
    root = tmp_path / "cache"
    made = [PageCache.of(tmp_path / "projet", f"{n}" * 40, root=root) for n in range(5)]
    for age, cache in enumerate(reversed(made)):  # (the first made is the most recently used)
        os.utime(cache.folder, (time.time() - 100 * age,) * 2)
    old = PageCache.of(tmp_path / "ancien", "f" * 40, root=root)
    long_ago = time.time() - (UNUSED_DAYS + 1) * 86400
    os.utime(old.folder.parent, (long_ago, long_ago))
    mine = PageCache.of(tmp_path / "projet", "e" * 40, root=root)
    mine.keep_only(set())
    assert sorted(p.name for p in mine.folder.parent.iterdir()) == ["3" * 40, "4" * 40, "e" * 40]
    assert not old.folder.parent.exists()


def test_the_code_outside_site_packages_is_hashed_whatever_its_path(tmp_path):
    code = tmp_path / "dist-packages" / "annuaire" / "overrides"
    code.mkdir(parents=True)
    (code / "main.html").write_text("v1", encoding="utf-8")
    before = code_fingerprint([code])
    (code / "main.html").write_text("v2", encoding="utf-8")
    assert code_fingerprint([code]) != before
