"""The placements service's entrypoints with nameko's worker_factory: real SQLite, no broker."""

import json
from datetime import datetime, timezone

import pytest
from nameko.testing.services import worker_factory

from services.placements import models
from services.placements.service import PlacementsService
from services.placements.settings import PlacementsSettings
from shared import migrate, timeutil
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.events import new_event, validate_event
from shared.unit_of_work import Work

NOW = datetime(2026, 3, 20, 18, 0, tzinfo=timezone.utc)  # a Friday evening
TUTOR = "tutor-account-1"


def trainee_fields(**overrides):
    return {
        "email": "lea@example.org",
        "first_name": "Léa",
        "last_name": "Martin",
        "birth_date": "2000-05-04",
        "programme": "cap_aepe",
        "school": "Lycée Jean Moulin",
        **overrides,
    }


@pytest.fixture
def service(tmp_path, monkeypatch):
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW)
    migrate.migrate("placements", f"sqlite:///{tmp_path / 'placements.db'}")
    models.database.connect()
    yield worker_factory(
        PlacementsService,
        uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"),
        settings=PlacementsSettings(),
    )
    models.database.close()


def placement_for(service, trainee, **overrides):
    return service.create_placement(
        {
            "trainee_id": trainee["id"],
            "tutor_id": TUTOR,
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-31",
            **overrides,
        }
    )


@pytest.fixture
def placed(service):
    trainee = service.register_trainee(trainee_fields())
    return trainee, placement_for(service, trainee)


def events(name):
    return [json.loads(row.body)["payload"] for row in models.Outbox.select() if json.loads(row.body)["type"] == name]


def log(service, placed, starts, ends, **extra):
    trainee, placement = placed
    return service.log_hours(
        placement["id"],
        trainee["id"],
        {"starts_at": f"2026-03-{starts}+01:00", "ends_at": f"2026-03-{ends}+01:00", **extra},
    )


def test_a_placement_takes_the_programmes_hours_when_the_agreement_gives_none(service, placed):
    _, placement = placed
    assert (placement["required_hours"], placement["status"]) == ("490.00", "planned")
    assert events("placements.placement_created")[0]["required_hours"] == "490.00"


def test_a_programme_without_default_hours_needs_them_from_the_agreement(service):
    trainee = service.register_trainee(trainee_fields(programme="deaes"))
    with pytest.raises(Invalid) as refused:
        placement_for(service, trainee)
    assert "required_hours" in refused.value.fields


def test_a_tutor_follows_three_trainees_and_not_a_fourth(service):
    for n in range(3):
        placement_for(service, service.register_trainee(trainee_fields(email=f"t{n}@example.org")))
    fourth = service.register_trainee(trainee_fields(email="t4@example.org"))
    with pytest.raises(Conflict) as refused:
        placement_for(service, fourth)
    assert "tutor_id" in refused.value.fields


def test_a_trainee_cannot_be_in_two_placements_at_once(service, placed):
    trainee, _ = placed
    with pytest.raises(Conflict):
        placement_for(service, trainee, tutor_id="another-tutor", starts_on="2026-03-31", ends_on="2026-04-30")
    later = placement_for(
        service, trainee, tutor_id="another-tutor", starts_on="2026-04-01", ends_on="2026-04-30", required_hours="140"
    )
    assert later["status"] == "planned"


def test_the_first_log_starts_a_planned_placement_and_is_submitted(service, placed):
    entry = log(service, placed, "16T09:00:00", "16T16:30:00", tasks="Accueil des enfants")
    assert (entry["status"], entry["hours"]) == ("submitted", "7.50")
    assert len(events("placements.placement_started")) == 1
    assert events("placements.hours_submitted")[0]["hours"] == "7.50"
    shown = service.get_placement(placed[1]["id"])
    assert (shown["status"], shown["submitted_hours"], shown["validated_hours"]) == ("active", "7.50", "0.00")


def test_a_log_breaking_rules_is_refused_with_every_sentence_by_field(service, placed):
    with pytest.raises(Invalid) as refused:
        log(service, placed, "16T07:00:00", "16T18:30:00")
    assert "10\u00a0h" in " ".join(refused.value.fields["ends_at"])
    assert not models.HourLog.select().exists()


def test_a_minors_night_log_is_refused_with_the_reason(service):
    minor = service.register_trainee(trainee_fields(email="m@example.org", birth_date="2009-06-01"))
    placement = placement_for(service, minor)
    with pytest.raises(Invalid) as refused:
        service.log_hours(
            placement["id"],
            minor["id"],
            {"starts_at": "2026-03-16T19:00:00+01:00", "ends_at": "2026-03-16T22:01:00+01:00"},
        )
    assert any("22:00" in m for m in refused.value.fields["ends_at"])


def test_a_trainee_logs_only_on_their_own_placement(service, placed):
    other = service.register_trainee(trainee_fields(email="o@example.org"))
    with pytest.raises(NotFound):
        service.log_hours(
            placed[1]["id"],
            other["id"],
            {"starts_at": "2026-03-16T09:00:00+01:00", "ends_at": "2026-03-16T12:00:00+01:00"},
        )
    with pytest.raises(NotFound):
        service.get_placement(placed[1]["id"], trainee_id=other["id"])


def test_only_the_placements_tutor_validates(service, placed):
    entry = log(service, placed, "16T09:00:00", "16T12:00:00")
    with pytest.raises(Forbidden):
        service.validate_hours(entry["id"], "someone-else")
    validated = service.validate_hours(entry["id"], TUTOR)
    assert (validated["status"], validated["validated_by"]) == ("validated", TUTOR)
    with pytest.raises(Conflict):
        service.validate_hours(entry["id"], TUTOR)
    shown = service.get_placement(placed[1]["id"])
    assert shown["validated_hours"] == "3.00"
    assert shown["weeks"] == [{"week": "2026-03-16", "validated_hours": "3.00", "cumulative_hours": "3.00"}]


def test_a_rejected_log_is_corrected_and_submitted_again(service, placed):
    trainee, _ = placed
    entry = log(service, placed, "16T09:00:00", "16T12:00:00")
    rejected = service.reject_hours(entry["id"], TUTOR, {"reason": "Vous êtes partie à 11 h."})
    assert (rejected["status"], rejected["reason"]) == ("rejected", "Vous êtes partie à 11 h.")
    again = service.correct_hours(
        entry["id"], trainee["id"], {"starts_at": "2026-03-16T09:00:00+01:00", "ends_at": "2026-03-16T11:00:00+01:00"}
    )
    assert (again["status"], again["hours"], again["reason"]) == ("submitted", "2.00", None)
    assert len(events("placements.hours_submitted")) == 2


def test_a_placement_is_completed_once_its_hours_are_validated_after_its_end(service, monkeypatch):
    trainee = service.register_trainee(trainee_fields())
    placement = placement_for(service, trainee, starts_on="2026-03-16", ends_on="2026-03-17", required_hours="10")
    a = log(service, (trainee, placement), "16T08:00:00", "16T13:00:00")
    b = log(service, (trainee, placement), "17T08:00:00", "17T13:00:00")
    service.validate_hours(a["id"], TUTOR)
    service.validate_hours(b["id"], TUTOR)
    assert service.get_placement(placement["id"])["status"] == "completed"
    [done] = events("placements.placement_completed")
    assert (done["validated_hours"], done["gratification_total"]) == ("10.00", "0.00")


def test_a_placement_over_308_hours_owes_the_minimum_on_its_planned_hours_each_month(service):
    trainee = service.register_trainee(trainee_fields())
    placement = placement_for(service, trainee, required_hours="309", ends_on="2026-04-30")
    shown = service.get_placement(placement["id"])
    assert shown["gratification_due"] is True
    assert shown["gratification_school_years"] == ["2025-2026"]
    # 309 h spread over its 44 weekdays, 22 in March and 22 in April
    assert shown["gratification_months"] == [
        {"month": "2026-03", "hours": "154.50", "hourly_rate": "4.50", "amount": "695.25"},
        {"month": "2026-04", "hours": "154.50", "hourly_rate": "4.50", "amount": "695.25"},
    ]
    assert shown["gratification_total"] == "1390.50"


def test_an_interrupted_placement_takes_no_more_hours(service, placed):
    interrupted = service.interrupt_placement(placed[1]["id"], {"reason": "Réorientation"})
    assert (interrupted["status"], interrupted["interruption_reason"]) == ("interrupted", "Réorientation")
    with pytest.raises(Conflict):
        log(service, placed, "16T09:00:00", "16T12:00:00")


def test_the_tutor_rates_each_competence(service, placed):
    items = [{"competence": "Accueillir l'enfant", "rating": "acquired", "comment": "Très à l'aise"}]
    with pytest.raises(Forbidden):
        service.evaluate(placed[1]["id"], "someone-else", {"items": items})
    assert service.evaluate(placed[1]["id"], TUTOR, {"items": items})["evaluation"] == items


def completed(activity_id, trainee_ids, start="2026-03-18T09:00:00+01:00", end="2026-03-18T11:00:00+01:00"):
    body = new_event(
        "bookings.activity_completed",
        {
            "activity_id": activity_id,
            "kind": "story_time",
            "started_at": start,
            "ended_at": end,
            "trainee_ids": trainee_ids,
            "volunteer_ids": [],
        },
    )
    return validate_event(body)


def test_a_completed_activity_prefills_one_log_per_trainee_however_often_it_comes(service, placed):
    trainee, placement = placed
    service.prefill_from_activity(completed("act-1", [trainee["id"], "not-a-trainee"]))
    service.prefill_from_activity(completed("act-1", [trainee["id"]]))  # another event, same activity
    [entry] = models.HourLog.select()
    assert (entry.activity_id, entry.source, entry.status, entry.tasks) == (
        "act-1",
        "activity",
        "submitted",
        "Heure du conte",
    )
    assert service.get_placement(placement["id"])["submitted_hours"] == "2.00"


def test_a_cancelled_activity_gives_no_log_even_if_its_completion_comes_after(service, placed):
    trainee, _ = placed
    service.forget_activity(
        validate_event(new_event("bookings.activity_cancelled", {"activity_id": "act-1", "reason": "Pluie"}))
    )
    service.prefill_from_activity(completed("act-1", [trainee["id"]]))
    assert not models.HourLog.select().exists()


def test_the_trainee_is_known_to_bookings_by_this_services_id(service, placed):
    assert service.trainee_exists(placed[0]["id"]) is True
    assert service.trainee_exists("nobody") is False


def prefilled(service, placed):
    service.prefill_from_activity(completed("act-1", [placed[0]["id"]]))
    return service.list_hour_logs(placed[1]["id"])["items"][0]


def test_the_trainee_confirms_a_log_prefilled_from_an_activity_and_the_tutor_sees_it(service, placed):
    trainee, _ = placed
    entry = prefilled(service, placed)
    assert entry["confirmed_by_trainee_at"] is None
    confirmed = service.confirm_hours(entry["id"], trainee["id"])
    assert (confirmed["status"], confirmed["confirmed_by_trainee_at"]) == ("submitted", "2026-03-20T19:00:00+01:00")
    assert service.confirm_hours(entry["id"], trainee["id"]) == confirmed  # twice: nothing changes
    [waiting] = service.list_tutor_hour_logs(TUTOR)["items"]
    assert waiting["confirmed_by_trainee_at"] == "2026-03-20T19:00:00+01:00"


def test_only_its_trainee_confirms_a_prefilled_log_and_only_before_the_tutor_decides(service, placed):
    trainee, _ = placed
    entry = prefilled(service, placed)
    other = service.register_trainee(trainee_fields(email="o@example.org"))
    with pytest.raises(NotFound):
        service.confirm_hours(entry["id"], other["id"])
    service.validate_hours(entry["id"], TUTOR)
    with pytest.raises(Conflict) as refused:
        service.confirm_hours(entry["id"], trainee["id"])
    assert "déjà validé ou refusé" in refused.value.message


def test_a_log_the_trainee_wrote_has_nothing_to_confirm(service, placed):
    entry = log(service, placed, "16T09:00:00", "16T12:00:00")
    with pytest.raises(Conflict):
        service.confirm_hours(entry["id"], placed[0]["id"])


def test_the_trainee_corrects_a_prefilled_log_before_the_tutor_decides_and_it_counts_as_confirmed(service, placed):
    trainee, _ = placed
    entry = prefilled(service, placed)
    corrected = service.correct_hours(
        entry["id"],
        trainee["id"],
        {"starts_at": "2026-03-18T09:00:00+01:00", "ends_at": "2026-03-18T10:30:00+01:00", "tasks": "Conte"},
    )
    assert (corrected["status"], corrected["hours"], corrected["activity_id"]) == ("submitted", "1.50", "act-1")
    assert corrected["confirmed_by_trainee_at"] is not None
    assert len(events("placements.hours_submitted")) == 2  # the pre-filled one, then the corrected one


def test_a_submitted_log_the_trainee_wrote_is_not_corrected_while_the_tutor_has_it(service, placed):
    trainee, _ = placed
    entry = log(service, placed, "16T09:00:00", "16T12:00:00")
    with pytest.raises(Conflict):
        service.correct_hours(
            entry["id"],
            trainee["id"],
            {"starts_at": "2026-03-16T09:00:00+01:00", "ends_at": "2026-03-16T11:00:00+01:00"},
        )


def test_the_programmes_come_with_their_default_hours_and_deaes_with_none(service):
    found = {p["key"]: (p["label"], p["default_hours"]) for p in service.list_programmes()}
    assert found["cap_aepe"] == ("CAP accompagnant éducatif petite enfance", "490.00")
    assert found["deaes"][1] is None
