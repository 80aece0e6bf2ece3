"""The live preview (``mkdocs serve``) as a partner uses it: a broken file saved, the pages say what to fix (in
French, file and line) instead of a browser tab waiting for ever; the file fixed, the directory is back.

The server runs in a process of its own on 127.0.0.1; the test waits on what it prints (« Serving on »,
« Reloading browsers »), never on time."""

from __future__ import annotations

import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from site_helpers import CHILD_ENV, project_copy

pytestmark = pytest.mark.slow

PATIENCE = 300
"""Seconds before a line the server should print counts as never printed (a failure, not a wait)."""
NOTICE = 'id="spro-donnees-invalides"'


class Preview:
    """``mkdocs serve`` in ``project``, its output read line by line."""

    def __init__(self, project, *options: str, env: dict[str, str] | None = None):
        temporary = Path(project).parent / "tmp-apercu"  # (MkDocs' served folder, left there if the server is killed)
        temporary.mkdir(exist_ok=True)
        env = {"TMPDIR": str(temporary), **(env or {})}
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *options],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**CHILD_ENV, **env},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.said: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for("Serving on ").split("Serving on ", 1)[1].strip()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put("")  # (the server stopped)

    def wait_for(self, text: str) -> str:
        """The next line holding ``text`` (what came before it is kept in :attr:`said`)."""
        while True:
            try:
                line = self.lines.get(timeout=PATIENCE)
            except queue.Empty:
                pytest.fail(f"« {text} » jamais affiché par mkdocs serve :\n{''.join(self.said)}")
            if line == "":
                pytest.fail(f"mkdocs serve s'est arrêté avant « {text} » :\n{''.join(self.said)}")
            self.said.append(line)
            if text in line:
                return line
            if "An error happened during the rebuild" in line:
                pytest.fail(f"mkdocs serve bloqué au lieu de « {text} » :\n{''.join(self.said)}")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=PATIENCE) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=PATIENCE)

    def interrupt(self) -> None:
        """Ctrl-C: MkDocs then removes its folders, as the server stops."""
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=PATIENCE)


@pytest.mark.parametrize("options", [(), ("--strict",)], ids=["", "strict"])
def test_a_broken_lieu_file_shows_its_problem_in_the_preview_until_it_is_fixed(tmp_path, options):
    project = project_copy(tmp_path / "projet")
    lieu = project / "data" / "lieux" / "cio-cognac.yaml"
    good = lieu.read_text(encoding="utf-8")
    with (project / "docs" / "contribuer" / "index.md").open("a", encoding="utf-8") as page:
        page.write("\n[Où demander un conseil VAE](../trouver/index.md?service=vae#resultats)\n")
    link = 'href="../trouver/?service=vae#resultats"'
    preview = Preview(project, *options)
    try:
        status, page = preview.get("lieux/cio-cognac/")
        assert status == 200 and "CIO de Cognac" in page and NOTICE not in page
        assert link in preview.get("contribuer/")[1]

        lieu.write_text(good.replace("nom: CIO de Cognac", "nom: [CIO de Cognac"), encoding="utf-8")
        preview.wait_for("Reloading browsers")
        for path, expected in (("contribuer/", 200), ("", 404), ("lieux/cio-cognac/", 404)):
            status, page = preview.get(path)
            assert status == expected, path
            notice = page.split(NOTICE, 1)[1].split("</div>", 1)[0]
            assert "les données ne sont pas valides" in notice
            assert "data/lieux/cio-cognac.yaml:2:" in notice and "syntaxe YAML invalide" in notice
            assert "<h1>Page introuvable</h1>" not in page  # (the directory's pages are not built, not removed)
            assert 'id="contenu"' in page  # (the skip link's target)
            # the links to the directory's pages go to their addresses, which come back once the data is fixed
            assert not re.search(r'href="[^"]*\.md[#"?]', page) and ">None<" not in page.replace(" ", "")
        assert link in preview.get("contribuer/")[1]  # (its query and fragment kept)
        printed = "".join(preview.said)
        assert "seules les pages de docs/ sont construites" in printed and "data/lieux/cio-cognac.yaml:2:" in printed
        assert "le site n'est pas construit" not in printed  # (MkDocs says « Documentation built » next)
        assert "not found among documentation files" not in printed  # (the problem stays in view)

        assert "de nouveau valides" not in printed
        lieu.write_text(good, encoding="utf-8")
        preview.wait_for("Aperçu : données de nouveau valides, l'annuaire est reconstruit.")
        preview.wait_for("Reloading browsers")
        status, page = preview.get("lieux/cio-cognac/")
        assert status == 200 and "CIO de Cognac" in page and NOTICE not in page
    finally:
        preview.stop()


def test_an_open_page_reloads_itself_after_each_save(tmp_path, page_in):
    """MkDocs' own reload script is inline, which the pages' policy refuses: the site's own script does it."""
    project = project_copy(tmp_path / "projet")
    lieu = project / "data" / "lieux" / "cio-cognac.yaml"
    good = lieu.read_text(encoding="utf-8")
    preview = Preview(project)
    try:
        page_in.goto(preview.url + "contribuer/")
        page_in.wait_for_selector("html[data-apercu-recharge]", state="attached")  # (it knows the build it shows)
        assert page_in.locator("#spro-donnees-invalides").count() == 0

        lieu.write_text(good.replace("nom: CIO de Cognac", "nom: [CIO de Cognac"), encoding="utf-8")
        notice = page_in.wait_for_selector("#spro-donnees-invalides", timeout=PATIENCE * 1000)
        assert "data/lieux/cio-cognac.yaml:2:" in notice.inner_text()
        assert page_in.locator("link[href$='assets/spro/spro.css']").count() == 1  # (the site's look, still)

        missing = page_in.context.new_page()  # (a directory page: « not found » while the data is invalid)
        missing.goto(preview.url + "lieux/cio-cognac/")
        missing.wait_for_selector("#spro-donnees-invalides")
        missing.wait_for_selector("html[data-apercu-recharge]", state="attached")  # (it knows the build it shows)

        lieu.write_text(good, encoding="utf-8")
        page_in.wait_for_selector("#spro-donnees-invalides", state="detached", timeout=PATIENCE * 1000)
        missing.wait_for_selector("h1:has-text('CIO de Cognac')", timeout=PATIENCE * 1000)
        assert all(url.startswith("https://data.geopf.fr/wmts") for url in page_in.outside_requests)  # (map tiles)
    finally:
        preview.stop()


def test_only_the_preview_builds_pages_from_invalid_data(tmp_path):
    project = project_copy(tmp_path / "projet")
    lieu = project / "data" / "lieux" / "cio-cognac.yaml"
    lieu.write_text(lieu.read_text(encoding="utf-8").replace("nom: CIO", "nom: [CIO"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        env=CHILD_ENV,
    )
    assert result.returncode != 0 and "data/lieux/cio-cognac.yaml:2:" in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_save_builds_from_the_previous_build_and_leaves_no_folder_behind(tmp_path):
    """Each build of the preview sets the previous one aside, to link what it makes the same
    (build_tools/previous_output.py), then keeps its folders, not its files, for the build after: after a save the
    pages are the new ones, and once the server stops, nothing is left in the temporary folder."""
    project = project_copy(tmp_path / "projet")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    preview = Preview(project, env={"TMPDIR": str(temporary)})
    try:
        (served,) = temporary.glob("mkdocs_*")
        unchanged = served / "lieux" / "cio-angouleme" / "index.html"
        inode, folder = unchanged.stat().st_ino, unchanged.parent.stat().st_ino
        lieu = project / "data" / "lieux" / "cio-cognac.yaml"
        lieu.write_text(lieu.read_text(encoding="utf-8").replace("nom: CIO de Cognac", "nom: CIO Cognac centre"))
        preview.wait_for("Reloading browsers")
        status, page = preview.get("lieux/cio-cognac/")
        assert status == 200 and "CIO Cognac centre" in page
        status, page = preview.get("lieux/cio-angouleme/")
        assert status == 200 and "Angoulême" in page
        assert unchanged.stat().st_ino == inode  # (linked from the build before, not written again)
        lieu.write_text(lieu.read_text(encoding="utf-8").replace("nom: CIO Cognac centre", "nom: CIO de Cognac"))
        preview.wait_for("Reloading browsers")
        status, page = preview.get("lieux/cio-cognac/")
        assert status == 200 and "CIO de Cognac" in page
        assert unchanged.stat().st_ino == inode and unchanged.parent.stat().st_ino == folder  # (the first build's)
        assert not [p for p in served.rglob("*") if p.is_dir() and not any(p.iterdir())]  # (no folder left empty)
    finally:
        preview.interrupt()
    assert list(temporary.iterdir()) == []
