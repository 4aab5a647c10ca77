"""Invoice numbers on PostgreSQL with two instances of the bookings service (shared/numbering.py):
20 closes of one month at once give one invoice run and 19 × 409; 20 credit notes at once get 20
numbers without a gap. Each instance runs 10 workers, so calls really overlap in the database."""

from datetime import date, datetime, timezone

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from services.bookings import models
from services.bookings.service import BookingsService
from shared import migrate, timeutil
from tests.factories import contract_fields, create_child, create_family, weekly
from tests.integration.bookings.test_state_change_races import race, refusals

FAMILIES = 20


@pytest.fixture
def bookings(postgres_url, rabbit_config, container_factory, monkeypatch):
    monkeypatch.setenv("COCOON_CRECHE_PLACES", "40")
    monkeypatch.setenv("COCOON_AVIP_SHARE", "0")
    migrate.migrate("bookings", postgres_url)
    config = {
        "AMQP_URI": rabbit_config["AMQP_URI"],
        "BOOKINGS_DATABASE_URL": postgres_url,
        "max_workers": 10,
        "OUTBOX_RELAY": "off",
    }
    containers = [container_factory(BookingsService, config) for _ in range(2)]
    for container in containers:
        container.start()
    with ClusterRpcProxy({"AMQP_URI": rabbit_config["AMQP_URI"]}, timeout=60) as rpc:
        yield rpc.bookings


def families_with_contracts(service, count):
    for _ in range(count):
        family = create_family(service)
        child = create_child(service, family)
        fields = contract_fields(
            child["id"], date(2027, 1, 4), date(2027, 6, 30), pattern=weekly(range(2), "09:00", "12:00")
        )
        service.accept_contract(service.request_contract(fields, family["id"])["id"])


def april_first_2027(monkeypatch):
    now = datetime(2027, 4, 1, 9, tzinfo=timezone.utc)
    monkeypatch.setattr(timeutil, "now_utc", lambda: now)


def test_twenty_closes_of_one_month_at_once_one_closes_it_nineteen_are_409(bookings, monkeypatch):
    families_with_contracts(bookings, 3)
    april_first_2027(monkeypatch)
    outcomes = race(*(bookings.close_month.call_async("2027-03", {}) for _ in range(FAMILIES)))
    closed = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(closed) == 1 and len(refusals(outcomes)) == FAMILIES - 1
    assert [i["number"] for i in closed[0]["invoices"]] == ["F-2027-000001", "F-2027-000002", "F-2027-000003"]
    with models.database.connection_context():
        assert models.MonthClosing.select().count() == 1
        assert models.Invoice.select().count() == 3
        assert models.Outbox.select().where(models.Outbox.event_type == "bookings.month_closed").count() == 1


def test_twenty_credit_notes_at_once_get_twenty_numbers_without_a_gap(bookings, monkeypatch):
    families_with_contracts(bookings, FAMILIES)
    april_first_2027(monkeypatch)
    invoices = bookings.close_month("2027-03", {})["invoices"]
    assert len(invoices) == FAMILIES
    outcomes = race(*(bookings.issue_credit_note.call_async(i["id"], {"reason": "Erreur de tarif"}) for i in invoices))
    assert not refusals(outcomes)
    numbers = sorted(o["credit_note_number"] for o in outcomes)
    assert numbers == [f"A-2027-{n:06d}" for n in range(1, FAMILIES + 1)]
    # a second credit note of any of them is a 409, and takes no number
    [refused] = refusals(race(bookings.issue_credit_note.call_async(invoices[0]["id"], {"reason": "Encore"})))
    assert refused.status == 409
    with models.database.connection_context():
        [counter] = models.NumberCounter.select().where(models.NumberCounter.series == "A")
        assert counter.last == FAMILIES
