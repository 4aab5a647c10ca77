"""The one honorability rule (shared/honorability.py), at each date's edge: under 6 months old
when verified, valid 3 years from the verification (docs/honorability-rules.md)."""

from datetime import date, timedelta

from shared.honorability import (
    EXPIRED,
    MISSING,
    NOT_YET_VERIFIED,
    Attestation,
    add_months,
    attestation_errors,
    expires_on,
    gap,
    latest_verification,
    recording_errors,
    refusal,
    renewal_due,
)

ISSUED = date(2026, 3, 10)
TODAY = date(2026, 12, 7)
DAY = timedelta(days=1)


def errors(issued, verified, today=TODAY):
    return attestation_errors(issued, verified, today)


# --- under 6 months old when verified -------------------------------------------------------------
def test_an_attestation_verified_on_its_sixth_month_anniversary_is_accepted():
    assert latest_verification(ISSUED) == date(2026, 9, 10)
    assert errors(ISSUED, date(2026, 9, 10)) == {}


def test_an_attestation_verified_six_months_and_one_day_after_its_issue_is_refused_on_the_verification_date():
    found = errors(ISSUED, date(2026, 9, 11))
    assert list(found) == ["verified_on"]
    assert "moins de 6 mois" in found["verified_on"][0]
    assert "vérifiable jusqu'au 10/09/2026" in found["verified_on"][0]


def test_an_attestation_verified_one_day_before_its_sixth_month_anniversary_is_accepted():
    assert errors(ISSUED, date(2026, 9, 9)) == {}


def test_an_attestation_verified_the_day_it_was_issued_is_accepted():
    assert errors(TODAY, TODAY) == {}


def test_an_attestation_of_31_august_may_be_verified_until_the_last_day_of_february():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert errors(date(2026, 8, 31), date(2027, 2, 28), today=date(2027, 3, 1)) == {}
    assert "verified_on" in errors(date(2026, 8, 31), date(2027, 3, 1), today=date(2027, 3, 1))
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)  # a leap year


def test_a_renewal_eleven_and_a_half_months_old_is_refused():
    """The issue's first wrong case: the old rule (3 years from issue, no age at verification)
    accepted it."""
    issued = TODAY - timedelta(days=350)
    assert "verified_on" in errors(issued, TODAY)


def test_dates_in_the_future_or_a_verification_before_the_issue_are_refused_on_their_field():
    tomorrow = TODAY + DAY
    assert "futur" in errors(tomorrow, TODAY)["issued_on"][0]
    assert "futur" in errors(TODAY, tomorrow)["verified_on"][0]
    assert "précéder" in errors(TODAY, TODAY - DAY)["verified_on"][0]


# --- valid 3 years from the verification ----------------------------------------------------------
def test_an_attestation_clears_until_the_day_before_the_third_anniversary_of_its_verification():
    attestation = Attestation(issued_on=ISSUED, verified_on=date(2026, 4, 2))
    assert attestation.expires_on == date(2029, 4, 1)
    assert attestation.clears_on(date(2029, 4, 1)) is True  # verified_on + 3 years - 1 day
    assert attestation.clears_on(date(2029, 4, 2)) is False  # the anniversary


def test_validity_counts_from_the_verification_not_from_the_issue():
    attestation = Attestation(issued_on=date(2026, 3, 1), verified_on=date(2026, 8, 1))
    assert attestation.clears_on(date(2029, 3, 1)) is True  # 3 years after the issue: still valid
    assert attestation.expires_on == date(2029, 7, 31)


def test_an_attestation_verified_on_29_february_expires_on_27_february_three_years_later():
    assert expires_on(date(2028, 2, 29)) == date(2031, 2, 27)
    attestation = Attestation(issued_on=date(2028, 2, 1), verified_on=date(2028, 2, 29))
    assert attestation.clears_on(date(2031, 2, 27)) is True
    assert attestation.clears_on(date(2031, 2, 28)) is False


def test_a_volunteer_verified_eight_days_after_issue_is_cleared_at_a_first_visit_seven_months_later():
    """The issue's second wrong case: the old rule refused them (more than 6 months old at the
    first visit); the 6 months are between issue and verification only."""
    attestation = Attestation(issued_on=ISSUED, verified_on=ISSUED + 8 * DAY)
    assert errors(attestation.issued_on, attestation.verified_on) == {}
    first_visit = add_months(ISSUED, 7)
    assert gap(attestation, first_visit) is None
    assert refusal("Jeanne Martin", attestation, first_visit) is None


def test_an_attestation_does_not_clear_before_its_verification():
    attestation = Attestation(issued_on=ISSUED, verified_on=ISSUED + 8 * DAY)
    assert gap(attestation, ISSUED + 7 * DAY) == NOT_YET_VERIFIED
    assert gap(attestation, ISSUED + 8 * DAY) is None


# --- refusals and renewals ----------------------------------------------------------------------
def test_a_refusal_names_the_person_and_what_is_missing():
    assert gap(None, TODAY) == MISSING
    assert "Léa Martin n'a pas d'attestation" in refusal("Léa Martin", None, TODAY)
    old = Attestation(issued_on=date(2023, 1, 2), verified_on=date(2023, 1, 5))
    assert gap(old, TODAY) == EXPIRED
    assert "a expiré le 04/01/2026" in refusal("Léa Martin", old, TODAY)


def test_the_renewal_list_takes_those_without_an_attestation_expired_or_expiring_within_the_notice():
    attestation = Attestation(issued_on=date(2024, 1, 1), verified_on=date(2024, 2, 6))  # expires 2027-02-05
    assert renewal_due(None, TODAY) is True
    assert renewal_due(attestation, TODAY, notice_days=60) is True  # 60 days ahead: 2027-02-05
    assert renewal_due(attestation, TODAY, notice_days=59) is False
    assert renewal_due(attestation, date(2027, 3, 1)) is True  # expired


# What staff may record: the rule, and not an attestation already expired (every service).
def test_an_attestation_verified_six_months_after_its_issue_is_recorded_and_a_day_later_refused():
    today = date(2026, 12, 3)
    assert recording_errors(date(2026, 3, 10), date(2026, 9, 10), today) == {}
    errors = recording_errors(date(2026, 3, 10), date(2026, 9, 11), today)
    assert list(errors) == ["verified_on"]
    assert "moins de 6 mois" in errors["verified_on"][0]


def test_an_attestation_already_expired_is_refused_with_its_expiry_date():
    today = date(2026, 12, 3)
    assert recording_errors(date(2023, 11, 20), date(2023, 12, 4), today) == {}  # expires 2026-12-03
    errors = recording_errors(date(2023, 11, 20), date(2023, 12, 3), today)  # expired 2026-12-02
    assert list(errors) == ["verified_on"]
    assert "a expiré le 02/12/2026" in errors["verified_on"][0]
