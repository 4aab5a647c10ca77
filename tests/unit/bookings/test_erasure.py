"""A family's erasure in bookings (services/bookings/erasure.py): the refusals, then the file under
a pseudonym with its bookings kept, its outbox rows purged and the answer emitted."""

import json

import pytest
from nameko.testing.services import worker_factory

from services.bookings import models
from services.bookings.domain import erasure as rules
from services.bookings.service import BookingsService
from services.bookings.settings import VenueSettings
from shared import erasure, migrate
from shared.events import new_event
from shared.unit_of_work import Work
from tests.factories import child_fields, family_fields

EMAIL = "camille.durand@example.fr"


def test_nothing_blocks_a_family_without_unpaid_invoice_or_running_contract():
    assert rules.blockers([], False) == []


def test_each_unpaid_invoice_is_named_and_a_running_contract_is_said():
    assert rules.blockers(["F-2026-000002", "F-2026-000001"], True) == [
        "Une facture n'est pas réglée (F-2026-000001, F-2026-000002) : l'effacement attendra son paiement ou un avoir.",
        rules.CONTRACT_RUNNING,
    ]


@pytest.fixture
def service(tmp_path):
    migrate.migrate("bookings", f"sqlite:///{tmp_path / 'bookings.db'}")
    models.database.connect()
    yield worker_factory(
        BookingsService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"), settings=VenueSettings()
    )
    models.database.close()


def test_the_family_file_goes_under_a_pseudonym_and_the_answer_is_emitted(service):
    family = service.register_family(family_fields(email=EMAIL))
    child = service.add_child(family["id"], child_fields(first_name="Léa"))
    assert service.erasure_blockers({"family_id": family["id"]}) == []
    models.Outbox.update(published_at=models.Outbox.created_at).execute()  # the relay sent them

    event = new_event(
        "team.account_erasure_requested",
        {"erasure_id": "e-1", "account_id": "a-1", "role": "family", "family_id": family["id"]},
    )
    service.erase_family(event)

    row = models.Family.get_by_id(family["id"])
    pseudonym = erasure.pseudonym(family["id"])
    assert row.email == erasure.pseudonym_email(family["id"])
    assert json.loads(row.guardians) == [{"first_name": pseudonym, "last_name": "", "phone": ""}]
    assert (row.search_text, row.monthly_resources) == (pseudonym, 3000)  # the CAF's figures stay
    assert models.Child.get_by_id(child["id"]).first_name == erasure.pseudonym(child["id"])
    bodies = [r.body for r in models.Outbox.select()]
    assert not [b for b in bodies if EMAIL in b or "Camille" in b]
    assert [json.loads(b)["payload"] for b in bodies if "personal_data_erased" in b] == [
        {"erasure_id": "e-1", "service": "bookings"}
    ]
    service.dead_letters.assert_called_once()
    assert EMAIL in service.dead_letters.call_args.args[0]


def test_an_erasure_of_someone_bookings_does_not_know_is_answered_all_the_same(service):
    event = new_event(
        "team.account_erasure_requested",
        {"erasure_id": "e-2", "account_id": "a-2", "role": "volunteer", "volunteer_id": "v-1"},
    )
    service.erase_family(event)
    assert [json.loads(r.body)["type"] for r in models.Outbox.select()] == ["bookings.personal_data_erased"]
    service.dead_letters.assert_not_called()
