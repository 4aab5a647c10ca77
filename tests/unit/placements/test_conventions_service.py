"""A convention's rules at its creation and its change, through the placements service's
entrypoints (nameko's worker_factory, real SQLite, no broker): planned hours from the weekly
schedule, the gratification across the trainee's placements of a school year, the tutor's limit
by dates, the host's weekly quota, the 6 months, the edit's history and the payments."""

import json
from datetime import datetime, timezone

import pytest
from nameko.testing.services import worker_factory

from services.placements import models
from services.placements.service import PlacementsService
from services.placements.settings import PlacementsSettings
from shared import migrate, timeutil
from shared.errors import Conflict, Invalid
from shared.events import new_event, validate_event
from shared.unit_of_work import Work

NOW = datetime(2026, 3, 20, 18, 0, tzinfo=timezone.utc)
TUTOR = "tutor-account-1"
STAFF = "staff-account-9"
# Monday to Friday, 9:00–17:00 with an hour's lunch: 7 h a day, 35 h a week
WEEK_35 = [{"weekday": day, "start": "09:00", "end": "17:00", "break_minutes": 60} for day in range(5)]


@pytest.fixture
def service(tmp_path, monkeypatch):
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW)
    migrate.migrate("placements", f"sqlite:///{tmp_path / 'placements.db'}")
    models.database.connect()
    yield worker_factory(
        PlacementsService,
        uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"),
        settings=PlacementsSettings(host_staff_count=40),  # 6 trainees a week: the quota's own tests say 12
    )
    models.database.close()


def trainee(service, n=1, programme="cap_aepe", birth_date="2000-05-04"):
    return service.register_trainee(
        {
            "email": f"stagiaire{n}@example.org",
            "first_name": f"Stagiaire{n}",
            "last_name": "Martin",
            "birth_date": birth_date,
            "programme": programme,
            "school": "Lycée Jean Moulin",
        }
    )


def convention(service, who, starts_on, ends_on, tutor=TUTOR, schedule=WEEK_35, **extra):
    return service.create_placement(
        {
            "trainee_id": who["id"],
            "tutor_id": tutor,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "weekly_schedule": schedule,
            **extra,
        }
    )


def events(name):
    return [json.loads(r.body) for r in models.Outbox.select() if json.loads(r.body)["type"] == name]


# --- planned hours ------------------------------------------------------------------------------
def test_a_five_week_placement_plans_its_schedules_hours_not_the_courses_total(service):
    shown = convention(service, trainee(service), "2026-05-04", "2026-06-05")
    assert (shown["planned_hours"], shown["required_hours"]) == ("175.00", "490.00")
    assert shown["gratification_due"] is False
    assert events("placements.placement_created")[0]["payload"]["planned_hours"] == "175.00"


def test_a_placement_without_a_schedule_plans_its_required_hours(service):
    shown = convention(service, trainee(service), "2026-05-04", "2026-06-05", schedule=[], required_hours="150")
    assert (shown["planned_hours"], shown["required_hours"]) == ("150.00", "150.00")


def test_a_departure_before_the_arrival_is_refused_on_its_day(service):
    bad = [{"weekday": 0, "start": "17:00", "end": "09:00"}]
    with pytest.raises(Invalid) as refused:
        convention(service, trainee(service), "2026-05-04", "2026-06-05", schedule=bad)
    assert "weekly_schedule" in refused.value.fields


# --- gratification across placements -----------------------------------------------------------
def test_two_six_week_placements_of_one_school_year_pass_308_hours_together_and_both_owe(service):
    lina = trainee(service)
    first = convention(service, lina, "2026-01-05", "2026-02-13")  # 6 weeks x 35 h = 210 h
    assert first["gratification_due"] is False  # alone: 210 h
    second = convention(service, lina, "2026-05-04", "2026-06-12")  # 210 h more: 420 h in 2025-2026
    first = service.get_placement(first["id"])
    assert (first["gratification_due"], second["gratification_due"]) == (True, True)
    assert first["school_year_planned_hours"] == {"2025-2026": "420.00"}
    # from the first hour, at 4.50 €/h in 2026: 420 h -> 1,890 €
    assert first["gratification_total"] == "945.00" and second["gratification_total"] == "945.00"


def test_the_same_two_placements_across_two_school_years_owe_nothing(service):
    lina = trainee(service)
    convention(service, lina, "2026-05-04", "2026-06-12")  # 2025-2026
    second = convention(service, lina, "2026-09-07", "2026-10-16")  # 2026-2027
    assert second["gratification_due"] is False
    assert second["school_year_planned_hours"] == {"2025-2026": "210.00", "2026-2027": "210.00"}


def test_308_hours_exactly_owe_nothing_and_the_309th_hour_does(service):
    lina = trainee(service)
    convention(service, lina, "2026-05-04", "2026-05-04", schedule=[], required_hours="300")
    at_308 = convention(service, lina, "2026-05-05", "2026-05-05", schedule=[], required_hours="8")
    assert at_308["gratification_due"] is False
    service.update_placement(at_308["id"], {"required_hours": "9"}, STAFF)
    assert service.get_placement(at_308["id"])["gratification_due"] is True


def test_continuing_training_neither_counts_nor_owes(service):
    adult = trainee(service, programme="formation_continue")
    shown = convention(service, adult, "2026-01-05", "2026-04-24")  # 16 weeks, 560 h
    assert (shown["under_convention"], shown["gratification_due"]) == (False, False)


# --- the tutor's limit by dates ------------------------------------------------------------------
def three_for_the_tutor(service):
    return [convention(service, trainee(service, n), "2026-04-06", "2026-04-24") for n in (1, 2, 3)]


def test_a_fourth_designation_on_overlapping_dates_is_refused(service):
    three_for_the_tutor(service)
    with pytest.raises(Conflict) as refused:
        convention(service, trainee(service, 4), "2026-04-20", "2026-05-08")
    assert "tutor_id" in refused.value.fields


def test_a_fourth_designation_after_the_others_end_is_accepted(service):
    three_for_the_tutor(service)
    shown = convention(service, trainee(service, 4), "2026-04-27", "2026-05-15")
    assert shown["status"] == "planned"


def test_a_change_of_tutor_counts_on_the_day_it_takes_effect(service):
    three_for_the_tutor(service)
    other = convention(service, trainee(service, 4), "2026-04-06", "2026-04-24", tutor="tutor-2")
    with pytest.raises(Conflict):
        service.update_placement(other["id"], {"tutor_id": TUTOR}, STAFF)


# --- the host's quota ------------------------------------------------------------------------------
def test_a_fourth_trainee_in_one_civil_week_is_refused_under_20_staff(service):
    service.settings = PlacementsSettings(host_staff_count=12)
    for n, tutor in ((1, "t1"), (2, "t2"), (3, "t3")):
        convention(service, trainee(service, n), "2026-04-06", "2026-04-10", tutor=tutor)
    with pytest.raises(Conflict) as refused:
        convention(service, trainee(service, 4), "2026-04-10", "2026-04-17", tutor="t4")  # ends the first week
    assert "R124-10" in refused.value.message and "starts_on" in refused.value.fields
    shown = convention(service, trainee(service, 5), "2026-04-13", "2026-04-17", tutor="t4")  # the next week
    assert shown["status"] == "planned"


def test_observation_stages_do_not_count_in_the_host_quota(service):
    service.settings = PlacementsSettings(host_staff_count=12)
    for n, tutor in ((1, "t1"), (2, "t2"), (3, "t3")):
        convention(service, trainee(service, n), "2026-04-06", "2026-04-10", tutor=tutor)
    pupil = trainee(service, 4, programme="observation_3e", birth_date="2012-02-01")
    shown = convention(service, pupil, "2026-04-06", "2026-04-10", tutor="t4", required_hours=None)
    assert (shown["under_convention"], shown["hours_to_validate"]) == (False, False)


# --- 6 months per school year ----------------------------------------------------------------------
def test_924_hours_in_a_school_year_are_allowed_and_the_next_hour_is_not(service):
    lina = trainee(service)
    convention(service, lina, "2025-09-01", "2025-09-01", schedule=[], required_hours="900")
    at_924 = convention(service, lina, "2025-10-01", "2025-10-01", schedule=[], required_hours="24")
    assert at_924["status"] in ("planned", "active")
    with pytest.raises(Conflict) as refused:
        service.update_placement(at_924["id"], {"required_hours": "24.01"}, STAFF)
    assert "L124-5" in refused.value.message


# --- the edit and its history ----------------------------------------------------------------------
def test_an_edit_keeps_who_why_and_each_field_before_and_after(service):
    shown = convention(service, trainee(service), "2026-05-04", "2026-06-05")
    changed = service.update_placement(
        shown["id"], {"ends_on": "2026-06-12", "tutor_id": "tutor-2", "reason": "Arrêt maladie d'une semaine"}, STAFF
    )
    assert (changed["ends_on"], changed["tutor_id"], changed["planned_hours"]) == ("2026-06-12", "tutor-2", "210.00")
    assert changed["designated_on"] == "2026-05-04"  # the change takes effect on its first day, still ahead
    (entry,) = changed["history"]
    assert (entry["changed_by"], entry["reason"]) == (STAFF, "Arrêt maladie d'une semaine")
    assert entry["changes"] == {
        "ends_on": {"before": "2026-06-05", "after": "2026-06-12"},
        "tutor_id": {"before": TUTOR, "after": "tutor-2"},
    }
    (event,) = events("placements.placement_changed")
    validate_event(new_event("placements.placement_changed", event["payload"]))
    assert event["payload"]["changed"] == ["ends_on", "tutor_id"]


def test_an_edit_that_changes_nothing_leaves_no_history(service):
    shown = convention(service, trainee(service), "2026-05-04", "2026-06-05")
    again = service.update_placement(shown["id"], {"ends_on": "2026-06-05"}, STAFF)
    assert again["history"] == [] and events("placements.placement_changed") == []


def test_an_ended_placement_is_not_edited(service):
    shown = convention(service, trainee(service), "2026-05-04", "2026-06-05")
    service.interrupt_placement(shown["id"], {"reason": "Réorientation"})
    with pytest.raises(Conflict):
        service.update_placement(shown["id"], {"ends_on": "2026-06-12"}, STAFF)


def test_dates_that_would_leave_logged_hours_outside_are_refused(service):
    lina = trainee(service)
    shown = convention(service, lina, "2026-03-02", "2026-03-31")
    service.log_hours(
        shown["id"], lina["id"], {"starts_at": "2026-03-16T09:00:00+01:00", "ends_at": "2026-03-16T12:00:00+01:00"}
    )
    with pytest.raises(Conflict) as refused:
        service.update_placement(shown["id"], {"ends_on": "2026-03-13"}, STAFF)
    assert "16/03/2026" in refused.value.message


# --- the gratification paid ------------------------------------------------------------------------
def test_payments_are_recorded_once_a_month_and_totalled(service):
    shown = convention(service, trainee(service), "2026-01-05", "2026-04-03")
    service.record_gratification_payment(shown["id"], {"month": "2026-01", "amount": "472.50"}, STAFF)
    paid = service.record_gratification_payment(shown["id"], {"month": "2026-02", "amount": "472.50"}, STAFF)
    assert paid["gratification_paid"] == "945.00"
    assert [(p["month"], p["amount"], p["recorded_by"]) for p in paid["gratification_payments"]] == [
        ("2026-01", "472.50", STAFF),
        ("2026-02", "472.50", STAFF),
    ]
    with pytest.raises(Conflict):
        service.record_gratification_payment(shown["id"], {"month": "2026-02", "amount": "10"}, STAFF)


def test_a_payment_outside_the_placements_months_or_not_in_cents_is_refused(service):
    shown = convention(service, trainee(service), "2026-01-05", "2026-04-03")
    with pytest.raises(Invalid) as refused:
        service.record_gratification_payment(shown["id"], {"month": "2026-05", "amount": "12.345"}, STAFF)
    assert set(refused.value.fields) == {"month", "amount"}


# --- observation stages ------------------------------------------------------------------------------
def test_an_observation_stage_takes_no_hours_and_completes_on_its_last_day(service, monkeypatch):
    pupil = trainee(service, programme="observation_3e", birth_date="2012-02-01")
    shown = convention(service, pupil, "2026-03-16", "2026-03-20", schedule=[])
    assert shown["planned_hours"] == "0.00"
    with pytest.raises(Conflict) as refused:
        service.log_hours(
            shown["id"], pupil["id"], {"starts_at": "2026-03-16T09:00:00+01:00", "ends_at": "2026-03-16T12:00:00+01:00"}
        )
    assert "observation" in refused.value.message
    service.advance_placements()  # the 20th, evening: started and ended
    assert service.get_placement(shown["id"])["status"] == "completed"
