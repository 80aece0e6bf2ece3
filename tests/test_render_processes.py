"""The generated pages rendered by two processes (build_tools/mkdocs_adapter/second_process.py): the same site, byte
for byte, as one process writes; the child's failures, warnings and death handled by the parent as one process would
have; no fork where it would lose a plugin's work or cannot be made."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import signal
import subprocess
import sys

import pytest
from site_helpers import CHILD_ENV, project_copy

from build_tools.mkdocs_adapter.second_process import Outcome, SecondProcess, Shares
from build_tools.pipeline import BuildFailed

needs_two_cores = pytest.mark.skipif(
    sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2, reason="un seul cœur, ou pas Linux"
)


def site_digests(site) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


SPLIT = re.compile(r"Rendu en deux processus : (\d+) pages rendues par le second")


def mkdocs_build(project, processes: int, hook: str | None = None) -> subprocess.CompletedProcess:
    """``mkdocs build -v`` (its debug log says how many pages the second process rendered)."""
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - spro:\n", f"  - spro:\n      render_processes: {processes}\n", 1)
    if hook is not None:
        (project / "hook.py").write_text(hook, encoding="utf-8")
        config += f"hooks:\n  - {project / 'hook.py'}\n"
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-v", "-d", str(project / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        env={**CHILD_ENV, "SOURCE_DATE_EPOCH": "1795219200"},
    )


@needs_two_cores
def test_two_processes_write_the_same_site_as_one(tmp_path):
    sites, split = {}, {}
    for processes in (1, 2):
        project = project_copy(tmp_path / f"p{processes}")
        result = mkdocs_build(project, processes)
        assert result.returncode == 0, result.stderr[-3000:]
        sites[processes] = site_digests(project / "site")
        split[processes] = SPLIT.findall(result.stderr)
        assert "Page skipped" not in result.stderr  # (MkDocs' word for the pages the other process wrote)
    assert split[1] == [] and int(split[2][0]) > 50
    assert len(sites[2]) > 250
    assert sites[2] == sites[1]


@needs_two_cores
def test_a_plugin_that_sees_each_page_keeps_the_build_in_one_process(tmp_path):
    """What a hook collects as pages are rendered would be lost in the child: with one, nothing forks."""
    project = project_copy(tmp_path / "p")
    count = tmp_path / "count.txt"
    result = mkdocs_build(
        project,
        2,
        "pages = []\n"
        "def on_post_page(output, page, config):\n"
        "    if output:\n"
        "        pages.append(page.file.src_uri)\n"
        "    return output\n"
        "def on_post_build(config):\n"
        f"    open({str(count)!r}, 'w').write(str(len(pages)))\n",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert SPLIT.findall(result.stderr) == []
    assert int(count.read_text()) == len(list((project / "site").rglob("index.html")))


CHILD_FAILS = """
import os, sys
from pathlib import Path
from build_tools import pipeline
from build_tools.mkdocs_adapter.build import build_site
parent, secure = os.getpid(), pipeline.secure_page
def failing(page, where, origin):
    if os.getpid() != parent and where.startswith("lieux/"):
        {raise_it}
    return secure(page, where, origin)
pipeline.secure_page = failing
try:
    build_site(Path("mkdocs.yml"), Path("site"))
except Exception as failure:
    print(type(failure).__name__, failure)
"""


@needs_two_cores
@pytest.mark.parametrize(
    ("raise_it", "expected"),
    [
        ("raise pipeline.BuildFailed(f'{where} contient un contenu actif inattendu')", "BuildFailed lieux/"),
        ("raise RuntimeError('boum')", "RuntimeError boum"),
    ],
)
def test_a_failure_in_the_child_is_the_one_a_single_process_raises(tmp_path, raise_it, expected):
    """The pipeline's own failure stays French and typed; any other exception reaches the caller as itself (``spro``
    then says « Erreur inattendue », as for one process). The previous site stays."""
    project = project_copy(tmp_path / "p")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("précédent", encoding="utf-8")
    (project / "site" / ".spro-site").write_text("", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", CHILD_FAILS.replace("{raise_it}", raise_it)],
        cwd=project,
        capture_output=True,
        text=True,
        env={**CHILD_ENV, "SOURCE_DATE_EPOCH": "1795219200"},
    )
    assert result.stdout.startswith(expected), result.stdout + result.stderr[-2000:]
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "précédent"


@needs_two_cores
def test_no_fork_possible_leaves_every_page_to_one_process(tmp_path):
    project = project_copy(tmp_path / "p")
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "def refused():\n"
        "    raise BlockingIOError(11, 'Resource temporarily unavailable')\n"
        "os.fork = refused\n"
        "from build_tools.mkdocs_adapter.build import build_site\n"
        "build_site(Path('mkdocs.yml'), Path('site'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=project,
        capture_output=True,
        text=True,
        env={**CHILD_ENV, "SOURCE_DATE_EPOCH": "1795219200"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(list((project / "site" / "lieux").iterdir())) == len(list((project / "data" / "lieux").iterdir()))


def test_the_two_ends_of_the_list_are_taken_once_each():
    shares = Shares(5)
    assert shares.take_front(0) and shares.take_back(4) and shares.take_back(3)
    assert shares.take_front(1) and shares.take_front(2)
    assert not shares.take_back(2) and not shares.take_front(3)


def test_a_child_that_dies_holding_the_lock_does_not_hang_the_parent():
    """The system releases a ``lockf`` lock with its holder (a semaphore would stay taken for ever)."""
    shares = Shares(3)
    pid = os.fork()
    if pid == 0:  # the child dies in the middle of taking index 2
        shares._locked(lambda front, back: os._exit(0))
    os.waitpid(pid, 0)
    fcntl.lockf(shares.lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free (raises if still held)
    fcntl.lockf(shares.lock_file, fcntl.LOCK_UN)
    assert shares.take_front(0) and shares.take_back(2)


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

    failure = SecondProcess.start(fail).outcome().failure
    assert type(failure) is RuntimeError and str(failure) == "lieux/b/index.html contient un contenu actif inattendu"

    def die() -> Outcome:
        os._exit(3)

    failure = SecondProcess.start(die).outcome().failure
    assert isinstance(failure, BuildFailed)
    assert str(failure).startswith("le processus qui rendait une partie des pages s'est arrêté (code de sortie 3) : ")

    def killed() -> Outcome:
        os.kill(os.getpid(), signal.SIGKILL)

    assert "(tué par le signal 9)" in str(SecondProcess.start(killed).outcome().failure)


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
        env={**CHILD_ENV, "SOURCE_DATE_EPOCH": "1795219200"},
    )
    assert result.returncode == 0, result.stderr
    assert len(site_digests(first / "site")) > 250
    assert site_digests(second / "site") == site_digests(first / "site")


PREPARED_TWICE = """
import gc, sys
from pathlib import Path
from build_tools import pipeline
project = Path(".").resolve()
def prepared():
    return pipeline.prepare(project, project / "data", project / "docs", None, "actualites")
kept = prepared()
print(gc.isenabled(), gc.get_freeze_count() > 10 * len(kept.dataset.lieux))
(project / "data" / "site.yaml").write_text("nom: [", encoding="utf-8")
try:
    prepared()
except pipeline.InvalidSources:
    print(gc.isenabled())
"""


def test_what_the_build_prepares_is_left_out_of_garbage_collection_which_stays_on(tmp_path):
    """The dataset and the generated pages, made once for the whole build, are frozen out of Python's cyclic garbage
    collector (which walked them again and again, to find nothing); the collector itself stays on, failure or not."""
    project = project_copy(tmp_path / "p")
    result = subprocess.run(
        [sys.executable, "-c", PREPARED_TWICE], cwd=project, capture_output=True, text=True, env=CHILD_ENV
    )
    assert result.stdout.split() == ["True", "True", "True"], result.stdout + result.stderr[-2000:]
