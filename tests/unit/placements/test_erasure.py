"""A trainee's erasure in placements (services/placements/erasure.py): refused while a placement is
planned or under way; then names, email, phone and the school referent go, the placement stays."""

import json
from datetime import date

from services.placements import models
from services.placements.domain import erasure as rules
from shared import erasure
from shared.events import new_event, validate_event
from tests.unit.placements.test_placements_service import service  # noqa: F401


def trainee(**overrides):
    fields = {
        "email": "lina.roux@example.fr",
        "first_name": "Lina",
        "last_name": "Roux",
        "phone": "0612345678",
        "birth_date": date(2001, 3, 14),
        "programme": "cap_aepe",
        "school": "Lycée Jean-Moulin",
        "referent_name": "M. Petit",
        "referent_email": "petit@lycee.fr",
        **overrides,
    }
    return models.Trainee.create(**fields)


def placement(row, status):
    return models.Placement.create(
        trainee=row,
        tutor_id="staff-1",
        school=row.school,
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 1, 30),
        required_hours=70,
        status=status,
    )


def test_a_placement_planned_or_under_way_blocks_and_an_ended_one_does_not(service):  # noqa: F811
    row = trainee()
    assert service.erasure_blockers({"trainee_id": row.id}) == []
    placement(row, "completed")
    assert service.erasure_blockers({"trainee_id": row.id}) == []
    placement(row, "active")
    assert service.erasure_blockers({"trainee_id": row.id}) == [rules.PLACEMENT_RUNNING]


def test_the_trainee_goes_under_the_pseudonym_and_the_placement_stays(service):  # noqa: F811
    row = trainee()
    kept = placement(row, "completed")
    payload = {"erasure_id": "e-1", "account_id": "a-1", "role": "trainee", "trainee_id": row.id}
    service.erase_trainee(validate_event(new_event("team.account_erasure_requested", payload)))
    erased = models.Trainee.get_by_id(row.id)
    assert (erased.email, erased.first_name, erased.phone, erased.referent_email) == (
        erasure.pseudonym_email(row.id),
        erasure.pseudonym(row.id),
        None,
        None,
    )
    assert models.Placement.get_by_id(kept.id).required_hours == 70
    [answer] = [json.loads(r.body)["payload"] for r in models.Outbox.select()]
    assert answer == {"erasure_id": "e-1", "service": "placements"}
