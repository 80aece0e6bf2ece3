"""Events: the agenda page, basin pages, and the iCalendar feeds parsed back by the icalendar package."""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
import yaml
from conftest import DEMO
from site_helpers import StaticServer, build, project_copy

from build_tools.generate import ics
from build_tools.loader import load_dataset

PARIS = ZoneInfo("Europe/Paris")


def events_of(path) -> list:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_the_feed_holds_every_event_of_the_data_as_written(demo_site):
    dataset, _ = load_dataset(DEMO)
    parsed = {str(e["UID"]).split("@")[0]: e for e in events_of(demo_site / "agenda/agenda.ics")}
    assert set(parsed) == set(dataset.evenements) and len(parsed) >= 5
    for identifier, event in dataset.evenements.items():
        vevent = parsed[identifier]
        assert str(vevent["SUMMARY"]) == event.titre
        start = vevent.decoded("DTSTART")
        if event.heures:
            opens = dt.time.fromisoformat(event.heures[0])
            assert start == dt.datetime.combine(event.date, opens, tzinfo=PARIS)
            assert start.tzinfo is not None and str(vevent["DTSTART"].params["TZID"]) == "Europe/Paris"
            days = (event.dernier_jour - event.date).days + 1
            assert (vevent.get("RRULE") or {}).get("COUNT", [1])[0] == days
        else:
            assert start == event.date and vevent.decoded("DTEND") == event.dernier_jour + dt.timedelta(days=1)
        if event.description:
            assert " ".join(event.description.split()) in " ".join(str(vevent["DESCRIPTION"]).split())


def test_feed_lines_are_folded_crlf_lines_of_75_octets_at_most(demo_site):
    raw = (demo_site / "agenda/agenda.ics").read_bytes()
    assert raw.endswith(b"END:VCALENDAR\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
    raw.decode("utf-8")  # folding never splits a character


def test_a_basin_feed_has_only_its_events(demo_site):
    dataset, _ = load_dataset(DEMO)
    for code in ("poitiers", "niort", "thouars"):
        expected = {i for i, e in dataset.evenements.items() if e.bassin == code}
        assert {str(e["UID"]).split("@")[0] for e in events_of(demo_site / f"bassins/{code}/agenda.ics")} == expected


def test_text_cannot_break_out_of_its_property():
    hostile = "Forum ; virgule, antislash \\ fin\nEND:VEVENT\r\nBEGIN:VEVENT\nSUMMARY:pirate"
    folded = ics.fold_line(f"DESCRIPTION:{ics.escape_text(hostile)}")
    calendar = icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20261120T000000Z\r\n"
        + folded
        + "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["DESCRIPTION"]) == hostile.replace("\r\n", "\n")


def test_the_agenda_lists_upcoming_events_by_month(demo_site):
    dataset, _ = load_dataset(DEMO)
    page = (demo_site / "agenda/index.html").read_text(encoding="utf-8")
    built = dt.date(2026, 11, 21)  # SOURCE_DATE_EPOCH of the test build
    shown = re.findall(r'id="evenement-([a-z0-9-]+)"', page)
    assert shown == [i for i, e in dataset.evenements.items() if e.dernier_jour >= built]
    assert "2026-10-atelier-cv-rochefort" not in shown  # over
    months = re.findall(r"<h2[^>]*>([^<]+)</h2>", page)
    assert months[:3] == ["Décembre 2026", "Janvier 2027", "Février 2027"]
    assert "du jeudi 28 au vendredi 29 janvier 2027, de 9 h à 17 h" in page
    assert 'href="../agenda/agenda.ics"' in page or 'href="agenda.ics"' in page


def test_a_basin_page_shows_its_events_with_a_link_to_the_lieu(demo_site):
    page = (demo_site / "bassins/niort/index.html").read_text(encoding="utf-8")
    section = page[page.index('id="evenements"') :]
    assert "Job dating des métiers de l&#39;aide à domicile" in section
    assert 'href="../../lieux/france-travail-niort/"' in section
    assert "Salon de la validation" not in section  # La Rochelle's
    assert 'href="agenda.ics"' in section


@pytest.fixture(scope="module")
def site_with_hostile_event(tmp_path_factory):
    payloads = yaml.safe_load((DEMO.parent / "tests/corpus/injections.yaml").read_text(encoding="utf-8"))
    project = project_copy(tmp_path_factory.mktemp("evenement"))
    joined = " ".join(payloads)
    (project / "data/evenements/hostile.yaml").write_text(
        "\n".join(
            [
                f"titre: {json_quote(payloads[0] + payloads[4])}",
                "type: forum",
                "date: 2027-02-01",
                "heures: 09:00-12:00",
                "emplacement:",
                f"  nom: {json_quote(payloads[2])}",
                f"  voie: {json_quote(payloads[7][:150])}",
                '  code_postal: "86000"',
                "  commune: Poitiers",
                '  code_insee: "86194"',
                "bassin: poitiers",
                "publics: [jeunes]",
                f"organisateur: {json_quote(payloads[5][:150])}",
                f"description: {json_quote(joined + chr(10) + 'END:VEVENT' + chr(10) + 'BEGIN:VEVENT')}",
                "",
            ]
        ),
        encoding="utf-8",
    )
    return build(project), payloads


def json_quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def test_a_hostile_event_stays_text_in_pages_and_feed(site_with_hostile_event, page_in):
    site, payloads = site_with_hostile_event
    (vevent,) = [e for e in events_of(site / "agenda/agenda.ics") if str(e["UID"]).startswith("hostile@")]
    assert str(vevent["SUMMARY"]) == " ".join((payloads[0] + payloads[4]).split())
    assert len(events_of(site / "agenda/agenda.ics")) == len(load_dataset(DEMO)[0].evenements) + 1
    for path in ("agenda/index.html", "bassins/poitiers/index.html"):
        assert "<script>alert(" not in (site / path).read_text(encoding="utf-8")
    with StaticServer(site) as server:
        for path in ("agenda/", "bassins/poitiers/"):
            page_in.goto(server.url + path, wait_until="load")
            page_in.locator("#evenement-hostile").wait_for()
            assert "<script>alert('p1')</script>" in page_in.locator("#evenement-hostile h3").inner_text()
    assert page_in.dialogs == []
