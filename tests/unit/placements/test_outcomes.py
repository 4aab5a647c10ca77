"""Outcomes on a person's path (services/placements/outcomes.py): what staff may record, what the
event tells (never the free-text detail), the export and the erasure of the detail."""

import json
from datetime import datetime, timezone

import pytest

from services.placements import models
from shared import timeutil
from shared.errors import Forbidden, Invalid
from shared.events import new_event, validate_event
from tests.unit.placements.test_placements_service import NOW, service  # noqa: F401

ACCOUNT = "account-parent-1"
COORDINATOR = "staff-coordinator-1"
SUBJECTS = [{"role": "family", "id": "family-1"}]


def outcome(**overrides):
    return {"kind": "hired", "on": "2026-03-20", "detail": "CDI d'auxiliaire de puériculture", "subjects": SUBJECTS} | (
        overrides
    )


def events(name):
    rows = [json.loads(row.body) for row in models.Outbox.select().order_by(models.Outbox.id)]
    return [validate_event(body)["payload"] for body in rows if body["type"] == name]


def test_an_outcome_is_kept_with_its_detail_and_told_without_it(service):  # noqa: F811
    recorded = service.record_outcome(ACCOUNT, outcome(), COORDINATOR)
    assert (recorded["kind"], recorded["on"], recorded["detail"], recorded["recorded_by"]) == (
        "hired",
        "2026-03-20",
        "CDI d'auxiliaire de puériculture",
        COORDINATOR,
    )
    [told] = events("placements.outcome_recorded")
    assert told["person_id"] == ACCOUNT
    assert told["subjects"] == SUBJECTS
    assert told["outcome_id"] == recorded["id"]
    assert "detail" not in told
    assert "puériculture" not in json.dumps(told, default=str)


def test_an_outcome_dated_today_at_the_venue_is_accepted_and_tomorrow_is_refused(service):  # noqa: F811
    service.record_outcome(ACCOUNT, outcome(on="2026-03-20"), COORDINATOR)
    with pytest.raises(Invalid) as refused:
        service.record_outcome(ACCOUNT, outcome(on="2026-03-21"), COORDINATOR)
    assert "on" in refused.value.fields
    assert len(events("placements.outcome_recorded")) == 1


def test_after_midnight_at_the_venue_the_new_day_is_today_although_utc_is_still_on_the_day_before(
    service,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setattr(timeutil, "now_utc", lambda: datetime(2026, 3, 20, 23, 30, tzinfo=timezone.utc))
    assert service.record_outcome(ACCOUNT, outcome(on="2026-03-21"), COORDINATOR)["on"] == "2026-03-21"


@pytest.mark.parametrize(
    "field, value",
    [("kind", "retired"), ("kind", None), ("on", "21/03/2026"), ("detail", "x" * 2001), ("subjects", None)],
)
def test_an_unknown_kind_a_bad_date_a_too_long_detail_or_no_subjects_is_refused(service, field, value):  # noqa: F811
    with pytest.raises(Invalid) as refused:
        service.record_outcome(ACCOUNT, outcome(**{field: value}), COORDINATOR)
    assert field in refused.value.fields
    assert models.Outcome.select().count() == 0


def test_a_detail_of_2000_characters_is_accepted_and_the_detail_is_optional(service):  # noqa: F811
    assert len(service.record_outcome(ACCOUNT, outcome(detail="x" * 2000), COORDINATOR)["detail"]) == 2000
    without = {key: value for key, value in outcome().items() if key != "detail"}
    assert service.record_outcome(ACCOUNT, without, COORDINATOR)["detail"] == ""


def test_only_staff_record_an_outcome(service):  # noqa: F811
    with pytest.raises(Forbidden):
        service.record_outcome(ACCOUNT, outcome(), None)


def test_a_persons_outcomes_are_listed_by_date_and_not_anothers(service):  # noqa: F811
    service.record_outcome(ACCOUNT, outcome(kind="hired", on="2026-03-18"), COORDINATOR)
    service.record_outcome(ACCOUNT, outcome(kind="training_started", on="2026-02-02"), COORDINATOR)
    service.record_outcome("another-account", outcome(kind="job_found"), COORDINATOR)
    assert [o["kind"] for o in service.outcomes_of(ACCOUNT)] == ["training_started", "hired"]


def test_the_export_of_any_role_holds_the_accounts_outcomes_with_their_detail(service):  # noqa: F811
    service.record_outcome(ACCOUNT, outcome(), COORDINATOR)
    service.record_outcome("another-account", outcome(detail="Autre personne"), COORDINATOR)
    person = {"account_id": ACCOUNT, "subject_id": "family-1", "email": "p@example.org", "role": "family"}
    answer = json.loads(json.dumps(service.export_person(person)))
    assert [o["detail"] for o in answer["outcomes"]] == ["CDI d'auxiliaire de puériculture"]


def test_the_erasure_blanks_the_detail_and_keeps_the_kind_and_the_date(service):  # noqa: F811
    service.record_outcome(ACCOUNT, outcome(), COORDINATOR)
    service.record_outcome("another-account", outcome(detail="Autre personne"), COORDINATOR)
    payload = {"erasure_id": "e-1", "account_id": ACCOUNT, "role": "family", "family_id": "family-1"}
    service.erase_trainee(validate_event(new_event("team.account_erasure_requested", payload)))
    [kept] = service.outcomes_of(ACCOUNT)
    assert (kept["kind"], kept["on"], kept["detail"]) == ("hired", "2026-03-20", "")
    assert service.outcomes_of("another-account")[0]["detail"] == "Autre personne"
    assert events("placements.personal_data_erased") == [{"erasure_id": "e-1", "service": "placements"}]


def test_the_clock_of_these_tests_is_the_one_the_service_reads(service):  # noqa: F811
    assert timeutil.now_utc() == NOW
