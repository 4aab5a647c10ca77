"""After a restore, the erasures of the register not complete are asked of the team service again
(services/gateway/erasure_register.py), with the ids the first request carried."""

from types import SimpleNamespace

from services.gateway import erasure_register
from services.gateway.models import ErasureRecord


class Team:
    def __init__(self):
        self.asked = []

    def request_erasure(self, erasure_id, ids):
        self.asked.append((erasure_id, ids))
        return {"status": "pending"}


def test_only_the_erasures_not_complete_are_asked_again_with_their_ids(app):
    with app.app_context():
        ErasureRecord.create(id="e1", account_id="a1", role="family", subject_id="f1", requested_by="d")
        ErasureRecord.create(id="e2", account_id="a2", role="volunteer", subject_id="v2", requested_by="d")
        ErasureRecord.update(completed_at="2026-12-07 10:00:00").where(ErasureRecord.id == "e2").execute()
        team = Team()
        asked = erasure_register.resume_pending(SimpleNamespace(team=team))
    assert asked == [("e1", "a1", "pending")]
    assert team.asked == [("e1", {"account_id": "a1", "role": "family", "family_id": "f1"})]
