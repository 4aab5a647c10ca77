"""The indicators at their boundaries (domain/indicators.py, domain/projection.py)."""

from datetime import date

from services.insights.domain import indicators
from services.insights.domain.indicators import Period, add_months, ratio
from services.insights.domain.projection import Fact, project

ALL = Period(None, None)


def place(day, family="family:f", kind="avip", ref="b1"):
    return Fact(f"place:{ref}", "childcare_place", day, "bookings", family, ref, kind)


def back(day, family="family:f"):
    return Fact(f"job:{day}", "job_search", day, "bookings", family, detail="stopped")


def seeking(day, family="family:f"):
    return Fact(f"job:{day}:s", "job_search", day, "bookings", family, detail="seeking")


def test_three_months_after_a_day_is_the_same_day_three_months_later_or_the_months_last():
    assert add_months(date(2026, 7, 6), 3) == date(2026, 10, 6)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 31), 1) == date(2027, 1, 31)


def test_back_to_work_on_the_last_day_of_three_months_counts_and_the_day_after_does_not():
    on_time = indicators.indicators([place("2026-07-06"), back("2026-10-06")], [], ALL)
    late = indicators.indicators([place("2026-07-06"), back("2026-10-07")], [], ALL)
    assert on_time["back_to_work_3_months"] == 1
    assert late["back_to_work_3_months"] == 0 and late["back_to_work_6_months"] == 1


def test_a_standard_place_counts_for_a_job_seeking_family_only_when_it_was_seeking_on_that_day():
    before = indicators.indicators([seeking("2026-07-06"), place("2026-07-06", kind="standard")], [], ALL)
    after = indicators.indicators([seeking("2026-07-07"), place("2026-07-06", kind="standard")], [], ALL)
    assert before["job_seeking_families_with_place"] == 1
    assert after["job_seeking_families_with_place"] == 0
    assert after["avip_places_used"] == 0


def test_a_cancelled_place_is_not_counted():
    cancelled = Fact("cancelled:b1", "place_cancelled", "2026-07-02", "bookings", "family:f", "b1")
    assert indicators.indicators([place("2026-07-06"), cancelled], [], ALL)["avip_places_used"] == 0


def test_a_conversion_is_a_two_decimal_ratio_and_none_after_an_empty_step():
    assert ratio(1, 3) == "0.33"
    assert ratio(2, 3) == "0.67"
    assert ratio(1, 0) is None


def test_the_period_holds_its_first_and_last_days():
    period = Period(date(2026, 7, 1), date(2026, 7, 31))
    assert period.holds(date(2026, 7, 1)) and period.holds(date(2026, 7, 31))
    assert not period.holds(date(2026, 6, 30)) and not period.holds(date(2026, 8, 1))


def test_a_link_learnt_after_the_fact_attributes_it_to_the_person():
    enrolment = Fact("enrolment:e", "enrolment", "2026-09-01", "education", "trainee:t", "s")
    hired = Fact("outcome:o", "outcome", "2026-10-05", "placements", "person:p", "o", "hired")
    unlinked = indicators.funnel(indicators.Counted([enrolment, hired], []), ALL)
    linked = indicators.funnel(indicators.Counted([enrolment, hired], [("trainee:t", "p")]), ALL)
    assert [s["count"] for s in unlinked] == [0, 1, 0, 1]
    assert indicators.person_path([enrolment, hired], [], "p") == [
        {"on": "2026-10-05", "kind": "outcome", "detail": "hired", "source": "placements"}
    ]
    assert [s["count"] for s in linked] == [0, 1, 0, 1]
    assert len(indicators.person_path([enrolment, hired], [("trainee:t", "p")], "p")) == 2


def test_days_from_request_to_place_is_the_mean_wait_of_the_places_given_in_the_period():
    facts = [
        Fact("requested:a", "place_requested", "2026-07-01", "bookings", "family:f", "a"),
        Fact("given:a", "place_given", "2026-07-01", "bookings", "family:f", "a"),
        Fact("requested:b", "place_requested", "2026-07-01", "bookings", "family:g", "b"),
        Fact("given:b", "place_given", "2026-07-04", "bookings", "family:g", "b"),
    ]
    assert indicators.indicators(facts, [], ALL)["days_from_request_to_place"] == "1.50"
    assert indicators.indicators([], [], ALL)["days_from_request_to_place"] is None


def test_an_activity_with_a_volunteer_counts_as_intergenerational_unless_it_had_no_place_for_children():
    done = project(
        "bookings.activity_completed",
        "2026-07-06",
        {"activity_id": "a", "started_at": "2026-07-06", "ended_at": "2026-07-06", "volunteer_ids": ["v1", "v2"]},
    )[0]
    no_children = Fact("scheduled:a", "activity_planned", "2026-07-06", "bookings", None, "a", value="0")
    assert indicators.indicators(done, [], ALL)["intergenerational_activities"] == 1
    assert indicators.indicators(done, [], ALL)["distinct_seniors"] == 2
    assert indicators.indicators([*done, no_children], [], ALL)["intergenerational_activities"] == 0


def test_an_absence_recorded_after_a_presence_takes_the_training_hours_back_by_revision():
    def sheet(present, revision):
        return project(
            "education.attendance_recorded",
            "2026-09-01",
            {
                "session_id": "s",
                "part_index": 0,
                "half_day": "morning",
                "participant_kind": "trainee",
                "participant_id": "t",
                "present": present,
                "starts_at": "2026-09-01",
                "hours": "3.50",
                "revision": revision,
            },
        )[0][0]

    present, absent = sheet(True, 1), sheet(False, 2)
    assert present.key == absent.key and absent.revision > present.revision
    assert indicators.indicators([absent], [], ALL)["training_hours"] == "0.00"


def test_the_months_run_from_the_first_to_the_last_both_included():
    months = indicators.months_between(date(2026, 11, 15), date(2027, 1, 2))
    assert months == [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)]


def closed(month, billed, attended, offered):
    payload = {"month": month, "invoices": 3, "total": "100.00", "hours_billed": billed}
    payload |= {"hours_attended": attended, "place_hours": offered}
    return project("bookings.month_closed", f"{month}-28", payload)[0]


def test_occupancy_and_billing_ratio_add_up_the_months_closed_in_the_period():
    facts = closed("2026-11", "1000.00", "950.00", "2000.00") + closed("2026-12", "500.00", "500.00", "2000.00")
    found = indicators.indicators(facts, [], ALL)
    assert (found["occupancy_rate"], found["billing_ratio"]) == ("0.38", "1.03")  # 1500/4000, 1500/1450
    november = indicators.indicators(facts, [], Period(date(2026, 11, 1), date(2026, 11, 30)))
    assert (november["occupancy_rate"], november["billing_ratio"]) == ("0.50", "1.05")


def test_a_closing_told_before_it_carried_hours_leaves_the_rates_unknown():
    old = project("bookings.month_closed", "2026-10-31", {"month": "2026-10", "invoices": 1, "total": "9.00"})[0]
    assert old == []
    found = indicators.indicators(old, [], ALL)
    assert (found["occupancy_rate"], found["billing_ratio"]) == (None, None)
