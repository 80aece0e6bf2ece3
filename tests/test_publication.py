"""The publication workflow's build job, run here in its order, so that its next surprise is caught here.

GitHub Pages refuses an artifact whose directories are not 0755 or whose files are not 0644
(``deployment_perms_error``); ``upload-pages-artifact`` makes that artifact with tar from the
built folder. This test takes the build job from .github/workflows/publication.yml and runs its
steps on a copy of the project: checkout is the copy, setup-python and the locked install are this
test environment (installed from the same lock: see test_lock.py), the build step runs its own
command under ``umask 077`` with a private temporary directory, twice (the second build swaps the
first away), then the archive is made with upload-pages-artifact's own tar command and read back.
"""

from __future__ import annotations

import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import yaml
from conftest import ROOT
from site_helpers import project_copy

# actions/upload-pages-artifact@v3, action.yml, « Archive artifact » (Linux).
UPLOAD_PAGES_ARTIFACT = "actions/upload-pages-artifact@v3"
TAR = [
    "tar",
    "--dereference",
    "--hard-dereference",
    "--directory",
    "{path}",
    "-cvf",
    "{archive}",
    "--exclude=.git",
    "--exclude=.github",
    ".",
]


def build_job() -> list[dict]:
    workflow = yaml.safe_load((ROOT / ".github/workflows/publication.yml").read_text(encoding="utf-8"))
    return workflow["jobs"]["construire"]["steps"]


def test_the_build_job_is_what_this_test_runs():
    steps = build_job()
    assert [s.get("uses", "run").split("@")[0] for s in steps] == [
        "actions/checkout",
        "actions/setup-python",
        "run",
        "run",
        "actions/upload-pages-artifact",
    ]
    assert "--require-hashes -r requirements/runtime.txt" in steps[2]["run"]
    # Another version of the action may archive differently: check TAR against its action.yml, then update both.
    assert steps[4]["uses"] == UPLOAD_PAGES_ARTIFACT


def modes(site: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in [site, *site.rglob("*")]:
        info = path.lstat()
        kind = "link" if stat.S_ISLNK(info.st_mode) else "dir" if stat.S_ISDIR(info.st_mode) else "file"
        found.setdefault(f"{kind} {stat.S_IMODE(info.st_mode):o}", set()).add(str(path.relative_to(site)))
    return found


def test_the_build_job_makes_a_deployable_pages_artifact(tmp_path):
    steps = build_job()
    project = project_copy(tmp_path / "checkout")
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir(mode=0o700)
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "TMPDIR": str(private_tmp),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "SOURCE_DATE_EPOCH": "1795219200",
    }
    for _ in range(2):  # a first build, then one that swaps it away
        result = subprocess.run(
            ["bash", "-e", "-c", "umask 077\n" + steps[3]["run"]], cwd=project, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    site = project / steps[4]["with"]["path"]
    on_disk = modes(site)
    assert set(on_disk) == {"dir 755", "file 644"}, {k: sorted(v)[:5] for k, v in on_disk.items()}
    assert {"index.html", "404.html", "donnees/lieux.csv", "sitemap.xml"} <= on_disk["file 644"]

    archive = tmp_path / "artifact.tar"
    subprocess.run(
        [part.format(path=site, archive=archive) for part in TAR],
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
    assert {m.name for m in members if m.isfile()} == {f"./{name}" for name in on_disk["file 644"]}
    assert all(m.isdir() or m.isfile() for m in members)  # no link of any kind reaches Pages
    assert {oct(m.mode) for m in members if m.isdir()} == {"0o755"}
    assert {oct(m.mode) for m in members if m.isfile()} == {"0o644"}
