"""The insights service's entrypoints (worker_factory): each event is logged once, its facts
counted, the journey of a job-seeking parent seen step by step, and a rebuild from the log gives
the same numbers."""

import pytest

from services.insights import models
from shared.errors import Invalid
from tests.insights_journey import EXPECTED_PATH, JOURNEY, PERSON
from tests.unit.insights.conftest import tell


def told(insights):
    return [tell(insights, name, payload, occurred_at) for name, payload, occurred_at in JOURNEY]


def test_the_journey_shows_each_step_of_the_funnel_and_its_conversion(insights):
    told(insights)
    summary = insights.summary()
    assert summary["funnel"] == [
        {"step": "immersion", "count": 1, "conversion": None},
        {"step": "training", "count": 1, "conversion": "1.00"},
        {"step": "placement", "count": 0, "conversion": "0.00"},
        {"step": "hired", "count": 1, "conversion": None},
    ]
    values = summary["indicators"]
    assert values["immersions"] == 1 and summary["immersions_by_object"]["discover"] == 1
    assert values["hired"] == 1
    assert values["back_to_work"] == 1  # the hire and the family's search stopped are one person
    assert values["back_to_work_3_months"] == 1 and values["back_to_work_6_months"] == 1
    assert values["job_seeking_families_with_place"] == 1 and values["avip_places_used"] == 1
    assert values["training_hours"] == "3.50"
    assert values["occupancy_rate"] is None and values["billing_ratio"] is None
    assert set(values) <= set(summary["definitions"])


def test_the_person_path_follows_the_person_across_the_services_in_order(insights):
    told(insights)
    assert insights.person_path(PERSON) == EXPECTED_PATH


def test_the_same_events_told_again_change_nothing(insights):
    events = told(insights)
    before = insights.summary()
    for (name, _, _), event in zip(JOURNEY, events, strict=True):
        tell(insights, name, event=event)  # the same envelope: the inbox skips it
        tell(insights, name, event={**event, "event_id": f"other-{event['event_id']}"})  # same fact, new id
    assert insights.summary() == before
    assert models.LoggedEvent.select().count() == len(JOURNEY)


def test_a_rebuild_from_the_log_gives_the_same_numbers(insights):
    told(insights)
    before, path = insights.summary(), insights.person_path(PERSON)
    models.Fact.delete().execute()
    assert insights.summary()["indicators"]["hired"] == 0
    answer = insights.rebuild()
    assert answer["events"] == len(JOURNEY)
    assert insights.summary() == before and insights.person_path(PERSON) == path


def test_the_events_in_reverse_order_give_the_same_numbers(insights):
    for name, payload, occurred_at in reversed(JOURNEY):
        tell(insights, name, payload, occurred_at)
    forward = insights.summary()
    assert forward["funnel"][1]["count"] == 1 and forward["indicators"]["back_to_work_3_months"] == 1
    assert insights.person_path(PERSON) == EXPECTED_PATH


def test_the_period_counts_only_what_falls_inside_it(insights):
    told(insights)
    july = insights.summary("2026-07-01", "2026-07-31")
    assert (july["from"], july["to"]) == ("2026-07-01", "2026-07-31")
    assert july["indicators"]["immersions"] == 1 and july["indicators"]["hired"] == 0
    assert [step["count"] for step in july["funnel"]] == [1, 0, 0, 0]


def test_monthly_answers_one_row_per_month_with_the_same_indicators(insights):
    told(insights)
    months = insights.monthly("2026-07-01", "2026-10-31")
    assert [m["month"] for m in months] == ["2026-07", "2026-08", "2026-09", "2026-10"]
    assert months[0]["indicators"]["immersions"] == 1 and months[3]["indicators"]["hired"] == 1
    assert months[2]["indicators"]["training_hours"] == "3.50"
    assert set(months[0]["indicators"]) == set(insights.summary()["indicators"])


def test_a_period_ending_before_it_starts_is_refused_on_to_date(insights):
    with pytest.raises(Invalid) as refused:
        insights.summary("2026-08-01", "2026-07-01")
    assert "to_date" in refused.value.fields


def test_a_date_that_is_not_one_is_refused(insights):
    with pytest.raises(Invalid):
        insights.monthly("juillet", None)


def test_more_than_twenty_years_of_months_at_once_is_refused_on_from_date(insights):
    with pytest.raises(Invalid) as refused:
        insights.monthly("2000-01-01", "2020-01-31")
    assert "from_date" in refused.value.fields
    assert len(insights.monthly("2000-01-01", "2019-12-31")) == 240


def test_an_older_attendance_revision_arriving_last_does_not_bring_the_hours_back(insights):
    sheet = dict(JOURNEY[5][1])
    tell(insights, "education.attendance_recorded", {**sheet, "present": False, "revision": 2})
    tell(insights, "education.attendance_recorded", {**sheet, "present": True, "revision": 1})
    assert insights.summary()["indicators"]["training_hours"] == "0.00"
    insights.rebuild()
    assert insights.summary()["indicators"]["training_hours"] == "0.00"
