"""The contributors' guide: field reference generated from the schemas, in CONTRIBUTING.md and on the site."""

from __future__ import annotations

import html
import re

from conftest import DEMO, ROOT

from build_tools import records
from build_tools.contract import ListOf, Struct
from build_tools.field_reference import BEGIN, END, markdown, sections
from build_tools.json_schemas import reference_codes


def field_paths(struct: Struct, prefix: str = ""):
    for field in struct.fields:
        path = prefix + field.name
        yield path
        if isinstance(field.kind, Struct):
            yield from field_paths(field.kind, path + ".")
        elif isinstance(field.kind, ListOf) and isinstance(field.kind.item, Struct):
            yield from field_paths(field.kind.item, path + "[].")


def test_contributing_md_holds_the_current_field_reference():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert block == markdown(sections(reference_codes(DEMO))), "lancez « spro schemas »"


def test_every_field_of_the_contract_is_documented_with_its_description():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for struct in (records.LIEU, records.EVENEMENT, records.METIER, records.BASSIN):
        for path in field_paths(struct):
            assert f"| `{path}` |" in text, path
    assert "| `telephone` |" not in text  # nested fields carry their path
    assert "Téléphone d'accueil." in text and "liste de codes parmi : api, cep, creation-entreprise, vae" in text


def test_the_site_page_lists_the_same_fields(demo_site):
    page = html.unescape((demo_site / "contribuer/champs/index.html").read_text(encoding="utf-8"))
    for struct in (records.LIEU, records.EVENEMENT):
        for path in field_paths(struct):
            assert f"<code>{path}</code>" in page, path
    assert re.search(r'<th scope="row"><code>verifie_le</code></th><td>oui</td>', page)
    for guide in ("contribuer/index.html", "contribuer/publier/index.html"):
        assert (demo_site / guide).is_file()
    guide = (demo_site / "contribuer/index.html").read_text(encoding="utf-8")
    assert 'href="champs/"' in guide and "spro import csv" in guide
