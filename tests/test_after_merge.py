"""After the merge: the layout normalised by a pull request, and the freshness issues, as the workflows run them.

The jobs holding a write permission run only git, gh and the shell (tests/test_repository.py checks it):
here their ``run`` steps run with bash, a real git and a stand-in ``gh`` that records its arguments and
answers ``gh … list`` with what GitHub's ``--jq`` would print.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT
from site_helpers import GIT_IDENTITY, commit_all, git, git_project

FAKE_GH = """#!/bin/bash
printf '%s\\n' "$*" >> "$GH_LOG"
case "$1 $2" in
  "issue list") cat "$GH_ISSUES" ;;
  "pr list") cat "$GH_PULLS" ;;
esac
"""


def workflow_job(name: str, job: str) -> dict:
    return yaml.safe_load((ROOT / ".github/workflows" / name).read_text(encoding="utf-8"))["jobs"][job]


def fake_gh(tmp_path: Path, issues: str = "", pulls: str = "") -> dict:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
    os.chmod(bin_dir / "gh", 0o755)
    (tmp_path / "issues.tsv").write_text(issues, encoding="utf-8")
    (tmp_path / "pulls.txt").write_text(pulls, encoding="utf-8")
    return {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "GH_LOG": str(tmp_path / "gh.log"),
        "GH_ISSUES": str(tmp_path / "issues.tsv"),
        "GH_PULLS": str(tmp_path / "pulls.txt"),
        **GIT_IDENTITY,
    }


def bash(script: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


def test_a_merged_browser_edit_is_normalised_by_a_pull_request(tmp_path):
    # main after the merge of a browser edit: valid content, a layout of its own.
    project = git_project(tmp_path / "depot")
    git(project, "checkout", "--quiet", "main")
    lieu = project / "data/lieux/cio-poitiers.yaml"
    messy = lieu.read_text(encoding="utf-8").replace("services: [api]", "services:\n    - api").rstrip("\n")
    lieu.write_text(messy, encoding="utf-8")
    commit_all(project, "Update cio-poitiers.yaml")
    remote = tmp_path / "origine.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(project), str(remote))

    # The read-only job: spro format, then the patch (an artifact).
    preparer = next(
        s for s in workflow_job("publication.yml", "preparer-mise-en-forme")["steps"] if s.get("id") == "format"
    )
    output = tmp_path / "github-output"
    output.touch()
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "GITHUB_OUTPUT": str(output),
    }
    result = bash(preparer["run"], project, env)
    assert result.returncode == 0, result.stderr
    assert output.read_text(encoding="utf-8") == "a_faire=true\n"
    patch = tmp_path / "artefact/mise-en-forme.patch"
    patch.parent.mkdir()
    (project / "mise-en-forme.patch").rename(patch)

    # The writing job: a fresh checkout of main, the patch applied, pushed, a pull request opened.
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "--quiet", str(remote), str(checkout))
    proposer = workflow_job("publication.yml", "proposer-mise-en-forme")["steps"][-1]
    env = {**fake_gh(tmp_path), "PATCH": str(patch), "GITHUB_REF_NAME": "main"}
    result = bash(proposer["run"], checkout, env)
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "gh.log").read_text(encoding="utf-8").splitlines()
    assert calls[0] == "pr list --head spro/mise-en-forme --state open --json number --jq .[0].number"
    assert calls[1].startswith(
        "pr create --head spro/mise-en-forme --base main --title Mise en forme des données "
        "(automatique) --body Fichiers remis en forme par « spro format »"
    )
    formatted = git(remote, "show", "spro/mise-en-forme:data/lieux/cio-poitiers.yaml")
    assert "services: [api]\n" in formatted and formatted.endswith("\n")
    assert yaml.safe_load(formatted) == yaml.safe_load(messy)  # same data
    assert git(remote, "diff", "--name-only", "main", "spro/mise-en-forme") == "data/lieux/cio-poitiers.yaml\n"

    # The next run finds the pull request open: the branch is updated, no second pull request.
    (tmp_path / "pulls.txt").write_text("7\n", encoding="utf-8")
    (tmp_path / "gh.log").unlink()
    git(checkout, "reset", "--quiet", "--hard", "origin/main")
    assert bash(proposer["run"], checkout, env).returncode == 0
    assert [c.split()[:2] for c in (tmp_path / "gh.log").read_text(encoding="utf-8").splitlines()] == [["pr", "list"]]


def test_the_freshness_job_edits_creates_and_closes_one_issue_per_network(tmp_path):
    tickets = tmp_path / "tickets"
    tickets.mkdir()
    (tickets / "mission-locale.md").write_text("Fiches à vérifier : Mission locale\nCorps ML\n", encoding="utf-8")
    (tickets / "cio.md").write_text(
        "Fiches à vérifier : Centre d'information et d'orientation (CIO)\nCorps CIO\n", encoding="utf-8"
    )
    (tickets / "tickets.txt").write_text("cio.md\nmission-locale.md\n", encoding="utf-8")
    env = fake_gh(tmp_path, issues="12\tFiches à vérifier : Mission locale\n3\tFiches à vérifier (plus de 12 mois)\n")
    step = workflow_job("fraicheur.yml", "tickets")["steps"][-1]
    result = bash(step["run"], tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "gh.log").read_text(encoding="utf-8").splitlines() == [
        "label create fraicheur --color FBCA04 --description Fiches à vérifier --force",
        'issue list --label fraicheur --state open --limit 1000 --json number,title --jq .[] | "\\(.number)\\t\\(.title)"',
        "issue create --title Fiches à vérifier : Centre d'information et d'orientation (CIO) --label fraicheur "
        "--body-file corps.md",
        "issue edit 12 --body-file corps.md",
        "issue close 3 --comment Plus aucune fiche à vérifier dans ce ticket : merci !",
    ]
    assert (tmp_path / "corps.md").read_text(encoding="utf-8") == "Corps ML\n"
