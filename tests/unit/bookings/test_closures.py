"""The venue's closures: the domain's rules (domain/closures.py), the worked example on the
statement (contract_statement), and the entrypoints with worker_factory (real SQLite, no broker)."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from nameko.testing.services import worker_factory

from services.bookings import models
from services.bookings.domain import closures
from services.bookings.domain.absences import CLOSURE, OTHER
from services.bookings.domain.closures import Closure, check_closure, closed_days, closure_absences, closure_on
from services.bookings.domain.contract_statement import contract_month
from services.bookings.service import BookingsService
from services.bookings.settings import VenueSettings
from shared import migrate
from shared.errors import Conflict, Invalid
from shared.unit_of_work import Work
from tests.unit.bookings.contract_examples import RATE, WEEK

AUGUST_2027 = (date(2027, 8, 1), date(2027, 9, 1))
# The annual closure: three weeks, Monday 2 to Friday 20 August 2027 (15 planned days)
SUMMER = Closure(date(2027, 8, 2), date(2027, 8, 20), True, "Fermeture annuelle d'été")
PIPE = Closure(date(2027, 3, 10), date(2027, 3, 11), False, "Fuite d'eau")


class TestCheckClosure:
    def test_a_closure_of_one_day_with_a_label_is_fine(self):
        assert check_closure(date(2027, 5, 7), date(2027, 5, 7), "Pont") == {}

    def test_an_end_before_the_start_is_refused_on_ends_on(self):
        assert check_closure(date(2027, 5, 7), date(2027, 5, 6), "Pont")["ends_on"] == [
            "La fin de la fermeture est avant son début."
        ]

    def test_a_closure_needs_a_label(self):
        assert "label" in check_closure(date(2027, 5, 7), date(2027, 5, 7), "   ")

    def test_a_closure_lasts_at_most_a_year(self):
        start = date(2027, 1, 1)
        assert check_closure(start, start + timedelta(days=365), "Travaux") == {}  # 366 days
        assert "ends_on" in check_closure(start, start + timedelta(days=366), "Travaux")  # 367 days


class TestClosedDays:
    def test_the_days_of_a_planned_closure_inside_the_range_both_ends_included(self):
        days = closed_days([SUMMER], date(2027, 8, 15), date(2027, 8, 31))
        assert days == {date(2027, 8, d) for d in range(15, 21)}

    def test_a_range_just_before_or_after_a_closure_has_no_closed_day(self):
        assert closed_days([SUMMER], date(2027, 7, 1), date(2027, 8, 1)) == set()
        assert closed_days([SUMMER], date(2027, 8, 21), date(2027, 8, 31)) == set()
        assert closed_days([SUMMER], date(2027, 8, 20), date(2027, 8, 20)) == {date(2027, 8, 20)}

    def test_an_unplanned_closure_is_not_a_closed_day(self):
        assert closed_days([PIPE], date(2027, 3, 1), date(2027, 3, 31)) == set()

    def test_the_closure_of_a_day(self):
        assert closure_on([PIPE, SUMMER], date(2027, 8, 2)) == SUMMER
        assert closure_on([PIPE, SUMMER], date(2027, 8, 21)) is None


class TestClosureAbsences:
    def test_an_unplanned_closure_is_an_absence_for_closure_inside_the_contract(self):
        assert closure_absences([PIPE, SUMMER], date(2027, 3, 11), date(2027, 12, 31)) == [
            (CLOSURE, date(2027, 3, 11), date(2027, 3, 11))
        ]

    def test_it_is_cut_around_the_days_the_child_already_has(self):
        pipe = Closure(date(2027, 3, 8), date(2027, 3, 12), False)
        assert closure_absences([pipe], date(2027, 1, 1), date(2027, 12, 31), {date(2027, 3, 10)}) == [
            (CLOSURE, date(2027, 3, 8), date(2027, 3, 9)),
            (CLOSURE, date(2027, 3, 11), date(2027, 3, 12)),
        ]

    def test_the_closure_and_the_eviction_are_staffs_facts(self):
        assert set(closures.STAFF_ONLY_REASONS) == {"closure", "eviction"}
        assert closures.STAFF_ONLY_REASONS[CLOSURE].startswith("La fermeture de la crèche est déclarée par l'équipe")


def august(absences=(), closed=()):
    """August 2027 of the worked example (36 h a week, 46 weeks, 2.064 €/h: 138 h a month)."""
    return contract_month(
        *AUGUST_2027,
        date(2027, 1, 4),
        date(2027, 12, 31),
        WEEK,
        138,
        [(date(2027, 1, 4), RATE)],
        absences,
        closed_days=set(closed),
    )


class TestTheWorkedExample:
    def test_august_with_its_planned_closure_is_billed_the_months_hours(self):
        month = august(closed=closed_days([SUMMER], *AUGUST_2027))
        assert month.amount == Decimal("284.83")  # 138 h x 2.064 €/h: the closure is out of the 46 weeks
        assert month.deductions == Decimal("0.00")

    def test_the_closure_deducted_as_an_absence_would_bill_it_twice(self):
        # what a family's «fermeture» over the annual closure did: 15 days x 7.2 h x 2.064 € off
        twice = august([(CLOSURE, SUMMER.starts_on, SUMMER.ends_on)])
        assert twice.deductions == Decimal("222.91") and twice.amount == Decimal("61.92")

    def test_a_staff_closure_absence_over_planned_closed_days_deducts_nothing(self):
        month = august([(CLOSURE, SUMMER.starts_on, SUMMER.ends_on)], closed_days([SUMMER], *AUGUST_2027))
        assert month.amount == Decimal("284.83")


# --- the entrypoints -----------------------------------------------------------------------------
FAMILY = {
    "email": "fermeture@example.fr",
    "monthly_resources": "4000",
    "dependent_children": 2,
    "guardians": [{"first_name": "Anne", "last_name": "Brun", "phone": "0601020304"}],
}
PATTERN = [{"weekday": d, "start": "08:30", "end": "15:42"} for d in range(5)]  # 36 h a week


@pytest.fixture
def service(tmp_path):
    migrate.migrate("bookings", f"sqlite:///{tmp_path / 'bookings.db'}")
    models.database.connect()
    yield worker_factory(
        BookingsService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"), settings=VenueSettings()
    )
    models.database.close()


def summer(**changes):
    return {"starts_on": "2027-08-02", "ends_on": "2027-08-20", "label": "Fermeture annuelle d'été", **changes}


def contract(service):
    family = service.register_family(FAMILY)
    child = service.add_child(family["id"], {"first_name": "Lou", "birth_date": "2026-06-01"})
    asked = service.request_contract(
        {
            "child_id": child["id"],
            "starts_on": "2027-01-04",
            "ends_on": "2027-12-31",
            "weeks_per_year": 46,
            "pattern": PATTERN,
        },
        family["id"],
    )
    return family, service.accept_contract(asked["id"])


def test_a_closure_is_stored_listed_by_first_day_and_told(service):
    service.declare_closure(summer(), "staff-1")
    service.declare_closure({"starts_on": "2027-05-07", "ends_on": "2027-05-07", "label": "Pont", "planned": True})
    listed = service.list_closures({})["items"]
    assert [(c["starts_on"], c["label"], c["planned"]) for c in listed] == [
        ("2027-05-07", "Pont", True),
        ("2027-08-02", "Fermeture annuelle d'été", True),
    ]
    [event, _] = [json.loads(r.body) for r in models.Outbox.select()]
    assert event["type"] == "bookings.closure_declared"
    assert event["payload"]["starts_on"] == "2027-08-02" and event["payload"]["planned"] is True


def test_an_overlapping_closure_is_a_409_naming_the_other(service):
    service.declare_closure(summer())
    with pytest.raises(Conflict, match="Fermeture annuelle d'été"):
        service.declare_closure(summer(starts_on="2027-08-20", ends_on="2027-08-27", label="Travaux"))


def test_a_closure_ending_before_it_starts_is_a_422_in_french(service):
    with pytest.raises(Invalid) as refused:
        service.declare_closure(summer(ends_on="2027-08-01"))
    assert refused.value.fields["ends_on"] == ["La fin de la fermeture est avant son début."]


def test_the_worked_example_a_family_cannot_declare_the_closure_and_august_stays_billed(service):
    family, signed = contract(service)
    assert signed["monthly_amount"] == "284.83"
    service.declare_closure(summer())
    with pytest.raises(Invalid) as refused:
        service.record_absence(
            signed["id"], {"starts_on": "2027-08-02", "ends_on": "2027-08-20", "reason": "closure"}, family["id"]
        )
    assert refused.value.fields["reason"][0].startswith("La fermeture de la crèche est déclarée par l'équipe")
    with pytest.raises(Invalid, match="médecin de la crèche"):
        service.record_absence(
            signed["id"], {"starts_on": "2027-03-01", "ends_on": "2027-03-01", "reason": "eviction"}, family["id"]
        )
    statement = service.monthly_statement(family["id"], "2027-08")
    assert statement["amount"] == "284.83" and statement["deductions"] == "0.00"


def test_staff_may_still_record_a_closure_and_it_deducts_nothing_on_planned_closed_days(service):
    family, signed = contract(service)
    service.declare_closure(summer())
    absence = service.record_absence(
        signed["id"], {"starts_on": "2027-08-02", "ends_on": "2027-08-06", "reason": "closure"}
    )
    assert Decimal(absence["deducted_hours"]) == 0


def test_an_unplanned_closure_is_deducted_for_every_contract_child_from_the_first_day(service):
    family, signed = contract(service)
    service.declare_closure(
        {"starts_on": "2027-03-10", "ends_on": "2027-03-11", "label": "Fuite d'eau", "planned": False}
    )
    statement = service.monthly_statement(family["id"], "2027-03")
    assert statement["deductions"] == "29.72"  # 2 days x 7.2 h x 2.064 €/h
    assert statement["amount"] == "255.11"


def test_an_unplanned_closure_leaves_the_childs_own_absence_as_it_is(service):
    family, signed = contract(service)
    service.record_absence(signed["id"], {"starts_on": "2027-03-11", "ends_on": "2027-03-11", "reason": OTHER})
    service.declare_closure(
        {"starts_on": "2027-03-10", "ends_on": "2027-03-11", "label": "Fuite d'eau", "planned": False}
    )
    assert service.monthly_statement(family["id"], "2027-03")["deductions"] == "14.86"  # the 10th only


def test_a_slot_on_a_closed_day_is_a_409_naming_the_closure(service):
    room = service.create_room({"name": "Cocon", "kind": "childcare", "capacity": 12})
    service.declare_closure(summer())
    slot = {
        "room_id": room["id"],
        "starts_at": "2027-08-09T09:00:00+02:00",
        "ends_at": "2027-08-09T12:00:00+02:00",
        "age_group": "mixed",
        "staff_on_duty": 2,
    }
    with pytest.raises(Conflict, match="Fermeture annuelle d'été"):
        service.create_slot(slot)
    assert service.create_slot(dict(slot, starts_at="2027-08-23T09:00:00+02:00", ends_at="2027-08-23T12:00:00+02:00"))
