"""A family's SEPA mandate through the service (family_file/mandates.py) with worker_factory (real
SQLite, no broker): recorded with its reference, IBAN checked and answered masked, a new one revokes
the old, the event carries no account number."""

import json
from datetime import date, timedelta

import pytest
from nameko.testing.services import worker_factory

from services.bookings import models
from services.bookings.family_file import store
from services.bookings.service import BookingsService
from services.bookings.settings import VenueSettings
from shared import migrate, timeutil
from shared.errors import Invalid, NotFound
from shared.unit_of_work import Work

FAMILY = {
    "email": "mandat@example.fr",
    "monthly_resources": "3000",
    "dependent_children": 1,
    "guardians": [{"first_name": "Anne", "last_name": "Brun", "phone": "0601020304"}],
}
IBAN = "FR76 3000 6000 0112 3456 7890 189"


@pytest.fixture
def service(tmp_path):
    migrate.migrate("bookings", f"sqlite:///{tmp_path / 'bookings.db'}")
    models.database.connect()
    yield worker_factory(
        BookingsService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"), settings=VenueSettings()
    )
    models.database.close()


def signed(**changes):
    return {"iban": IBAN, "holder": "Anne Brun", "signed_on": "2026-01-02", **changes}


def events():
    return [json.loads(row.body) for row in models.Outbox.select().order_by(models.Outbox.id)]


def test_a_mandate_is_recorded_with_its_reference_and_answered_with_the_iban_masked(service):
    family = service.register_family(FAMILY)
    mandate = service.sign_mandate(family["id"], signed())
    short = family["id"].replace("-", "")[:12].upper()
    assert mandate["reference"] == f"COCOON-{short}-1"
    assert mandate["iban"] == "FR76 •••• •••• 0189"
    assert mandate["bic"] == "AGRIFRPPXXX"  # from the IBAN's bank
    assert mandate["holder"] == "Anne Brun" and mandate["signed_on"] == "2026-01-02" and mandate["active"]
    assert mandate["creditor_id"] == "FR72ZZZ123456" and mandate["creditor_name"] == "Cocoon'Age"
    assert service.get_mandate(family["id"]) == mandate
    stored = models.SepaMandate.get()
    assert stored.iban == "FR7630006000011234567890189"  # normalised, whole for the bank file only
    [event] = [e for e in events() if e["type"] == "bookings.mandate_signed"]
    assert event["payload"] == {
        "family_id": family["id"],
        "mandate_id": mandate["id"],
        "reference": mandate["reference"],
        "signed_on": "2026-01-02",
        "replaces": None,
    }
    assert "3000" not in json.dumps(event)  # no part of the account number


def test_a_new_mandate_revokes_the_old_one_and_gets_the_next_reference_the_old_one_unchanged(service):
    family = service.register_family(FAMILY)
    first = service.sign_mandate(family["id"], signed())
    second = service.sign_mandate(family["id"], signed(iban="DE89 3704 0044 0532 0130 00", holder="Anne  Brun "))
    assert second["reference"].endswith("-2") and second["holder"] == "Anne Brun"
    assert service.get_mandate(family["id"])["id"] == second["id"]
    old = models.SepaMandate.get_by_id(first["id"])
    assert old.reference == first["reference"] and old.revoked_at is not None and old.active_family is None
    assert store.active_mandates([family["id"]])[family["id"]].iban == "DE89370400440532013000"
    assert events()[-1]["payload"]["replaces"] == first["id"]


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"iban": "FR7630006000011234567890188"}, "iban", "clé de contrôle"),
        ({"iban": "FR28 3000 6000 0112 3456 7890 180"}, "iban", "clé RIB"),
        ({"iban": "FR76"}, "iban", "nombre de caractères"),
        ({"bic": "BNP"}, "bic", "BIC"),
        ({"holder": "   "}, "holder", "titulaire"),
    ],
)
def test_a_wrong_field_is_a_french_422_naming_it(service, changes, field, says):
    family = service.register_family(FAMILY)
    with pytest.raises(Invalid) as refused:
        service.sign_mandate(family["id"], signed(**changes))
    assert says in refused.value.fields[field][0]
    assert models.SepaMandate.select().count() == 0


def test_a_mandate_signed_tomorrow_is_refused_today_is_fine(service):
    family = service.register_family(FAMILY)
    today = timeutil.venue_today()
    with pytest.raises(Invalid) as refused:
        service.sign_mandate(family["id"], signed(signed_on=(today + timedelta(days=1)).isoformat()))
    assert refused.value.fields["signed_on"] == ["La date de signature ne peut pas être dans le futur."]
    assert service.sign_mandate(family["id"], signed(signed_on=today.isoformat()))["active"]


def test_without_a_mandate_get_is_a_404_and_the_terms_give_the_creditor_and_the_next_reference(service):
    family = service.register_family(FAMILY)
    with pytest.raises(NotFound):
        service.get_mandate(family["id"])
    terms = service.mandate_terms(family["id"])
    assert terms["mandate"] is None and terms["next_reference"].endswith("-1")
    assert terms["creditor_id"] == "FR72ZZZ123456"
    service.sign_mandate(family["id"], signed())
    terms = service.mandate_terms(family["id"])
    assert terms["mandate"]["iban"] == "FR76 •••• •••• 0189" and terms["next_reference"].endswith("-2")


def test_an_unknown_family_is_a_404(service):
    with pytest.raises(NotFound):
        service.sign_mandate("nope", signed())


def test_the_signing_date_is_a_date_not_any_text(service):
    family = service.register_family(FAMILY)
    with pytest.raises(Invalid) as refused:
        service.sign_mandate(family["id"], {"iban": IBAN, "holder": "A"})
    assert refused.value.fields["signed_on"] == ["Champ obligatoire."]
    assert date.fromisoformat("2026-01-02")  # the format the API documents


def test_a_family_revokes_its_mandate_and_the_next_one_gets_a_new_reference(service):
    family = service.register_family(FAMILY)
    first = service.sign_mandate(family["id"], signed())
    revoked = service.revoke_mandate(family["id"])
    assert revoked["id"] == first["id"] and not revoked["active"] and revoked["revoked_at"]
    with pytest.raises(NotFound):
        service.get_mandate(family["id"])
    assert store.active_mandates({family["id"]}) == {}  # the SEPA file debits nobody
    [event] = [e for e in events() if e["type"] == "bookings.mandate_revoked"]
    assert set(event["payload"]) == {"family_id", "mandate_id", "reference", "revoked_at"}
    assert event["payload"]["mandate_id"] == first["id"] and event["payload"]["reference"] == first["reference"]
    again = service.sign_mandate(family["id"], signed())
    assert again["reference"].endswith("-2")


def test_revoking_when_no_mandate_is_active_says_there_is_none(service):
    family = service.register_family(FAMILY)
    with pytest.raises(NotFound, match="Aucun mandat"):
        service.revoke_mandate(family["id"])
