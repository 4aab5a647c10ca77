"""Absence requests: the domain's rules (domain/absences.py decisions, domain/certificates.py) and
the entrypoints with worker_factory (real SQLite, no broker): a family asks, staff decide, only
an approved absence deducts, the certificate is kept encrypted and deleted after its retention."""

import base64
import json
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.fernet import Fernet
from nameko.testing.services import worker_factory

from services.bookings import models
from services.bookings.domain import absences, certificates
from services.bookings.domain.absences import (
    APPROVED,
    HOSPITALISATION,
    ILLNESS_CERTIFICATE,
    OTHER,
    REJECTED,
    REQUESTED,
    WITHDRAWN,
    approval_errors,
    rejection_errors,
    withdrawal_errors,
)
from services.bookings.domain.certificates import MAX_BYTES, certificate_errors, expired, media_type
from services.bookings.service import BookingsService
from services.bookings.settings import VenueSettings
from shared import migrate
from shared.errors import Conflict, Invalid, NotFound
from shared.unit_of_work import Work

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"certificat medical" * 20
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 50
PDF = b"%PDF-1.7\n%certificat d'hospitalisation\n" + b"0" * 100


# --- the rules ------------------------------------------------------------------------------------
class TestDecisions:
    def test_only_an_approved_absence_deducts(self):
        assert [s for s in absences.ABSENCE_STATUSES if absences.deducts(s)] == [APPROVED]

    def test_a_family_may_ask_for_an_illness_a_hospitalisation_or_another_absence_only(self):
        assert absences.FAMILY_REASONS == (ILLNESS_CERTIFICATE, HOSPITALISATION, OTHER)

    @pytest.mark.parametrize("reason", [ILLNESS_CERTIFICATE, HOSPITALISATION])
    def test_an_illness_or_hospitalisation_is_approved_only_on_a_certificate_seen(self, reason):
        assert "proof_seen" in approval_errors(REQUESTED, reason, False)
        assert approval_errors(REQUESTED, reason, True) == {}

    def test_another_absence_is_approved_without_proof(self):
        assert approval_errors(REQUESTED, OTHER, False) == {}

    @pytest.mark.parametrize("status", [APPROVED, REJECTED, WITHDRAWN])
    def test_only_a_request_is_approved_or_refused(self, status):
        assert "status" in approval_errors(status, OTHER, True)
        assert "status" in rejection_errors(status, "Pas de certificat")

    def test_a_refusal_needs_a_reason_of_at_most_500_characters(self):
        assert rejection_errors(REQUESTED, "  ")["reason"] == ["Indiquez le motif du refus : la famille le lira."]
        assert rejection_errors(REQUESTED, "x" * 500) == {}
        assert "reason" in rejection_errors(REQUESTED, "x" * 501)

    def test_only_an_approved_absence_of_an_open_month_is_withdrawn(self):
        assert withdrawal_errors(APPROVED, True) == {}
        assert "status" in withdrawal_errors(APPROVED, False)
        assert "status" in withdrawal_errors(REQUESTED, True)


class TestCertificateFiles:
    @pytest.mark.parametrize(
        "content, kind", [(JPEG, "image/jpeg"), (PNG, "image/png"), (PDF, "application/pdf"), (b"hello", None)]
    )
    def test_the_type_is_read_from_the_first_bytes(self, content, kind):
        assert media_type(content) == kind

    def test_a_text_file_named_pdf_is_refused(self):
        assert "ni une photo" in certificate_errors(b"Ceci est un certificat, promis.")["certificate"][0]

    def test_an_empty_file_is_refused(self):
        assert "vide" in certificate_errors(b"")["certificate"][0]

    def test_five_mio_is_taken_one_byte_more_is_refused(self):
        assert certificate_errors(PDF + b"0" * (MAX_BYTES - len(PDF))) == {}
        refusal = certificate_errors(PDF + b"0" * (MAX_BYTES - len(PDF) + 1))["certificate"][0]
        assert refusal.startswith("Le fichier fait 5,0 Mio : 5 Mio au plus.")

    def test_a_certificate_is_kept_until_the_retention_after_the_decision(self):
        decided = datetime(2027, 3, 1, 10, tzinfo=timezone.utc)
        assert not expired(decided, decided + timedelta(days=183) - timedelta(seconds=1), 183)
        assert expired(decided, decided + timedelta(days=183), 183)

    def test_a_request_not_decided_keeps_its_certificate(self):
        assert not expired(None, datetime(2100, 1, 1, tzinfo=timezone.utc), 1)


# --- the entrypoints ------------------------------------------------------------------------------
FAMILY = {
    "email": "absence@example.fr",
    "monthly_resources": "4000",
    "dependent_children": 2,
    "guardians": [{"first_name": "Anne", "last_name": "Brun", "phone": "0601020304"}],
}
PATTERN = [{"weekday": d, "start": "08:30", "end": "15:42"} for d in range(5)]  # 36 h a week, 7.2 h a day
# Monday 8 to Friday 12 March 2027: an illness deducted from its 4th day (the 11th and the 12th)
MARCH_ILLNESS = {"starts_on": "2027-03-08", "ends_on": "2027-03-12", "reason": ILLNESS_CERTIFICATE}


@pytest.fixture
def service(tmp_path):
    migrate.migrate("bookings", f"sqlite:///{tmp_path / 'bookings.db'}")
    models.database.connect()
    yield worker_factory(
        BookingsService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"), settings=VenueSettings()
    )
    models.database.close()


def contract(service, email=FAMILY["email"]):
    family = service.register_family(dict(FAMILY, email=email))
    child = service.add_child(family["id"], {"first_name": "Lou", "birth_date": "2026-06-01"})
    asked = service.request_contract(
        {
            "child_id": child["id"],
            "starts_on": "2027-01-04",
            "ends_on": "2027-12-31",
            "weeks_per_year": 46,
            "pattern": PATTERN,
        },
        family["id"],
    )
    return family, service.accept_contract(asked["id"])


def b64(content):
    return base64.b64encode(content).decode("ascii")


def events(kind):
    return [e["payload"] for e in (json.loads(r.body) for r in models.Outbox.select()) if e["type"] == kind]


def test_a_familys_absence_is_a_request_that_deducts_nothing(service):
    family, signed = contract(service)
    asked = service.record_absence(signed["id"], MARCH_ILLNESS, family["id"])
    assert (asked["status"], asked["deducted_hours"], asked["recorded_by"]) == (REQUESTED, "0", "family")
    assert service.monthly_statement(family["id"], "2027-03")["deductions"] == "0.00"
    [told] = events("bookings.absence_requested")
    assert told["absence_id"] == asked["id"] and told["has_certificate"] is False
    assert service.count_absence_requests() == {"requested": 1}


def test_staff_approve_on_the_certificate_seen_and_the_hours_are_deducted(service):
    family, signed = contract(service)
    asked = service.record_absence(signed["id"], MARCH_ILLNESS, family["id"], certificate=b64(JPEG))
    assert asked["has_certificate"] is True
    with pytest.raises(Invalid) as refused:
        service.approve_absence(asked["id"], {}, "staff-1")
    assert "J'ai vu le justificatif" in refused.value.fields["proof_seen"][0]
    approved = service.approve_absence(asked["id"], {"proof_seen": True}, "staff-1")
    assert (approved["status"], approved["deducted_hours"], approved["decided_by"]) == (APPROVED, "14.4", "staff-1")
    assert service.monthly_statement(family["id"], "2027-03")["deductions"] == "29.72"  # 2 days x 7.2 h x 2.064 €
    [told] = events("bookings.absence_approved")
    assert told["deducted_hours"] == "14.4" and told["proof_seen"] is True
    with pytest.raises(Conflict, match="n'est plus en attente"):
        service.approve_absence(asked["id"], {"proof_seen": True}, "staff-1")


def test_a_refused_request_deducts_nothing_and_frees_its_days(service):
    family, signed = contract(service)
    asked = service.record_absence(signed["id"], MARCH_ILLNESS, family["id"])
    with pytest.raises(Conflict, match="déjà déclarée ou demandée"):
        service.record_absence(signed["id"], dict(MARCH_ILLNESS, reason=OTHER), family["id"])
    refused = service.reject_absence(asked["id"], {"reason": "Le certificat ne couvre pas ces jours."}, "staff-1")
    assert (refused["status"], refused["reject_reason"]) == (REJECTED, "Le certificat ne couvre pas ces jours.")
    assert events("bookings.absence_rejected")[0]["reject_reason"] == "Le certificat ne couvre pas ces jours."
    assert service.monthly_statement(family["id"], "2027-03")["deductions"] == "0.00"
    assert service.record_absence(signed["id"], dict(MARCH_ILLNESS, reason=OTHER), family["id"])


def test_staffs_absence_is_approved_at_once_and_can_be_withdrawn(service):
    family, signed = contract(service)
    recorded = service.record_absence(
        signed["id"], {"starts_on": "2027-03-10", "ends_on": "2027-03-10", "reason": "eviction"}, None, "staff-1"
    )
    assert (recorded["status"], recorded["deducted_hours"], recorded["decided_by"]) == (APPROVED, "7.2", "staff-1")
    assert events("bookings.absence_recorded")[0]["deducted_hours"] == "7.2"
    assert service.monthly_statement(family["id"], "2027-03")["deductions"] == "14.86"
    withdrawn = service.withdraw_absence(recorded["id"], "staff-2")
    assert (withdrawn["status"], withdrawn["deducted_hours"]) == (WITHDRAWN, "0")
    assert events("bookings.absence_withdrawn")[0]["withdrawn_hours"] == "7.2"
    assert service.monthly_statement(family["id"], "2027-03")["deductions"] == "0.00"
    with pytest.raises(Conflict, match="Seule une absence acceptée"):
        service.withdraw_absence(recorded["id"], "staff-2")


def test_a_withdrawal_in_a_closed_month_is_refused(service, monkeypatch):
    from services.bookings.contracts import absence_requests

    family, signed = contract(service)
    recorded = service.record_absence(signed["id"], dict(MARCH_ILLNESS, reason=HOSPITALISATION))
    monkeypatch.setattr(absence_requests, "month_is_open", lambda family_id, day: False)
    with pytest.raises(Conflict, match="est clos"):
        service.withdraw_absence(recorded["id"], "staff-1")


@pytest.mark.parametrize("reason", ["closure", "eviction"])
def test_a_family_sending_a_closure_or_an_eviction_gets_a_422_naming_the_reason(service, reason):
    family, signed = contract(service)
    with pytest.raises(Invalid) as refused:
        service.record_absence(signed["id"], dict(MARCH_ILLNESS, reason=reason), family["id"])
    assert "déclarée par l'équipe" in refused.value.fields["reason"][0]


def test_the_staff_queue_lists_the_requests_with_the_child(service):
    family, signed = contract(service)
    asked = service.record_absence(signed["id"], MARCH_ILLNESS, family["id"])
    service.record_absence(signed["id"], {"starts_on": "2027-04-01", "ends_on": "2027-04-01", "reason": OTHER})
    [row] = service.list_absences({"status": "requested"})["items"]
    assert (row["id"], row["child_first_name"], row["family_id"]) == (asked["id"], "Lou", family["id"])
    assert len(service.list_absences({})["items"]) == 2


def test_the_certificate_is_stored_encrypted_and_read_back_by_its_family_only(service):
    family, signed = contract(service)
    other, _ = contract(service, "autre@example.fr")
    asked = service.record_absence(signed["id"], MARCH_ILLNESS, family["id"])
    kept = service.put_certificate(asked["id"], b64(PDF), family["id"])
    assert (kept["media_type"], kept["size"]) == ("application/pdf", len(PDF))
    [row] = models.AbsenceCertificate.select()
    assert PDF not in bytes(row.sealed) and b"certificat" not in bytes(row.sealed)
    assert Fernet(service.settings.certificate_keys[0]).decrypt(bytes(row.sealed)) == PDF
    for reader in (family["id"], None):  # the family, staff
        assert base64.b64decode(service.get_certificate(asked["id"], reader)["content_base64"]) == PDF
    with pytest.raises(NotFound):
        service.get_certificate(asked["id"], other["id"])
    with pytest.raises(NotFound):
        service.put_certificate(asked["id"], b64(JPEG), other["id"])


def test_a_text_file_named_pdf_is_refused_by_its_content(service):
    family, signed = contract(service)
    asked = service.record_absence(signed["id"], MARCH_ILLNESS, family["id"])
    with pytest.raises(Invalid) as refused:
        service.put_certificate(asked["id"], b64(b"Je suis un fichier texte nomme certificat.pdf"), family["id"])
    assert "ni une photo (JPEG, PNG) ni un PDF" in refused.value.fields["certificate"][0]
    with pytest.raises(Invalid, match="5 Mio au plus"):
        april = dict(MARCH_ILLNESS, starts_on="2027-04-05", ends_on="2027-04-05")
        service.record_absence(signed["id"], april, family["id"], certificate=b64(PDF + b"0" * MAX_BYTES))
    assert models.ContractAbsence.select().count() == 1  # nothing kept of the refused request


def test_no_certificate_is_kept_for_another_absence(service):
    family, signed = contract(service)
    with pytest.raises(Invalid, match="maladie ou une hospitalisation"):
        service.record_absence(signed["id"], dict(MARCH_ILLNESS, reason=OTHER), family["id"], certificate=b64(PNG))


def test_the_certificate_of_a_decided_absence_no_longer_changes(service):
    family, signed = contract(service)
    asked = service.record_absence(signed["id"], MARCH_ILLNESS, family["id"])
    service.approve_absence(asked["id"], {"proof_seen": True}, "staff-1")
    with pytest.raises(Conflict, match="ne change plus"):
        service.put_certificate(asked["id"], b64(PNG), family["id"])


def test_the_sweep_deletes_certificates_past_their_retention_after_the_decision(service):
    family, signed = contract(service)
    decided = service.record_absence(signed["id"], MARCH_ILLNESS, family["id"], certificate=b64(JPEG))
    may = dict(MARCH_ILLNESS, starts_on="2027-05-03", ends_on="2027-05-07")
    waiting = service.record_absence(signed["id"], may, family["id"], certificate=b64(JPEG))
    service.approve_absence(decided["id"], {"proof_seen": True}, "staff-1")
    decided_at = models.ContractAbsence.get_by_id(decided["id"]).decided_at.replace(tzinfo=timezone.utc)
    days = service.settings.certificate_retention_days
    assert days == certificates.DEFAULT_RETENTION_DAYS
    assert service.delete_expired_certificates(now=decided_at + timedelta(days=days, seconds=-1)) == []
    [gone] = service.delete_expired_certificates(now=decided_at + timedelta(days=days, seconds=1))
    assert service.delete_expired_certificates(now=decided_at + timedelta(days=days * 3)) == []  # the waiting one stays
    with pytest.raises(NotFound):
        service.get_certificate(decided["id"], family["id"])
    assert service.get_contract(signed["id"])["absences"][0]["has_certificate"] is False
    assert service.get_certificate(waiting["id"], family["id"])["media_type"] == "image/jpeg"
    # the decision stays with the absence, and its deduction
    assert service.monthly_statement(family["id"], "2027-03")["deductions"] == "29.72"


def test_the_certificate_goes_with_its_absence(service):
    family, signed = contract(service)
    service.record_absence(signed["id"], MARCH_ILLNESS, family["id"], certificate=b64(PNG))
    models.ContractAbsence.delete().execute()
    assert models.AbsenceCertificate.select().count() == 0


def test_absences_written_before_requests_existed_are_approved_after_migrate(service, tmp_path):
    family, signed = contract(service)
    service.record_absence(signed["id"], MARCH_ILLNESS, family["id"])
    models.database.execute_sql("DROP INDEX contractabsence_status_starts_on_id")
    for column in ("status", "decided_by", "decided_at", "proof_seen", "reject_reason", "has_certificate"):
        models.database.execute_sql(f"ALTER TABLE contractabsence DROP COLUMN {column}")
    models.database.close()
    migrate.migrate("bookings", f"sqlite:///{tmp_path / 'bookings.db'}")
    models.database.connect()
    [old] = models.ContractAbsence.select()
    assert (old.status, old.proof_seen, old.has_certificate, old.decided_at) == (APPROVED, False, False, None)


def test_the_settings_read_the_certificate_key_and_keep_a_development_one(monkeypatch, tmp_path):
    from services.bookings import settings

    monkeypatch.setenv("COCOON_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("COCOON_CERTIFICATE_KEY", raising=False)
    first = settings.certificate_keys()
    assert settings.certificate_keys() == first  # kept in var/: the same on the next start
    assert (tmp_path / "bookings-certificate-key").stat().st_mode & 0o077 == 0
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("COCOON_CERTIFICATE_KEY", f"{new}, {old}")
    assert settings.certificate_keys() == (new.encode(), old.encode())
    monkeypatch.setenv("COCOON_CERTIFICATE_KEY", "not-a-key")
    with pytest.raises(ValueError, match="COCOON_CERTIFICATE_KEY"):
        settings.certificate_keys()
    assert "certificate_keys" not in repr(VenueSettings())
