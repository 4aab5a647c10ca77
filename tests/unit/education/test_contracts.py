"""Learners' contracts (domain/contracts.py): the 10-day withdrawal period (L6353-5), payments
(L6353-6), which funding needs which document, CPF only with a certification code (L6323-6)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from services.education.domain.contracts import (
    can_withdraw,
    cpf_allowed,
    euros,
    is_certification_code,
    last_day_to_withdraw,
    needs_contract,
    needs_convention,
    normal_certification_code,
    payment_refusal,
    share_before_the_end,
    withdrawal_until,
)

PARIS = ZoneInfo("Europe/Paris")
ACCEPTED = datetime(2027, 1, 4, 10, 0, tzinfo=PARIS)  # a Monday
UNTIL = withdrawal_until(ACCEPTED, PARIS)


def test_the_period_ends_at_midnight_after_the_tenth_day_not_counting_the_day_of_acceptance():
    assert UNTIL == datetime(2027, 1, 15, 0, 0, tzinfo=PARIS)
    assert last_day_to_withdraw(UNTIL, PARIS) == date(2027, 1, 14)


def test_the_hour_of_acceptance_does_not_change_the_period():
    late = datetime(2027, 1, 4, 23, 59, tzinfo=PARIS)
    assert withdrawal_until(late, PARIS) == withdrawal_until(datetime(2027, 1, 4, 0, 1, tzinfo=PARIS), PARIS) == UNTIL


def test_the_day_of_acceptance_is_read_in_the_venues_zone():
    # 23:30 UTC on the 3rd is 00:30 on the 4th in Paris: the 4th is the day of acceptance
    utc = datetime(2027, 1, 3, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert withdrawal_until(utc, PARIS) == UNTIL


def test_a_learner_withdraws_freely_on_day_9():
    assert can_withdraw(UNTIL, ACCEPTED + timedelta(days=9)) is True


def test_the_last_minute_of_day_10_is_still_within_the_period():
    assert can_withdraw(UNTIL, datetime(2027, 1, 14, 23, 59, 59, tzinfo=PARIS)) is True


def test_withdrawing_is_refused_from_day_11():
    assert can_withdraw(UNTIL, datetime(2027, 1, 15, 0, 0, tzinfo=PARIS)) is False
    assert can_withdraw(UNTIL, ACCEPTED + timedelta(days=11)) is False


def test_a_period_crossing_the_change_to_summer_time_still_ends_at_local_midnight():
    until = withdrawal_until(datetime(2027, 3, 22, 9, 0, tzinfo=PARIS), PARIS)
    assert until == datetime(2027, 4, 2, 0, 0, tzinfo=PARIS)


# --- payments ----------------------------------------------------------------------------------------
PRICE = Decimal("1000.00")
FIRST_DAY = date(2027, 1, 15)
LAST_DAY = date(2027, 3, 10)


def refusal(amount, paid_on, today, paid_until_the_end="0", paid_in_all="0", first_day_allowed=FIRST_DAY):
    return payment_refusal(
        amount=Decimal(amount),
        paid_on=paid_on,
        price=PRICE,
        paid_until_the_end=Decimal(paid_until_the_end),
        paid_in_all=Decimal(paid_in_all),
        first_day_allowed=first_day_allowed,
        last_day=LAST_DAY,
        today=today,
    )


def test_thirty_percent_is_rounded_down_to_the_cent():
    assert share_before_the_end(Decimal("1000")) == Decimal("300.00")
    assert share_before_the_end(Decimal("99.99")) == Decimal("29.99")  # 29.997


def test_nothing_is_paid_before_the_contract_is_accepted():
    field, sentence = refusal("10", FIRST_DAY, FIRST_DAY, first_day_allowed=None)
    assert field == "_schema" and "pas encore accepté" in sentence


def test_nothing_is_paid_on_the_last_day_of_the_period():
    field, sentence = refusal("10", FIRST_DAY - timedelta(days=1), FIRST_DAY - timedelta(days=1))
    assert field == "_schema" and "15/01/2027" in sentence


def test_the_day_after_the_period_thirty_percent_may_be_paid():
    assert refusal("300.00", FIRST_DAY, FIRST_DAY) is None


def test_one_cent_above_thirty_percent_before_the_end_is_refused_naming_the_limit_in_euros():
    field, sentence = refusal("300.01", FIRST_DAY, FIRST_DAY)
    assert field == "amount" and "300,00\u00a0€" in sentence


def test_thirty_percent_counts_what_was_already_paid():
    assert refusal("100", FIRST_DAY, FIRST_DAY, paid_until_the_end="200", paid_in_all="200") is None
    assert refusal("100.01", FIRST_DAY, FIRST_DAY, paid_until_the_end="200", paid_in_all="200")[0] == "amount"


def test_a_payment_on_the_sessions_last_day_still_counts_before_the_end():
    assert refusal("300.01", LAST_DAY, LAST_DAY)[0] == "amount"


def test_after_the_end_the_balance_may_be_paid_up_to_the_price_and_not_beyond():
    after = LAST_DAY + timedelta(days=1)
    assert refusal("700", after, after, paid_until_the_end="300", paid_in_all="300") is None
    field, sentence = refusal("700.01", after, after, paid_until_the_end="300", paid_in_all="300")
    assert field == "amount" and "1\u202f000,00\u00a0€" in sentence


def test_a_payment_dated_in_the_future_or_within_the_period_is_refused_on_its_date():
    assert refusal("10", FIRST_DAY + timedelta(days=1), FIRST_DAY)[0] == "paid_on"
    assert refusal("10", FIRST_DAY - timedelta(days=1), FIRST_DAY + timedelta(days=5))[0] == "paid_on"


def test_euros_are_written_the_french_way():
    assert euros(Decimal("1234.5")) == "1\u202f234,50\u00a0€"
    assert euros(Decimal("36")) == "36,00\u00a0€"


# --- which document, which funding -----------------------------------------------------------------
def test_a_self_funded_learner_signs_a_contract_and_a_funder_a_convention():
    assert needs_contract("self_funded") and not needs_convention("self_funded")
    assert all(needs_convention(f) and not needs_contract(f) for f in ("employer", "opco", "france_travail"))
    assert not needs_contract("cpf") and not needs_convention("cpf")


@pytest.mark.parametrize(
    ("typed", "code"), [(" rncp 34690 ", "RNCP34690"), ("RS-5612", "RS5612"), ("", ""), (None, "")]
)
def test_a_certification_code_is_written_as_france_competences_writes_it(typed, code):
    assert normal_certification_code(typed) == code


@pytest.mark.parametrize("code", ["RNCP34690", "RNCP1", "RS5612", "RS123456"])
def test_rncp_and_rs_codes_are_accepted(code):
    assert is_certification_code(code) and cpf_allowed(code)


@pytest.mark.parametrize("code", ["", "RNCP", "RS", "RNCP1234567", "RNC1234", "34690", "RS12a", "CQP123"])
def test_anything_else_is_not_a_certification_code_and_cpf_is_refused(code):
    assert not is_certification_code(code) and not cpf_allowed(code)
