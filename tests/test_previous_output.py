"""The previous build's files linked into the new one (build_tools/previous_output.py): only where the bytes are the
same, read from a regular file reached without a symbolic link; and a file of the new build is never rewritten in
place, so the previous site, kept when a build fails, keeps its bytes."""

from __future__ import annotations

import os

from build_tools.pipeline import secure_pages
from build_tools.preview import make_openable_from_disk
from build_tools.previous_output import PreviousOutput

PAGE = '<!doctype html><html><head><title>Fiche</title></head><body><a href="../autre/">autre</a></body></html>'


def previous_site(tmp_path, files: dict[str, str]):
    root = tmp_path / "ancien"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return PreviousOutput(root)


def test_a_file_with_the_same_bytes_is_linked(tmp_path):
    previous = previous_site(tmp_path, {"lieux/a/index.html": PAGE})
    target = tmp_path / "nouveau" / "lieux" / "a" / "index.html"
    assert previous.link_if_same("lieux/a/index.html", PAGE.encode(), target)
    assert target.stat().st_ino == (previous.root / "lieux/a/index.html").stat().st_ino
    assert previous.linked == 1


def test_other_bytes_or_no_file_are_not_linked(tmp_path):
    previous = previous_site(tmp_path, {"a.html": PAGE})
    target = tmp_path / "nouveau" / "a.html"
    same_length = PAGE.replace("Fiche", "Fichu").encode()
    assert not previous.link_if_same("a.html", same_length, target)
    assert not previous.link_if_same("a.html", PAGE.encode() + b"\n", target)
    assert not previous.link_if_same("absent.html", PAGE.encode(), target)
    assert not target.exists() and previous.linked == 0


def test_nothing_is_linked_through_a_symbolic_link_or_out_of_the_site(tmp_path):
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (outside / "a.html").write_text(PAGE, encoding="utf-8")
    previous = previous_site(tmp_path, {"vrai.html": PAGE})
    (previous.root / "lien.html").symlink_to(outside / "a.html")
    (previous.root / "dossier").symlink_to(outside)
    target = tmp_path / "nouveau" / "a.html"
    for uri in ("lien.html", "dossier/a.html", "../ailleurs/a.html", str(outside / "a.html"), ""):
        assert not previous.link_if_same(uri, PAGE.encode(), target), uri
    assert not target.exists()


def test_a_fifo_is_not_read(tmp_path):
    """Opening it would wait for a writer: the build would hang."""
    previous = previous_site(tmp_path, {})
    previous.root.mkdir()
    os.mkfifo(previous.root / "a.html")
    assert not previous.link_if_same("a.html", b"", tmp_path / "nouveau" / "a.html")


def test_securing_a_linked_page_leaves_the_previous_file_as_it_was(tmp_path):
    previous = previous_site(tmp_path, {"lieux/a/index.html": PAGE})
    new = tmp_path / "nouveau"
    assert previous.link_if_same("lieux/a/index.html", PAGE.encode(), new / "lieux" / "a" / "index.html")
    secure_pages(new, "https://tuiles.example")
    assert "Content-Security-Policy" in (new / "lieux/a/index.html").read_text(encoding="utf-8")
    assert (previous.root / "lieux/a/index.html").read_text(encoding="utf-8") == PAGE


def test_making_a_linked_page_openable_from_disk_leaves_the_previous_file_as_it_was(tmp_path):
    previous = previous_site(tmp_path, {"lieux/a/index.html": PAGE})
    new = tmp_path / "nouveau"
    (new / "lieux" / "autre").mkdir(parents=True)
    (new / "lieux" / "autre" / "index.html").write_text(PAGE, encoding="utf-8")
    assert previous.link_if_same("lieux/a/index.html", PAGE.encode(), new / "lieux" / "a" / "index.html")
    make_openable_from_disk(new)
    assert "../autre/index.html" in (new / "lieux/a/index.html").read_text(encoding="utf-8")
    assert (previous.root / "lieux/a/index.html").read_text(encoding="utf-8") == PAGE
    assert os.stat(previous.root / "lieux/a/index.html").st_nlink == 1
