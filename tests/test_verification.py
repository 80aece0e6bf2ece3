"""The pull requests' check, run here as the workflow runs it: a browser edit, and a broken change.

This test takes the verifier job of .github/workflows/verification.yml and runs its steps in order in a git
repository whose ``origin/main`` holds the published data and whose ``HEAD`` holds the pull request (as in the
job's checkout with ``fetch-depth: 0``): checkout is that repository, setup-python and the locked install are
this test environment, each ``run`` step runs with bash as GitHub runs it (``-eo pipefail``) and its ``env``,
and every step runs whatever the previous ones did (the steps' ``if`` says so: checked below).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from site_helpers import commit_all, git_project, settle

WORKFLOW = ROOT / ".github/workflows/verification.yml"


def verifier_steps() -> list[dict]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["verifier"]["steps"]


def test_the_verifier_job_is_what_this_test_runs():
    steps = verifier_steps()
    assert [s.get("uses", "run").split("@")[0] for s in steps] == [
        "actions/checkout",
        "actions/setup-python",
        "run",
        "run",
        "run",
        "run",
        "run",
        "run",
        "actions/upload-artifact",
    ]
    assert steps[0]["with"]["fetch-depth"] == 0  # origin/main is known, as here
    assert "--require-hashes -r requirements/runtime.txt" in steps[2]["run"]
    assert all(step["if"] == "${{ !cancelled() && steps.installation.outcome == 'success' }}" for step in steps[3:-1])
    assert steps[-1]["if"] == "${{ !cancelled() && steps.construction.outcome == 'success' }}"
    assert steps[-1]["with"]["path"] == "site/"


@pytest.fixture
def job_env(tmp_path) -> dict:
    summary = tmp_path / "resume.md"
    summary.touch()
    return {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "GITHUB_STEP_SUMMARY": str(summary),
        "SOURCE_DATE_EPOCH": "1795219200",
    }


def run_verifier(project: Path, env: dict, only: str = "") -> dict[str, subprocess.CompletedProcess]:
    """Each run step after the installation (or those whose name starts with ``only``), in order, by name."""
    results = {}
    for step in verifier_steps()[3:-1]:
        if not step["name"].startswith(only):
            continue
        step_env = {
            name: value.replace("${{ github.base_ref }}", "main") for name, value in step.get("env", {}).items()
        }
        assert "${{" not in step["run"]
        results[step["name"]] = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=project,
            env={**env, **step_env},
            capture_output=True,
            text=True,
        )
    return results


def by_start(results: dict, start: str) -> subprocess.CompletedProcess:
    return next(result for name, result in results.items() if name.startswith(start))


def browser_edit(path: Path) -> None:
    """New hours, typed in GitHub's editor with a layout of one's own: fields moved, a list one item a line,
    4-space indentation, a trailing space, no newline at the end."""
    text = path.read_text(encoding="utf-8")
    text = text.replace('horaires: "Mo,We,Fr 09:00-12:00,14:00-17:00; PH off"', 'horaires: "Mo-Fr 09:00-12:30; PH off"')
    text = text.replace(
        "  telephone: 05 36 49 10 80\n  courriel: accueil.poitiers@cio.exemple.fr\n",
        "  courriel: accueil.poitiers@cio.exemple.fr\n  telephone: 05 36 49 10 80\n",
    )
    text = text.replace("services: [api]", "services:\n  - api")
    text = re.sub(r"^  (voie|code_postal|commune|code_insee):", r"    \1:", text, flags=re.M)
    text = text.replace("sur_rendez_vous: false\n", "sur_rendez_vous: false \n")
    start, end = text.index("fermetures:"), text.index("contact:")
    text = text[:start] + text[end:] + text[start:end]
    path.write_text(text.rstrip("\n"), encoding="utf-8")


@pytest.fixture(scope="module")
def browser_edit_run(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("verification")
    project = git_project(tmp_path / "depot")
    browser_edit(project / "data/lieux/cio-poitiers.yaml")
    commit_all(project, "Update cio-poitiers.yaml")
    summary = tmp_path / "resume.md"
    summary.touch()
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "GITHUB_STEP_SUMMARY": str(summary),
        "SOURCE_DATE_EPOCH": "1795219200",
    }
    return project, run_verifier(project, env), summary.read_text(encoding="utf-8")


def test_a_browser_edit_with_a_layout_of_its_own_gets_a_green_check(browser_edit_run):
    project, results, _ = browser_edit_run
    assert {name: result.returncode for name, result in results.items()} == dict.fromkeys(results, 0), {
        name: result.stdout + result.stderr for name, result in results.items() if result.returncode
    }
    assert "::error" not in "".join(result.stdout for result in results.values())
    after_merge = " ; corrigé automatiquement après la fusion, ou par spro format"
    assert by_start(results, "Mise en forme").stdout.splitlines() == [
        f"::notice file=data/lieux/cio-poitiers.yaml,line=6,col=1::mise en forme : indentation : 4 espaces au lieu de 2 "
        f"(et 3 autres lignes){after_merge}",
        f"::notice file=data/lieux/cio-poitiers.yaml,line=11,col=1::mise en forme : listes : « services » s'écrit [api]"
        f"{after_merge}",
        f"::notice file=data/lieux/cio-poitiers.yaml,line=15,col=1::mise en forme : espaces en fin de ligne{after_merge}",
        f"::notice file=data/lieux/cio-poitiers.yaml,line=19,col=1::mise en forme : ordre des champs : « telephone » se "
        f"range avant « courriel » (et 1 autre ligne){after_merge}",
        f"::notice file=data/lieux/cio-poitiers.yaml,line=32,col=1::mise en forme : pas de retour à la ligne après la "
        f"dernière ligne{after_merge}",
    ]
    assert (project / "site/index.html").is_file()  # the upload step's condition holds: the preview is uploaded


def test_the_summary_says_in_french_what_changes_on_the_site(browser_edit_run):
    _, _, summary = browser_edit_run
    assert summary.startswith(
        "## Ce qui change sur le site\n\nDe `origin/main` à `HEAD`.\n\n### Lieux modifiés (1)\n\n"
        "- **CIO de Poitiers** (`lieux/cio-poitiers/`)\n  - Horaires : lundi, mercredi et vendredi : "
        "9 h – 12 h, 14 h – 17 h ; fermé les jours fériés → du lundi au vendredi : 9 h – 12 h 30 ; "
        "fermé les jours fériés\n\n### Pages du site concernées (6)\n"
    )


def test_the_preview_opens_from_disk(browser_edit_run, browser):
    project, _, _ = browser_edit_run
    site = project / "site"
    apercu = (site / "apercu.html").read_text(encoding="utf-8")
    assert '<a href="lieux/cio-poitiers/index.html"><strong>CIO de Poitiers</strong></a>' in apercu
    context = browser.new_context(locale="fr-FR")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    page_in = context.new_page()
    page_in.goto((site / "apercu.html").as_uri())
    page_in.click("text=CIO de Poitiers")
    page_in.wait_for_url("**/lieux/cio-poitiers/index.html")
    settle(page_in)
    assert "CIO de Poitiers" in page_in.title() and "9&nbsp;h – 12&nbsp;h&nbsp;30" in page_in.content()  # the new hours
    # Every link of the page to a folder of the site names its index.html: no folder listing from disk.
    links = page_in.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    internal = [link for link in links if not re.match(r"^(?:[a-z]+:|#)", link)]
    assert internal and all(
        link.split("#")[0].split("?")[0].endswith((".html", ".ics", ".xml", ".csv", ".json", ".geojson"))
        for link in internal
    ), internal
    page_in.click("a[href='../../reseaux/cio/index.html']")
    page_in.wait_for_url("**/reseaux/cio/index.html")
    assert page_in.locator("h1").first.inner_text() == "Centre d'information et d'orientation (CIO)"
    context.close()


def test_a_broken_change_gets_all_its_feedback_in_one_run(tmp_path, job_env):
    project = git_project(tmp_path / "depot")
    (project / "data/lieux/france-travail-niort.yaml").unlink()  # an event still names it
    accented = project / "data/lieux/mission-locale-é.yaml"
    accented.write_text((project / "data/lieux/cio-poitiers.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    cio = project / "data/lieux/cio-poitiers.yaml"
    cio.write_text(cio.read_text(encoding="utf-8").replace("services: [api]", "services:\n  - api"), encoding="utf-8")
    commit_all(project)
    results = run_verifier(project, job_env)
    validation, layout, schemas, build, summary_step = results.values()
    event = project / "data/evenements/2027-02-job-dating-aide-a-domicile-niort.yaml"
    line = event.read_text(encoding="utf-8").splitlines().index("lieu: france-travail-niort") + 1
    assert validation.returncode == 1
    assert validation.stdout.splitlines() == [
        f"::error file=data/evenements/2027-02-job-dating-aide-a-domicile-niort.yaml,line={line},col=7::lieu : lieu "
        "inconnu « france-travail-niort ». Vouliez-vous dire « france-travail-civray » ?",
        "::error file=data/lieux/mission-locale-é.yaml::nom de fichier invalide (lettres minuscules sans accent, "
        "chiffres et tirets, par exemple mission-locale-poitiers.yaml) : renommez-le « mission-locale-e.yaml »",
    ]
    assert layout.returncode == 0 and layout.stdout.startswith(
        "::notice file=data/lieux/cio-poitiers.yaml,line=11,col=1::mise en forme : listes : « services » s'écrit [api]"
    )
    assert schemas.returncode == 0
    assert build.returncode == 1 and build.stdout == (
        "::error::site non construit : 2 erreurs dans les données ou les pages (spro validate les signale sur leurs lignes)\n"
    )
    assert not (project / "site").exists()  # so the preview upload is skipped
    assert summary_step.returncode == 0
    summary = Path(job_env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert "### Lieux supprimés (1)\n\n- **France Travail Niort** (`lieux/france-travail-niort/`)\n" in summary
    assert "### Lieux invalides (1)\n\n- **mission-locale-é** : fiche invalide" in summary
    assert "### Événements invalides (1)\n\n- **2027-02-job-dating-aide-a-domicile-niort** : fiche invalide" in summary


def test_a_new_service_without_regenerated_schemas_fails_with_the_command_to_run(tmp_path, job_env):
    project = git_project(tmp_path / "depot")
    services = project / "data/services.yaml"
    text = services.read_text(encoding="utf-8")
    start = text.index("\nvae:")
    services.write_text(text + text[start:].replace("\nvae:", "\nbilan:", 1), encoding="utf-8")
    commit_all(project)
    schemas = by_start(run_verifier(project, job_env, only="Schémas"), "Schémas")
    assert schemas.returncode == 1
    stale = (
        "n'est plus à jour (un service, un réseau, un public ou un bassin a changé, ou le contrat) : lancez « spro "
        "schemas » et ajoutez le résultat à la pull request"
    )
    assert schemas.stdout.splitlines() == [
        f"::error file={name}::{stale}"
        for name in ("CONTRIBUTING.md", "schemas/lieu.schema.json", "schemas/synonymes.schema.json")
    ]
