"""Our refusal of deep nesting says the same French thing whichever libyaml PyYAML bundles.

PyYAML 6.0.4 (libyaml 0.2.6) stops at depth 1,000 with its own English message before our event
check sees depth 13; 6.0.3 (libyaml 0.2.5) lets our check speak. The locked PyYAML runs from the
venv; 6.0.3 from the folder scripts/tests.sh installs it into (requirements/compat/).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT
from locks import locked

PREVIOUS = ROOT / ".cache/pyyaml-6.0.3"
CORPUS_CASE = ROOT / "tests/corpus/lieux/imbrication-profonde.yaml"

# Run in a subprocess, so that the PyYAML on PYTHONPATH is the one imported.
PROBE = """
import json, sys, yaml
from build_tools.yaml_source import TOO_DEEP, read_yaml
inputs = {
    "flow": b"nom: " + b"[" * 50_000 + b"]" * 50_000 + b"\\n",
    "block": b"".join(b"  " * i + b"b:\\n" for i in range(20)) + b"  " * 20 + b"c: 1\\n",
    "list": b"- " * 1_500 + b"x\\n",
    "corpus": open(sys.argv[1], "rb").read(),
}
try:  # just past libyaml 0.2.6's own limit of 1,000 levels
    list(yaml.parse("nom: " + "[" * 1_100 + "]" * 1_100, Loader=yaml.CSafeLoader))
    libyaml_refuses = False
except yaml.YAMLError as exc:
    libyaml_refuses = "exceeded maximum nesting depth" in str(exc)
results = {name: [(d.line, d.message) for d in read_yaml(data, "lieux/x.yaml")[1]] for name, data in inputs.items()}
print(json.dumps({"version": yaml.__version__, "libyaml": yaml.__with_libyaml__, "too_deep": TOO_DEEP,
                  "libyaml_refuses": libyaml_refuses, "results": results}))
"""


def probe(*path: str) -> dict:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": os.pathsep.join([*path, str(ROOT)])}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(CORPUS_CASE)], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def runs() -> tuple[dict, dict]:
    """(locked PyYAML, PyYAML 6.0.3): what each says about the same inputs."""
    if not (PREVIOUS / "yaml").is_dir():
        message = f"PyYAML 6.0.3 absent de {PREVIOUS} : lancez ./scripts/tests.sh, qui l'installe."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return probe(), probe(str(PREVIOUS))


def test_both_pyyaml_versions_give_our_french_message(runs):
    current, previous = runs
    assert current["version"] == locked(ROOT / "requirements/test.txt")["pyyaml"].version
    assert previous["version"] == "6.0.3"
    assert current["libyaml"] and previous["libyaml"]
    for run in runs:
        assert run["too_deep"] == "imbrication trop profonde (plus de 12 niveaux)"
        for name, diagnostics in run["results"].items():
            assert [message for _, message in diagnostics] == [run["too_deep"]], (run["version"], name)
    assert current["results"] == previous["results"]  # same message on the same line


def test_the_newer_libyaml_refuses_by_itself(runs):
    """Why the mapping exists: libyaml 0.2.5 lets our check speak; the locked one refuses first."""
    current, previous = runs
    assert (previous["libyaml_refuses"], current["libyaml_refuses"]) == (False, True)
