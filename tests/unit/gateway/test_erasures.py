"""The gateway's part of an erasure (services/gateway/erasures.py): the ids it publishes for each
kind of account, and the services it asks for refusals (only those that know the person)."""

from types import SimpleNamespace

from services.gateway import erasures
from services.gateway.models import Account


def test_each_kind_of_account_is_named_by_the_id_its_service_knows():
    assert erasures.ids_of(Account(id="a", role="family", subject_id="f")) == {
        "account_id": "a",
        "role": "family",
        "family_id": "f",
    }
    assert erasures.ids_of(Account(id="a", role="trainee", subject_id="t"))["trainee_id"] == "t"
    assert erasures.ids_of(Account(id="a", role="volunteer", subject_id="v"))["volunteer_id"] == "v"
    assert erasures.ids_of(Account(id="a", role="staff", subject_id=None))["staff_id"] == "a"
    assert "family_id" not in erasures.ids_of(Account(id="a", role="family", subject_id=None))


class Asked:
    def __init__(self, answers):
        self.asked = []
        for name, reasons in answers.items():
            setattr(self, name, SimpleNamespace(erasure_blockers=self._answer(name, reasons)))

    def _answer(self, name, reasons):
        def answer(ids):
            self.asked.append(name)
            return reasons

        return answer


def test_only_the_services_that_know_the_person_are_asked_and_their_reasons_come_in_order():
    rpc = Asked({"bookings": ["Facture"], "placements": ["Stage"], "education": ["Formation"]})
    assert erasures.blockers(rpc, {"trainee_id": "t"}) == ["Stage", "Formation"]
    assert rpc.asked == ["placements", "education"]
    assert erasures.blockers(rpc, {"staff_id": "s"}) == []


def test_a_refusal_is_a_409_giving_every_reason():
    refused = erasures.refusal(["Une facture n'est pas réglée (F-1).", "Un contrat est en cours."])
    assert refused.status == 409 and refused.fields == {
        "erasure": ["Une facture n'est pas réglée (F-1).", "Un contrat est en cours."]
    }
    assert refused.message.startswith("L'effacement est refusé pour l'instant : Une facture")
