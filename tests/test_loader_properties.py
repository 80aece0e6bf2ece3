"""Random and mutated files never crash the loader, and it never accepts an invalid record.

"Invalid" is judged independently of the loader: an accepted lieu must also pass the published
JSON Schema (checked by the ``jsonschema`` package), and mutations that are invalid by
construction (a required key removed, an unknown key, a wrong type) must always be refused.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import DEMO, ROOT, TODAY, VALID_LIEU
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from build_tools import records
from build_tools.loader import DataLoader

SCHEMA = json.loads((ROOT / "schemas" / "lieu.schema.json").read_text(encoding="utf-8"))
BASE = yaml.safe_load(VALID_LIEU)
REQUIRED = [f.name for f in records.LIEU.fields if f.required]
KNOWN = {f.name for f in records.LIEU.fields}


@pytest.fixture(scope="module")
def workspace():
    root = Path(tempfile.mkdtemp()) / "data"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns("lieux", "metiers", "evenements", "geocodage.jsonl"))
    (root / "lieux").mkdir()
    (root / "metiers").mkdir()
    yield root
    shutil.rmtree(root.parent)


def load_one(root: Path, content: bytes):
    path = root / "lieux" / "essai.yaml"
    path.write_bytes(content)
    loader = DataLoader(root, today=TODAY, display_root=root)
    dataset = loader.load()  # must never raise
    return dataset, loader.report


def json_ready(value):
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def assert_accepted_record_is_valid(content: bytes, dataset, report):
    if report.errors:
        assert "essai" not in (dataset.lieux if dataset else {})
        return
    assert dataset is not None and "essai" in dataset.lieux
    document = yaml.safe_load(content.decode("utf-8-sig"))
    jsonschema.validate(json_ready(document), SCHEMA, format_checker=jsonschema.FormatChecker())
    lieu = dataset.lieux["essai"]
    assert lieu.services and set(lieu.services) <= set(dataset.services)
    assert set(lieu.publics) <= set(dataset.publics)
    assert not ("tous-publics" in lieu.publics and len(lieu.publics) > 1)
    assert lieu.verifie_le <= TODAY
    assert all(f.du <= f.au for f in lieu.fermetures)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.dates(dt.date(1990, 1, 1), dt.date(2040, 1, 1)),
    st.sampled_from(
        [
            "api",
            "cep",
            "jeunes",
            "tous-publics",
            "poitiers",
            "86000",
            "86194",
            "Mo-Fr 09:00-12:00",
            "https://exemple.fr",
            "javascript:alert(1)",
            "05 36 49 00 01",
            "<script>alert(1)</script>",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
paths = st.sampled_from(
    sorted(KNOWN)
    + [
        "adresse.voie",
        "adresse.code_postal",
        "adresse.code_insee",
        "contact.telephone",
        "contact.site",
        "fermetures",
        "coordonnees",
    ]
)


def set_path(document: dict, path: str, value) -> dict:
    document = json.loads(json.dumps(document, default=str))
    target = document
    *parents, leaf = path.split(".")
    for parent in parents:
        if not isinstance(target.get(parent), dict):
            target[parent] = {}
        target = target[parent]
    target[leaf] = value
    return document


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(workspace, content):
    dataset, report = load_one(workspace, content)
    assert_accepted_record_is_valid(content, dataset, report)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}#&*!|>'\"%@` \n\t\r,.?0123456789é\x00\ufeff")), max_size=200))
def test_yaml_like_noise_never_crashes(workspace, text):
    dataset, report = load_one(workspace, text.encode("utf-8"))
    assert_accepted_record_is_valid(text.encode("utf-8"), dataset, report)


@SETTINGS
@given(paths, values)
def test_mutated_records_are_refused_or_truly_valid(workspace, path, value):
    document = set_path(BASE, path, value)
    content = yaml.safe_dump(document, allow_unicode=True).encode("utf-8")
    dataset, report = load_one(workspace, content)
    event("accepted" if not report.errors else "refused")
    assert_accepted_record_is_valid(content, dataset, report)


@SETTINGS
@given(st.sampled_from(REQUIRED), st.text(min_size=1, max_size=15).filter(lambda k: k not in KNOWN), values)
def test_invalid_by_construction_is_always_refused(workspace, required, unknown_key, value):
    without_required = {k: v for k, v in json.loads(json.dumps(BASE, default=str)).items() if k != required}
    for document in (without_required, {**json.loads(json.dumps(BASE, default=str)), unknown_key: value}):
        content = yaml.safe_dump(document, allow_unicode=True).encode("utf-8")
        dataset, report = load_one(workspace, content)
        assert report.errors, content
        assert "essai" not in dataset.lieux
