"""The generated pages rendered by two processes (build_tools/mkdocs_adapter/second_process.py): the same site, byte
for byte, as one process writes; the child's failures, warnings and death handled by the parent."""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys

import pytest
from site_helpers import ROOT, project_copy, spro

from build_tools.mkdocs_adapter.second_process import Outcome, SecondProcess, Shares

needs_two_cores = pytest.mark.skipif(
    sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2, reason="un seul cœur, ou pas Linux"
)


def site_digests(site) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


@needs_two_cores
def test_two_processes_write_the_same_site_as_one(tmp_path):
    """A hook notes which process writes each page (without changing it): both did, and the bytes are those of a
    build in one process."""
    sites = {}
    for processes in (1, 2):
        project = project_copy(tmp_path / f"p{processes}")
        hook = project / "who.py"
        hook.write_text(
            "import os\n"
            "def on_post_page(output, page, config):\n"
            "    if output:\n"
            f"        with open({str(tmp_path / f'who-{processes}.txt')!r}, 'a') as who:\n"
            "            who.write(f'{os.getpid()} {page.file.src_uri}\\n')\n"
            "    return output\n"
        )
        config = (project / "mkdocs.yml").read_text(encoding="utf-8")
        config = config.replace("  - spro:\n", f"  - spro:\n      render_processes: {processes}\n", 1)
        (project / "mkdocs.yml").write_text(config + f"hooks:\n  - {hook}\n", encoding="utf-8")
        result = spro(project, "build", env={"SOURCE_DATE_EPOCH": "1795219200"})
        assert result.returncode == 0, result.stderr
        sites[processes] = site_digests(project / "site")

    writers = {}
    for processes in (1, 2):
        for line in (tmp_path / f"who-{processes}.txt").read_text().splitlines():
            pid, page = line.split(" ", 1)
            writers.setdefault(processes, {})[page] = pid
    assert len(set(writers[1].values())) == 1
    assert len(set(writers[2].values())) == 2
    assert writers[2].keys() == writers[1].keys()  # each page written once, by one of them
    assert len(sites[2]) > 250
    assert sites[2] == sites[1]


def test_the_two_ends_of_the_list_are_taken_once_each():
    shares = Shares(5)
    assert shares.take_front(0) and shares.take_back(4) and shares.take_back(3)
    assert shares.take_front(1) and shares.take_front(2)
    assert not shares.take_back(2) and not shares.take_front(3)


def test_the_childs_pages_its_warnings_and_its_failure_reach_the_parent():
    def render() -> Outcome:
        logging.getLogger("mkdocs.structure.pages").warning("lien cassé dans lieux/a.md")
        return Outcome(secured={"lieux/a/index.html"})

    outcome = SecondProcess.start(render).outcome()
    assert outcome == Outcome(
        secured={"lieux/a/index.html"},
        warnings=[("mkdocs.structure.pages", logging.WARNING, "lien cassé dans lieux/a.md")],
    )

    def fail() -> Outcome:
        raise RuntimeError("lieux/b/index.html contient un contenu actif inattendu")

    assert SecondProcess.start(fail).outcome().failure == "lieux/b/index.html contient un contenu actif inattendu"

    def die() -> Outcome:
        os._exit(3)

    assert SecondProcess.start(die).outcome().failure == "le second processus de rendu s'est arrêté (code 3)"


def test_a_child_still_rendering_is_killed_when_the_parent_stops():
    """The parent's build failed or was interrupted: nothing may write into its staging folder any more."""
    reader, writer = os.pipe()

    def wait_forever() -> Outcome:
        os.read(reader, 1)  # nothing is ever written
        return Outcome()

    child = SecondProcess.start(wait_forever)
    pid = child.pid
    child.stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: gone
    os.close(reader)
    os.close(writer)


@needs_two_cores
def test_a_second_build_in_the_same_process_writes_every_page(tmp_path):
    """MkDocs keeps its plugins from one build to the next in one process (as ``mkdocs serve`` does): nothing of the
    first build's split may leak into the second."""
    first, second = project_copy(tmp_path / "a"), project_copy(tmp_path / "b")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from build_tools.mkdocs_adapter.build import build_site\n"
        "for project in sys.argv[1:]:\n"
        "    build_site(Path(project) / 'mkdocs.yml', Path(project) / 'site')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(first), str(second)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1795219200"},
    )
    assert result.returncode == 0, result.stderr
    assert len(site_digests(first / "site")) > 250
    assert site_digests(second / "site") == site_digests(first / "site")
