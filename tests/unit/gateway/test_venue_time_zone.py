"""The pages and the documents show the venue's clock, COCOON_TIMEZONE, not Paris's: with the venue
in Martinique (UTC-4 all year) a slot at 08:00 there reads « 8 h 00 » (it read « 13 h 00 »)."""

import csv
from contextlib import contextmanager
from io import StringIO
from types import SimpleNamespace

import pytest

from services.gateway import attestation, auth, invoice, volunteer_hours
from services.gateway.models import database
from services.gateway.web import SESSION_ACCOUNT, SESSION_VERSION
from shared import timeutil
from tests.pdf import pdf_text
from tests.unit.gateway.test_invoice import FAMILY, booking_line, statement

EIGHT_IN_MARTINIQUE = "2026-12-01T08:00:00-04:00"
EIGHT_IN_MARTINIQUE_AS_UTC = "2026-12-01T12:00:00+00:00"  # the same moment, as a service may write it


@pytest.fixture(autouse=True)
def martinique(monkeypatch):
    monkeypatch.setenv("COCOON_TIMEZONE", "America/Martinique")
    timeutil.venue_zone.cache_clear()
    yield
    timeutil.venue_zone.cache_clear()


class Bookings:
    """The RPC pools: one booking at 08:00 in Martinique, and nothing unread."""

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        booking = {
            "id": "b-1",
            "child_first_name": "Léa",
            "status": "confirmed",
            "starts_at": EIGHT_IN_MARTINIQUE,
            "ends_at": "2026-12-01T12:30:00-04:00",
            "hourly_rate": "2.064",
            "amount": "9.29",
        }
        yield SimpleNamespace(
            bookings=SimpleNamespace(list_bookings=lambda query, family_id: {"items": [booking]}),
            notifications=SimpleNamespace(unread_count=lambda *who: {"unread": 0}),
        )


def test_a_page_shows_a_slot_at_the_venues_time(app):
    app.extensions["rpc_pool"] = app.extensions["ready_pool"] = Bookings()
    with app.app_context(), database.connection_context():
        account = auth.create_account("famille@example.fr", "les-petits-loups", "family", subject_id="f-1")
    client = app.test_client()
    with client.session_transaction() as session:
        session[SESSION_ACCOUNT], session[SESSION_VERSION] = account.id, account.session_version
    html = client.get("/famille/reservations").get_data(as_text=True)
    assert "mardi 1 décembre, 8\u00a0h\u00a000 – 12\u00a0h\u00a030" in html
    assert "13\u00a0h\u00a000" not in html


def test_the_pages_day_of_a_time_is_the_venues_day(app):
    from services.gateway.web import day

    with app.test_request_context():
        assert day("2026-12-02T02:00:00+00:00") == "1 décembre 2026"  # still the evening before in Martinique


def test_a_statement_pdf_writes_its_lines_at_the_venues_time():
    line = booking_line(starts_at=EIGHT_IN_MARTINIQUE_AS_UTC, ends_at="2026-12-01T16:30:00+00:00")
    text = pdf_text(invoice.render(statement([line]), FAMILY))
    assert "mardi 1er décembre, 8 h – 12 h 30" in text


def test_a_csv_writes_its_times_at_the_venues_time():
    found = {
        "lines": [
            {
                "volunteer": "Jeanne Martin",
                "title": "Conte",
                "kind": "story_time",
                "starts_at": EIGHT_IN_MARTINIQUE_AS_UTC,
                "ends_at": "2026-12-01T13:30:00+00:00",
                "hours": "1.50",
                "age_group": "walking",
            }
        ]
    }
    rows = list(csv.reader(StringIO(volunteer_hours.hours_csv(found).lstrip("\ufeff")), delimiter=";"))
    assert rows[1][3:5] == ["01/12/2026 08:00", "01/12/2026 09:30"]


def test_the_placements_hour_sheet_writes_its_times_at_the_venues_time():
    log = {
        "starts_at": EIGHT_IN_MARTINIQUE_AS_UTC,
        "ends_at": "2026-12-01T15:30:00+00:00",
        "hours": "3.50",
        "kind": "on_site",
        "status": "submitted",
    }
    [_, row] = list(csv.reader(StringIO(attestation.hour_sheet([log])), delimiter=";"))
    assert row[:3] == ["01/12/2026", "08:00", "11:30"]


def test_the_calendar_file_tells_the_apps_the_venues_zone(app):
    from services.gateway import ical

    with app.test_request_context():
        assert b"X-WR-TIMEZONE:America/Martinique" in ical.build([], "Cocoon'Age")
