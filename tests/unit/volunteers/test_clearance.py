"""Whether a volunteer may be with the children, at each date's edge (domain/clearance.py)."""

from datetime import date

from services.volunteers.domain.clearance import Clearance, add_months, expires_on, expiring, missing

ISSUED = date(2026, 3, 10)


def cleared(issued=ISSUED, policy="MAIF associations n° 1234", first=date(2026, 4, 1)):
    return Clearance(issued, policy, first)


def test_an_attestation_is_valid_three_years_to_the_day_before_its_anniversary():
    assert expires_on(ISSUED) == date(2029, 3, 9)
    assert missing(cleared(), date(2029, 3, 9)) == []
    assert "a expiré le 09/03/2029" in missing(cleared(), date(2029, 3, 10))[0]


def test_an_attestation_of_29_february_expires_on_27_february():
    assert expires_on(date(2028, 2, 29)) == date(2031, 2, 27)


def test_without_an_attestation_or_an_insurance_each_is_said():
    found = missing(Clearance(None, None), ISSUED)
    assert len(found) == 2
    assert "attestation d'honorabilité n'est pas encore enregistrée" in found[0]
    assert "assurance" in found[1]


def test_a_blank_policy_is_no_insurance():
    assert missing(cleared(policy="  "), ISSUED) == [
        "L'assurance de la structure pour les bénévoles n'est pas encore enregistrée pour vous."
    ]


def test_a_first_visit_needs_an_attestation_less_than_six_months_old():
    newcomer = cleared(first=None)
    assert add_months(ISSUED, 6) == date(2026, 9, 10)
    assert missing(newcomer, date(2026, 9, 10)) == []
    assert "moins de 6 mois" in missing(newcomer, date(2026, 9, 11))[0]
    assert missing(cleared(), date(2026, 9, 11)) == []  # came before: the 3 years apply
    assert missing(newcomer, date(2026, 9, 11), max_age_at_start_months=0) == []  # the venue turned it off


def test_an_attestation_dated_after_the_activity_does_not_count():
    assert "à partir de sa date d'émission" in missing(cleared(), date(2026, 3, 9))[0]


def test_staff_see_the_attestations_that_expire_within_30_days():
    assert expiring(ISSUED, date(2029, 2, 7)) is True  # 30 days before the last valid day
    assert expiring(ISSUED, date(2029, 2, 6)) is False
    assert expiring(ISSUED, date(2029, 3, 9)) is True
    assert expiring(ISSUED, date(2029, 3, 10)) is False  # expired: another list
    assert expiring(None, date(2029, 3, 1)) is False


def test_staff_see_what_is_missing_as_codes_in_the_order_the_sentences_say_it():
    from services.volunteers.domain.clearance import gaps

    assert gaps(cleared(), ISSUED) == []
    assert gaps(Clearance(None, None), ISSUED) == ["honorability_missing", "insurance_missing"]
    assert gaps(cleared(policy=None), ISSUED) == ["insurance_missing"]
    assert gaps(cleared(), date(2029, 3, 9)) == []
    assert gaps(cleared(), date(2029, 3, 10)) == ["honorability_expired"]
    assert gaps(cleared(), date(2026, 3, 9)) == ["honorability_not_yet_valid"]
    assert gaps(cleared(first=None), date(2026, 9, 11)) == ["honorability_too_old"]


def test_an_attestation_may_be_recorded_issued_and_checked_today_but_not_tomorrow():
    from services.volunteers.domain.clearance import attestation_errors

    today = date(2026, 12, 3)
    assert attestation_errors(today, today, today) == {}
    tomorrow = date(2026, 12, 4)
    assert "futur" in attestation_errors(tomorrow, today, today)["issued_on"][0]
    assert "futur" in attestation_errors(today, tomorrow, today)["verified_on"][0]
    assert set(attestation_errors(tomorrow, tomorrow, today)) == {"issued_on", "verified_on"}


def test_an_attestation_checked_before_its_issue_is_refused_on_the_check_date():
    from services.volunteers.domain.clearance import attestation_errors

    today = date(2026, 12, 3)
    assert attestation_errors(date(2026, 12, 1), date(2026, 12, 1), today) == {}
    errors = attestation_errors(date(2026, 12, 1), date(2026, 11, 30), today)
    assert list(errors) == ["verified_on"]
    assert "précéder" in errors["verified_on"][0]


def test_an_attestation_already_expired_is_refused_with_its_expiry_date():
    from services.volunteers.domain.clearance import attestation_errors

    today = date(2026, 12, 3)
    last_valid = date(2023, 12, 4)  # expires 2026-12-03: still valid today
    assert attestation_errors(last_valid, today, today) == {}
    errors = attestation_errors(date(2023, 12, 3), today, today)  # expired 2026-12-02
    assert list(errors) == ["issued_on"]
    assert "a expiré le 02/12/2026" in errors["issued_on"][0]
