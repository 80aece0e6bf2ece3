"""The contributors' guide: field reference generated from the schemas, in CONTRIBUTING.md and on the site."""

from __future__ import annotations

import html
import re

from conftest import DEMO, ROOT

from build_tools import records
from build_tools.contract import ListOf, Struct
from build_tools.csv_import import HEADERS, _header_key
from build_tools.field_reference import BEGIN, END, SPREADSHEET_TITLE, markdown, sections
from build_tools.json_schemas import reference_codes
from build_tools.lieu_files import COLUMNS


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
    fields, columns = text.split(SPREADSHEET_TITLE)
    for struct in (records.LIEU, records.EVENEMENT, records.METIER, records.BASSIN):
        for path in field_paths(struct):
            assert f"| `{path}` |" in fields, path
    assert "| `telephone` |" not in fields  # nested fields carry their path
    assert "Téléphone d'accueil." in fields and "liste de codes parmi : api, cep, creation-entreprise, vae" in fields
    assert (
        "| `sur_rendez_vous` |  | Accueil uniquement sur rendez-vous. | true (oui) ou false (non) ; false si " in fields
    )


def test_every_spreadsheet_column_is_listed_with_the_headers_the_import_accepts():
    """The column list a partner reads is the one ``spro import csv`` applies: each accepted header leads to its
    column, and each declared column is listed with what is required."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").split(SPREADSHEET_TITLE)[1]
    for column in COLUMNS:
        assert f"| `{column.key}` | {', '.join(column.declared.aliases)} |" in text, column.key
        for header in (column.key, *column.declared.aliases):
            assert HEADERS[_header_key(header)] == column.key, header
    assert "| `nom` | nom du lieu | oui |" in text and "| `code_postal` | CP | l'une des deux |" in text
    assert "| `verifie_le` |" in text and "| `verifie_le` | vérifié, date de vérification | oui |" not in text


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
    assert 'href="champs/#colonnes-du-tableur"' in guide
    assert '<th scope="row"><code>code_postal</code></th><td>CP</td><td>l&#39;une des deux</td>' in (
        demo_site / "contribuer/champs/index.html"
    ).read_text(encoding="utf-8")
