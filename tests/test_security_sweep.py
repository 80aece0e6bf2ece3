"""The sweep: canary payloads in every field of every kind of file, enumerated from the contracts.

1. Classification: each (field, payload) is written alone into an otherwise valid file and
   validated. Either the file is accepted, or every error is about that very field, in French.
2. Build: for each payload, one record of each kind carries it in every field that accepted it;
   the site is built from that project.
3. Nothing was evaluated (no template ran, no environment leaked, nothing written outside
   ``site/``), no page holds an executable script or handler, every page has the same policy,
   and in Chromium no dialog fires and no policy violation is reported on the pages showing them.

A new field in a contract joins the sweep by itself; the base documents below must then hold it
(``test_the_base_documents_cover_every_field`` says which is missing).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import DEMO
from site_helpers import StaticServer, build, parse, project_copy

from build_tools import records
from build_tools.active_content import active_content
from build_tools.contract import Kind, ListOf, MapOf, Struct
from build_tools.docs_contract import FRONT_MATTER, check_docs
from build_tools.geocache import Entry, cache_key
from build_tools.loader import DataLoader

CANARY_FILE = "sweep-canary"
PAYLOADS = [
    '{{ "CANARI" ~ "EVALUE" }}{% raw %}',
    '${"CANARI" + "JS"}',
    "<script>alert('s1')</script>",
    "\"><img src=x onerror=alert('s2')>",
    "</title><script>alert('s3')</script>",
    "'><svg onload=alert('s4')>",
    "</script><script>alert('s5')</script>",
    "javascript:alert('s6')",
    '=HYPERLINK("https://x.fr")',
    "a\u202eb\u200bc\x1b[2J",
    "x\x00y",
    f"{{{{cycler.__init__.__globals__.os.system('touch {CANARY_FILE}')}}}}",
    "{{lipsum.__globals__.os.environ}}",
]
EVALUATED = ("CANARIEVALUE", "CANARIJS")  # what the first two payloads become if a template engine runs them
SECRET = "secret-du-balayage-qui-ne-doit-pas-fuiter"
TODAY = dt.date.today()


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dump(document) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=10_000)


# -- the contracts' fields ------------------------------------------------------------------------


def leaves(kind: Kind, prefix: str = ""):
    """(path, kind) of every value a contract reads, lists by their first item: ``fermetures[1].motif``."""
    if isinstance(kind, Struct):
        for field in kind.fields:
            yield from leaves(field.kind, f"{prefix}.{field.name}" if prefix else field.name)
    elif isinstance(kind, ListOf):
        yield from leaves(kind.item, f"{prefix}[1]")
    else:
        yield prefix, kind


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str):
    return [(name, int(index) - 1 if index else None) for name, index in _STEP.findall(path)]


def get(document, path: str):
    for name, index in _steps(path):
        document = document[name] if index is None else document[index]
    return document


def put(document, path: str, value) -> None:
    steps = _steps(path)
    for name, index in steps[:-1]:
        document = document[name] if index is None else document[index]
    name, index = steps[-1]
    if index is None:
        document[name] = value
    else:
        document[index] = value


def has(document, path: str) -> bool:
    try:
        get(document, path)
    except (KeyError, IndexError, TypeError):
        return False
    return True


# -- base documents: a demo file, completed so that every field of the contract is present -----------


def merge(base: dict, extra: dict) -> dict:
    result = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result.setdefault(key, value)
    return result


def base_lieu() -> dict:
    return merge(
        load_yaml(DEMO / "lieux/mission-locale-poitiers.yaml"),
        {
            "id": "x",
            "coordonnees": {"lat": 46.58, "lon": 0.34},
            "fermetures": [{"du": TODAY.isoformat(), "au": TODAY.isoformat(), "motif": "Travaux"}],
            "adresse": {"complement": "2e étage"},
            "accessibilite": {"acceslibre": "https://acceslibre.beta.gouv.fr/x"},
            "label": {"depuis": dt.date(2024, 1, 1)},
            "verifie_le": TODAY - dt.timedelta(days=10),
        },
    )


def base_evenement() -> dict:
    document = load_yaml(DEMO / "evenements/2027-01-forum-orientation-poitiers.yaml")
    document["date"] = TODAY + dt.timedelta(days=30)
    document["date_fin"] = TODAY + dt.timedelta(days=31)
    return merge(document, {"id": "x", "lieu": "mission-locale-poitiers", "en_ligne": False})


def base_metier() -> dict:
    return merge(load_yaml(DEMO / "metiers/K2111.yaml"), {"code": "K2111"})


def base_bassin() -> dict:
    return merge(load_yaml(DEMO / "bassins/poitiers.yaml"), {"code": "poitiers", "description": "Le bassin."})


def base_entry(table: str) -> dict:
    entries = load_yaml(DEMO / f"{table}.yaml")
    first = copy.deepcopy(next(iter(entries.values())))
    extra = {
        "publics": {"description": "Précisions.", "public_data_inclusion": "jeunes"},
        "reseaux": {
            "reseau_porteur_data_inclusion": "mission-locale",
            "type_service_public": "mission_locale",
            "anciens_noms": ["Ancien nom"],
        },
        "services": {},
        "synonymes": {"services": ["cep"], "publics": ["jeunes"], "reseaux": ["mission-locale"]},
    }[table]
    return merge(first, extra)


def base_site() -> dict:
    return merge(
        load_yaml(DEMO / "site.yaml"),
        {
            "geocodage": {"score_minimal": 0.6},
            "carte": {
                "tuiles": "https://tuiles.exemple.fr/{z}/{x}/{y}.png",
                "attribution": "© [Exemple](https://www.exemple.fr)",
            },
        },
    )


def base_front_matter() -> dict:
    return {
        "title": "Titre",
        "description": "Résumé.",
        "date": TODAY - dt.timedelta(days=1),
        "categories": ["Label"],
        "draft": False,
        "slug": "balayage",
        "hide": ["toc"],
        "search": {"exclude": False},
    }


def with_examples(contract: Struct, document: dict) -> dict:
    """The document, with each field it lacks taken from the contract's example (a new field is swept as soon as
    it is declared with one)."""
    for spec in contract.fields:
        if spec.name not in document and spec.example is not None:
            document[spec.name] = copy.deepcopy(spec.example)
        elif isinstance(spec.kind, Struct) and isinstance(document.get(spec.name), dict):
            with_examples(spec.kind, document[spec.name])
    return document


FILE_KINDS = {  # kind -> (contract, base document)
    "lieu": (records.LIEU, base_lieu),
    "evenement": (records.EVENEMENT, base_evenement),
    "metier": (records.METIER, base_metier),
    "bassin": (records.BASSIN, base_bassin),
    "site": (records.SITE, base_site),
    "service": (records.SERVICES.value, lambda: base_entry("services")),
    "reseau": (records.RESEAUX.value, lambda: base_entry("reseaux")),
    "public": (records.PUBLICS.value, lambda: base_entry("publics")),
    "synonyme": (records.SYNONYMES.value, lambda: base_entry("synonymes")),
    "front-matter": (FRONT_MATTER, base_front_matter),
}
FILE_KINDS = {
    kind: (contract, lambda contract=contract, base=base: with_examples(contract, base()))
    for kind, (contract, base) in FILE_KINDS.items()
}


@pytest.mark.parametrize("kind", FILE_KINDS)
def test_the_base_documents_cover_every_field(kind):
    contract, base = FILE_KINDS[kind]
    assert all(
        isinstance(records_kind, MapOf)
        for records_kind in (records.SERVICES, records.RESEAUX, records.PUBLICS, records.SYNONYMES)
    )
    missing = [path for path, _ in leaves(contract) if not has(base(), path)]
    assert missing == [], f"the sweep's base {kind} lacks {missing}: add them to its base document"


# -- 1. classification ---------------------------------------------------------------------------------


def variants(kind: str):
    """(field path, payload index, document) for every field of the kind and every payload."""
    contract, base = FILE_KINDS[kind]
    for path, _ in leaves(contract):
        for index, payload in enumerate(PAYLOADS):
            document = base()
            put(document, path, payload)
            if kind == "evenement" and path.startswith("emplacement"):
                document.pop("lieu")  # an event has a lieu or a place, not both
            elif kind == "evenement":
                document.pop("emplacement")
            yield path, index, document


def related(error_field: str, path: str) -> bool:
    """The error is about the mutated field (itself, the struct holding it, or a part of it)."""
    return (
        error_field == path
        or path.startswith(error_field + ".")
        or path.startswith(error_field + "[")
        or error_field.startswith(path)
        or error_field == ""
    )


def assert_about_the_field(errors, path: str, where: str) -> None:
    assert all(related(e.field, path) for e in errors), (where, path, [e.as_text() for e in errors])
    assert all(e.message and "Traceback" not in e.message and "Error" not in e.message for e in errors), where


@pytest.fixture(scope="module")
def classification(tmp_path_factory) -> dict[tuple[str, str], set[int]]:
    """(kind, field path) -> indexes of the payloads the field accepts."""
    accepted: dict[tuple[str, str], set[int]] = {}
    root = tmp_path_factory.mktemp("classification")

    def project(name: str, with_lieux: bool = False) -> Path:
        target = root / name
        project_copy(target, with_lieux=with_lieux)
        return target / "data"

    # Folders: one file per variant, one validation per folder.
    for kind, folder, stem in (
        ("lieu", "lieux", "sweep-lieu"),
        ("evenement", "evenements", "sweep-evenement"),
        ("metier", "metiers", ""),
    ):
        data = project(kind, with_lieux=kind == "evenement")
        files = {}
        for number, (path, index, document) in enumerate(variants(kind)):
            name = f"N{number:04d}" if kind == "metier" else f"{stem}-{number}"
            if kind == "lieu" and path != "adresse.voie":
                document["adresse"]["voie"] = f"{number} rue du Balayage"
            if "id" in document:
                document["id"] = name
            if "code" in document:
                document["code"] = name
            document = _keep_mutation(document, path, PAYLOADS[index])
            (data / folder / f"{name}.yaml").write_text(dump(document), encoding="utf-8")
            files[f"data/{folder}/{name}.yaml"] = (path, index)
        loader = DataLoader(data, display_root=data.parent)
        loader.load()
        by_file: dict[str, list] = {}
        for error in loader.report.errors:
            by_file.setdefault(error.file, []).append(error)
        stray = set(by_file) - set(files)
        assert not stray, [e.as_text() for f in stray for e in by_file[f]]
        for shown, (path, index) in files.items():
            errors = by_file.get(shown, [])
            assert_about_the_field(errors, path, shown)
            if not errors:
                accepted.setdefault((kind, path), set()).add(index)

    # Reference tables: one entry per variant in one file.
    for kind, table in (
        ("service", "services"),
        ("reseau", "reseaux"),
        ("public", "publics"),
        ("synonyme", "synonymes"),
    ):
        data = project(kind)
        entries = load_yaml(data / f"{table}.yaml")
        keys = {}
        for number, (path, index, document) in enumerate(variants(kind)):
            if kind == "reseau" and path != "anciens_noms[1]":
                document["anciens_noms"] = [f"Ancien nom {number}"]  # a former name leads to one network only
            entries[f"balayage-{number}"] = document
            keys[f"balayage-{number}"] = (path, index)
        (data / f"{table}.yaml").write_text(dump(entries), encoding="utf-8")
        loader = DataLoader(data, display_root=data.parent)
        loader.load()
        errors_by_key: dict[str, list] = {}
        for error in loader.report.errors:
            assert error.file == f"data/{table}.yaml", error.as_text()
            errors_by_key.setdefault(error.field.split(".")[0], []).append(error)
        for key, (path, index) in keys.items():
            errors = [
                e.__class__(e.file, e.line, e.column, e.field.removeprefix(key + ".").removeprefix(key), e.message)
                for e in errors_by_key.get(key, [])
            ]
            assert_about_the_field(errors, path, key)
            if not errors:
                accepted.setdefault((kind, path), set()).add(index)

    # One-of-a-kind files: one validation per variant.
    for kind, target in (("site", "site.yaml"), ("bassin", "bassins/poitiers.yaml")):
        data = project(kind)
        shutil.rmtree(data / "metiers")  # not needed here, and read at each of these validations
        original = (data / target).read_text(encoding="utf-8")
        for path, index, document in variants(kind):
            (data / target).write_text(dump(document), encoding="utf-8")
            loader = DataLoader(data, display_root=data.parent)
            loader.load()
            errors = [e for e in loader.report.errors if e.file == f"data/{target}"]
            others = [e.as_text() for e in loader.report.errors if e.file != f"data/{target}"]
            assert_about_the_field(errors, path, target)
            if not errors and not others:
                accepted.setdefault((kind, path), set()).add(index)
        (data / target).write_text(original, encoding="utf-8")

    # Basin outlines: a geometry and nothing else, so every payload is refused wherever it is put.
    data = project("contour")
    square = [[0.30, 46.55], [0.40, 46.55], [0.40, 46.62], [0.30, 46.62], [0.30, 46.55]]
    for payload in PAYLOADS:
        for where, geometry in (
            ("type", {"type": payload, "coordinates": [square]}),
            ("coordinates", {"type": "Polygon", "coordinates": payload}),
            ("coordinates[0][1]", {"type": "Polygon", "coordinates": [[square[0], [payload, 46.5], *square[2:]]]}),
            ("membre", {"type": "Polygon", "coordinates": [square], "properties": {"nom": payload}}),
        ):
            (data / "bassins/poitiers.geojson").write_text(json.dumps(geometry, ensure_ascii=False), encoding="utf-8")
            loader = DataLoader(data, display_root=data.parent)
            loader.load()
            errors = [e.as_text() for e in loader.report.errors]
            assert len(errors) == 1 and errors[0].startswith("data/bassins/poitiers.geojson"), (where, payload, errors)
    (data / "bassins/poitiers.geojson").unlink()

    # The geocoding cache: one line per variant, one validation.
    good = {
        "requete": "1 rue Pasteur, 86000 Poitiers",
        "lat": 46.58,
        "lon": 0.35,
        "score": 0.8,
        "label": "1 rue Pasteur",
        "type": "housenumber",
        "citycode": "86194",
        "date": "2026-11-20",
        "source": "test",
    }
    lines, expected = [], {}
    for name in [f.name for f in Entry.__dataclass_fields__.values()]:
        for index, payload in enumerate(PAYLOADS):
            entry = {**good, "requete": f"{len(lines)} rue Pasteur, 86000 Poitiers"}
            entry[name] = payload
            entry["cle"] = payload if name == "cle" else cache_key(entry["requete"], "86194")
            lines.append(json.dumps(entry, ensure_ascii=False))
            expected[len(lines)] = (name if name != "requete" else "", index)
    (data / "geocodage.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    loader = DataLoader(data, display_root=data.parent)
    loader.load()
    for line, (name, index) in expected.items():
        errors = [e for e in loader.report.errors if e.line == line]
        assert all(e.file == "data/geocodage.jsonl" for e in errors)
        assert_about_the_field(errors, name, f"geocodage.jsonl:{line}")
        if not errors:
            accepted.setdefault(("cache", name), set()).add(index)

    # Pages: front matter fields, and the body.
    docs = root / "docs-pages"
    (docs / "actualites/posts").mkdir(parents=True)
    pages = {}
    for number, (path, index, document) in enumerate(variants("front-matter")):
        name = f"actualites/posts/balayage-{number}.md"
        (docs / name).write_text(f"---\n{dump(document)}---\n\nTexte.\n", encoding="utf-8")
        pages[f"docs-pages/{name}"] = (("front-matter", path), index)
    for index, payload in enumerate(PAYLOADS):
        name = f"label/corps-{index}.md"
        (docs / "label").mkdir(exist_ok=True)
        (docs / name).write_text(f"# Page {index}\n\nAvant {payload} après.\n\n## {payload}\n", encoding="utf-8")
        pages[f"docs-pages/{name}"] = (("page", "corps"), index)
    report = check_docs(docs, root, TODAY)
    for shown, (key, index) in pages.items():
        errors = [e for e in report.errors if e.file == shown]
        assert_about_the_field(errors, key[1] if key[0] == "front-matter" else "", shown)
        if not errors:
            accepted.setdefault(key, set()).add(index)
    return accepted


def _keep_mutation(document: dict, path: str, payload: str) -> dict:
    """Fields set after the mutation (file ids, unique addresses) must not undo it."""
    if has(document, path) and get(document, path) != payload:
        put(document, path, payload)
    return document


def test_every_field_refuses_or_keeps_every_payload(classification):
    # Template syntax and markup are plain text: a text field may accept them (they are shown as
    # text); invisible characters never pass; codes, dates, numbers and URLs refuse everything.
    invisible = {PAYLOADS.index("a\u202eb\u200bc\x1b[2J"), PAYLOADS.index("x\x00y")}
    for (kind, path), indexes in classification.items():
        assert not indexes & invisible, (kind, path)
    assert PAYLOADS.index("<script>alert('s1')</script>") in classification[("lieu", "nom")]
    assert ("lieu", "reseau") not in classification and ("lieu", "contact.site") not in classification
    assert ("site", "carte.tuiles") not in classification  # a URL template: no payload is one
    assert classification[("site", "carte.attribution")] == {
        i for i, p in enumerate(PAYLOADS) if not re.search(r"[<>\x00\x1b]", p)
    }
    assert ("page", "corps") in classification and PAYLOADS.index("<script>alert('s1')</script>") not in classification[
        ("page", "corps")
    ]
    assert ("cache", "lat") not in classification and ("cache", "type") not in classification
    assert ("cache", "label") in classification


# -- 2. the build ---------------------------------------------------------------------------------------


def combined(kind: str, index: int, classification) -> dict:
    """A document of ``kind`` holding payload ``index`` in every field that accepts it."""
    contract, base = FILE_KINDS[kind]
    document = base()
    for path, _ in leaves(contract):
        if index in classification.get((kind, path), ()):
            put(document, path, PAYLOADS[index])
    if kind == "evenement":
        document.pop("emplacement")
    return document


@pytest.fixture(scope="module")
def swept_site(classification, tmp_path_factory):
    project = project_copy(tmp_path_factory.mktemp("balayage") / "projet")
    data = project / "data"
    tables = {table: load_yaml(data / f"{table}.yaml") for table in ("services", "reseaux", "publics", "synonymes")}
    for index in range(len(PAYLOADS)):
        lieu = combined("lieu", index, classification)
        lieu["id"] = f"balayage-{index}"
        lieu["adresse"]["voie"] = (
            lieu["adresse"]["voie"] if lieu["adresse"]["voie"] in PAYLOADS else f"{index} rue du Balayage"
        )
        (data / f"lieux/balayage-{index}.yaml").write_text(dump(lieu), encoding="utf-8")
        evenement = combined("evenement", index, classification)
        evenement["id"], evenement["lieu"] = f"balayage-{index}", f"balayage-{index}"
        (data / f"evenements/balayage-{index}.yaml").write_text(dump(evenement), encoding="utf-8")
        metier = combined("metier", index, classification)
        metier["code"] = f"N9{index:03d}"
        (data / f"metiers/N9{index:03d}.yaml").write_text(dump(metier), encoding="utf-8")
        for kind, table in (
            ("service", "services"),
            ("reseau", "reseaux"),
            ("public", "publics"),
            ("synonyme", "synonymes"),
        ):
            tables[table][f"balayage-{index}"] = entry = combined(kind, index, classification)
            if kind == "reseau" and entry["anciens_noms"] != [PAYLOADS[index]]:
                entry["anciens_noms"] = [f"Ancien nom {index}"]
        front = combined("front-matter", index, classification)
        front["slug"] = f"balayage-{index}"
        body = PAYLOADS[index] if index in classification.get(("page", "corps"), ()) else "Texte."
        (project / f"docs/actualites/posts/balayage-{index}.md").write_text(
            f"---\n{dump(front)}---\n\n# Actualité {index}\n\n{body}\n", encoding="utf-8"
        )
        (project / f"docs/label/balayage-{index}.md").write_text(
            f"# Page {index}\n\nAvant {body} après.\n", encoding="utf-8"
        )
    for table, entries in tables.items():
        (data / f"{table}.yaml").write_text(dump(entries), encoding="utf-8")
    for number, code in enumerate(sorted(p.stem for p in (data / "bassins").glob("*.yaml"))):
        index = number % len(PAYLOADS)
        bassin = load_yaml(data / f"bassins/{code}.yaml")
        for path in ("nom", "description"):
            if index in classification.get(("bassin", path), ()):
                bassin[path] = PAYLOADS[index]
        (data / f"bassins/{code}.yaml").write_text(dump(bassin), encoding="utf-8")
    site = base_site()
    for number, (path, _) in enumerate(leaves(records.SITE)):
        index = number % len(PAYLOADS)
        if index in classification.get(("site", path), ()):
            put(site, path, PAYLOADS[index])
    (data / "site.yaml").write_text(dump(site), encoding="utf-8")
    cache_lines = (data / "geocodage.jsonl").read_text(encoding="utf-8").splitlines()
    (data / "geocodage.jsonl").write_text("\n".join(cache_lines + swept_cache_lines()) + "\n", encoding="utf-8")

    outside_before = snapshot(project.parent)
    os.environ["SPRO_SECRET_DU_BALAYAGE"] = SECRET
    cwd = Path.cwd()
    os.chdir(project)
    try:
        built = build(project)
    finally:
        os.chdir(cwd)
        del os.environ["SPRO_SECRET_DU_BALAYAGE"]
    outside_after = snapshot(project.parent)
    return built, outside_before, outside_after


def swept_cache_lines() -> list[str]:
    """Cache entries holding a payload in each text member that accepts it (the key follows the query)."""
    lines = []
    for index, payload in enumerate(PAYLOADS):
        if any(c in payload for c in "\x00\x1b\u202e"):
            continue
        query = f"{index} {payload}, 86000 Poitiers"
        entry = Entry(
            cle=cache_key(query, "86194"),
            requete=query,
            lat=46.58,
            lon=0.34,
            score=0.9,
            label=payload,
            type="housenumber",
            citycode="86194",
            date="2026-11-20",
            source=payload,
        )
        lines.append(json.dumps(entry.__dict__, ensure_ascii=False))
    return lines


def snapshot(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_size
        for p in folder.rglob("*")
        if "site" not in p.relative_to(folder).parts and not p.name.startswith(".site")
    }


def text_files(site: Path):
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".csv", ".geojson", ".ics", ".xml", ".txt"):
            yield path, path.read_text(encoding="utf-8", errors="replace")


def test_nothing_was_evaluated_and_nothing_written_outside_site(swept_site):
    site, before, after = swept_site
    assert after == before
    assert not (Path.cwd() / CANARY_FILE).exists() and not (site.parent / CANARY_FILE).exists()
    for path, text in text_files(site):
        if path.name.startswith("pagefind") or "/pagefind" in str(path):
            continue
        assert SECRET not in text, path
        assert "environ(" not in text, path
        assert not [canary for canary in EVALUATED if canary in text], path


def test_the_payloads_are_shown_as_text(swept_site, classification):
    site, _, _ = swept_site
    page = (site / "lieux/balayage-2/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;s1&#39;)&lt;/script&gt;" in page
    data = (site / "carte/donnees.js").read_text(encoding="utf-8")
    assert json.dumps(PAYLOADS[0]) in data


def test_no_page_holds_a_script_or_handler_from_the_data(swept_site):
    site, _, _ = swept_site
    policies = set()
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        assert active_content(html) == [], path
        policies.add(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
        for tag, attrs in parse(path).tags:
            assert not [name for name in attrs if name.startswith("on")], (path, tag, attrs)
            for name in ("href", "src", "action", "formaction", "xlink:href"):
                assert not re.sub(r"\s", "", attrs.get(name) or "").lower().startswith(("javascript:", "data:text")), (
                    path,
                    attrs,
                )
            assert tag not in ("iframe", "object", "embed") or (attrs.get("src") or "").endswith("carte.html"), (
                path,
                tag,
            )
    assert len(policies) == 1 and "'unsafe-inline'" not in policies.pop().split("style-src")[0]


def test_the_exports_parse_and_keep_the_payloads_as_text(swept_site):
    import csv
    import io

    site, _, _ = swept_site
    rows = list(csv.DictReader(io.StringIO((site / "donnees/lieux.csv").read_text(encoding="utf-8"))))
    swept = [r for r in rows if r["id"].startswith("balayage-")]
    assert len(swept) == len(PAYLOADS)
    for row in swept:
        for column, value in row.items():
            if column not in ("latitude", "longitude"):
                assert not re.match(r"[=+\-@\t\r]", value), (column, value)
    json.loads((site / "donnees/lieux.geojson").read_text(encoding="utf-8"))
    from icalendar import Calendar

    Calendar.from_ical((site / "agenda/agenda.ics").read_bytes())


def test_no_dialog_and_no_policy_violation_in_chromium(swept_site, browser):
    site, _, _ = swept_site
    context = browser.new_context(locale="fr-FR")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    context.add_init_script(
        "window.__violations = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    dialogs, violations = [], {}
    paths = [f"lieux/balayage-{i}/" for i in range(len(PAYLOADS))] + [
        f"metiers/N9{i:03d}/" for i in range(len(PAYLOADS))
    ]
    paths += [f"services/balayage-{i}/" for i in range(len(PAYLOADS))] + [
        f"label/balayage-{i}/" for i in range(len(PAYLOADS))
    ]
    paths += [
        "",
        "agenda/",
        "actualites/",
        "carte/",
        "carte/carte.html",
        "bassins/poitiers/",
        "bassins/poitiers/carte.html",
        "reseaux/",
        "publics/" if (site / "publics").exists() else "services/",
        "trouver/?q=alert",
        "label/lieux-labellises/",
        "donnees/",
    ]
    paths += sorted(str(p.parent.relative_to(site)) + "/" for p in site.glob("actualites/20*/**/index.html"))
    with StaticServer(site) as server:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in paths:
            assert page.goto(server.url + path, wait_until="load").ok, path
            if path.startswith("trouver/"):
                page.locator("#spro-resultats > li").first.wait_for()
            if path.endswith("carte.html"):
                page.locator("html[data-spro-carte=prete]").wait_for()
            violations[path] = page.evaluate("window.__violations")
    context.close()
    assert dialogs == []
    assert {path: found for path, found in violations.items() if found} == {}
