"""Whether a volunteer may be with the children, at each date's edge (domain/clearance.py): the
shared attestation rule, the insurance's dates, the charte de bénévolat."""

from datetime import date

from services.volunteers.domain.clearance import (
    Clearance,
    Insurance,
    charter_refusal,
    expiring,
    gaps,
    insurance_errors,
    missing,
    renewal_status,
)
from shared.honorability import Attestation

ISSUED = date(2026, 3, 10)
VERIFIED = date(2026, 3, 18)  # 8 days after the issue
ATTESTATION = Attestation(issued_on=ISSUED, verified_on=VERIFIED)
COVER = Insurance("MAIF associations n° 1234", date(2026, 1, 1), date(2026, 12, 31))


def cleared(attestation=ATTESTATION, insurance=COVER):
    return Clearance(attestation, insurance)


def test_an_attestation_clears_three_years_from_its_verification_to_the_day_before_the_anniversary():
    assert missing(cleared(insurance=Insurance("RC", date(2026, 1, 1), date(2030, 1, 1))), date(2029, 3, 17)) == []
    found = missing(cleared(insurance=Insurance("RC", date(2026, 1, 1), date(2030, 1, 1))), date(2029, 3, 18))
    assert "a expiré le 17/03/2029" in found[0]


def test_a_volunteer_verified_eight_days_after_issue_is_cleared_at_a_first_visit_seven_months_later():
    assert missing(cleared(), date(2026, 10, 10)) == []  # no first-visit age condition any more


def test_an_attestation_does_not_clear_before_the_day_it_was_verified():
    assert gaps(cleared(), date(2026, 3, 17)) == ["honorability_not_yet_verified"]
    assert "à partir du 18/03/2026" in missing(cleared(), date(2026, 3, 17))[0]
    assert gaps(cleared(), VERIFIED) == []


def test_without_an_attestation_or_an_insurance_each_is_said():
    found = missing(Clearance(None, Insurance(None)), VERIFIED)
    assert len(found) == 2
    assert "attestation d'honorabilité n'est pas encore enregistrée" in found[0]
    assert "assurance" in found[1]


def test_a_blank_policy_is_no_insurance():
    assert gaps(cleared(insurance=Insurance("  ", date(2026, 1, 1), date(2026, 12, 31))), VERIFIED) == [
        "insurance_missing"
    ]


def test_an_insurance_covers_from_its_first_to_its_last_day_and_not_after():
    assert gaps(cleared(), date(2026, 12, 31)) == []
    assert gaps(cleared(), date(2027, 1, 1)) == ["insurance_expired"]
    assert "a pris fin le 31/12/2026" in missing(cleared(), date(2027, 1, 1))[0]
    later = Insurance("RC", date(2026, 4, 1), date(2027, 3, 31))
    assert gaps(cleared(insurance=later), date(2026, 3, 31)) == ["insurance_not_yet_valid"]
    assert gaps(cleared(insurance=later), date(2026, 4, 1)) == []


def test_a_policy_recorded_before_the_dates_were_asked_clears_nobody_until_staff_complete_them():
    assert gaps(cleared(insurance=Insurance("RC associations 42")), VERIFIED) == ["insurance_dates_missing"]
    assert "dates de validité" in missing(cleared(insurance=Insurance("RC associations 42")), VERIFIED)[0]


def test_staff_see_what_is_missing_as_codes_in_the_order_the_sentences_say_it():
    assert gaps(Clearance(None, Insurance(None)), VERIFIED) == ["honorability_missing", "insurance_missing"]
    assert gaps(cleared(), date(2029, 3, 18)) == ["honorability_expired", "insurance_expired"]


def test_an_insurance_must_end_after_it_starts_and_not_be_over_when_recorded():
    today = date(2026, 12, 3)
    assert insurance_errors(date(2026, 1, 1), today, today) == {}
    assert "précéder" in insurance_errors(date(2026, 1, 2), date(2026, 1, 1), today)["valid_until"][0]
    assert "a pris fin le 02/12/2026" in insurance_errors(date(2026, 1, 1), date(2026, 12, 2), today)["valid_until"][0]


def test_a_sign_up_needs_the_current_charte_accepted_and_a_new_version_accepted_again():
    assert charter_refusal("2026-01", "2026-01") is None
    assert "Acceptez d'abord la charte" in charter_refusal(None, "2026-01")
    assert "a changé (version 2026-09)" in charter_refusal("2026-01", "2026-09")


def test_staff_see_the_attestations_that_expire_within_30_days():
    # expires 2029-03-17
    assert expiring(ATTESTATION, date(2029, 2, 15)) is True  # 30 days before the last valid day
    assert expiring(ATTESTATION, date(2029, 2, 14)) is False
    assert expiring(ATTESTATION, date(2029, 3, 17)) is True
    assert expiring(ATTESTATION, date(2029, 3, 18)) is False  # expired: another list
    assert expiring(None, date(2029, 3, 1)) is False


def test_the_renewal_list_says_missing_expired_or_expiring_within_the_notice():
    assert renewal_status(None, VERIFIED, 60) == "missing"
    assert renewal_status(ATTESTATION, date(2029, 1, 16), 60) == "expiring"  # 60 days before 2029-03-17
    assert renewal_status(ATTESTATION, date(2029, 1, 15), 60) is None
    assert renewal_status(ATTESTATION, date(2029, 3, 18), 60) == "expired"
