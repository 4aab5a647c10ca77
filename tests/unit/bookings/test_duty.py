"""Who may be with the children and who counts (services/bookings/domain/duty.py), at the boundaries."""

from datetime import date, timedelta

import pytest

from services.bookings.domain import duty
from services.bookings.domain.ratio import RatioOption

VERIFIED = date(2025, 10, 1)
LAST_DAY = date(2028, 9, 30)  # the day before the third anniversary of the verification
CLEARED = duty.Clearance(periods=((VERIFIED, LAST_DAY),))
ONE_DAY = timedelta(days=1)


def adult(**overrides):
    values = dict(id="s1", name="Inès Moreau", counts_in_ratio=True, diplomas=("eje",), clearance=CLEARED)
    return duty.Adult(**{**values, **overrides})


# --- clearance -----------------------------------------------------------------------------------
def test_a_staff_member_is_cleared_from_the_verification_day_to_the_last_day_included():
    assert not CLEARED.cleared_on(VERIFIED - ONE_DAY)
    assert CLEARED.cleared_on(VERIFIED)
    assert CLEARED.cleared_on(LAST_DAY)


def test_the_day_after_the_last_day_the_staff_member_is_no_longer_cleared():
    assert not CLEARED.cleared_on(LAST_DAY + ONE_DAY)


def test_an_expiry_announced_before_the_period_ends_ends_it_the_day_after():
    ended = duty.Clearance(periods=((VERIFIED, LAST_DAY),), ends=(date(2026, 12, 7),))
    assert ended.cleared_on(date(2026, 12, 7))
    assert not ended.cleared_on(date(2026, 12, 8))


def test_an_expiry_arriving_before_its_period_gives_the_same_clearance():
    facts = [("period", (VERIFIED, LAST_DAY)), ("end", date(2026, 12, 7))]
    one = duty.Clearance(periods=(facts[0][1],), ends=(facts[1][1],))
    other = duty.Clearance(ends=(facts[1][1],), periods=(facts[0][1],))
    assert [one.cleared_on(d) for d in (date(2026, 12, 7), date(2026, 12, 8))] == [
        other.cleared_on(d) for d in (date(2026, 12, 7), date(2026, 12, 8))
    ]


def test_an_expiry_of_an_older_attestation_does_not_end_a_newer_one():
    renewed = duty.Clearance(periods=((VERIFIED, LAST_DAY), (date(2028, 9, 1), date(2031, 8, 31))), ends=(LAST_DAY,))
    assert renewed.cleared_on(LAST_DAY + ONE_DAY)


# --- who may be named, who counts -----------------------------------------------------------------
def test_a_cleared_professional_may_be_named_and_counts():
    assert duty.duty_refusal(adult(), date(2026, 12, 7)) is None
    assert duty.counts_on(adult(), date(2026, 12, 7))


def test_a_staff_member_without_attestation_is_refused_with_the_honorability_sentence():
    refusal = duty.duty_refusal(adult(clearance=duty.Clearance()), date(2026, 12, 7))
    assert refusal == (
        "Inès Moreau n'a pas d'attestation d'honorabilité vérifiée : elle est obligatoire pour être avec les enfants."
    )


def test_on_the_day_after_the_last_day_the_refusal_says_when_it_expired():
    refusal = duty.duty_refusal(adult(), LAST_DAY + ONE_DAY)
    assert "a expiré le 30/09/2028" in refusal


def test_an_early_expiry_is_said_with_its_date():
    ended = duty.Clearance(periods=((VERIFIED, LAST_DAY),), ends=(date(2026, 12, 7),))
    assert "a expiré le 07/12/2026" in duty.duty_refusal(adult(clearance=ended), date(2026, 12, 8))


def test_a_staff_member_unknown_or_gone_is_refused():
    assert "inconnu" in duty.duty_refusal(duty.Adult(id="s9", name="s9", known=False), date(2026, 12, 7))
    assert "ne fait plus partie" in duty.duty_refusal(adult(active=False), date(2026, 12, 7))


def test_a_cleared_staff_member_without_a_qualifying_diploma_may_be_named_but_does_not_count():
    cook = adult(counts_in_ratio=False, diplomas=())
    assert duty.duty_refusal(cook, date(2026, 12, 7)) is None
    assert not duty.counts_on(cook, date(2026, 12, 7))


def test_staff_on_duty_counts_named_professionals_cleared_that_day_plus_the_unnamed():
    named = [adult(), adult(id="s2", counts_in_ratio=False), adult(id="s3", clearance=duty.Clearance())]
    assert duty.staff_on_duty(named, 1, date(2026, 12, 7)) == 2
    assert duty.staff_on_duty(named, 0, LAST_DAY + ONE_DAY) == 0


# --- the ratio with and without a diploma ---------------------------------------------------------
@pytest.mark.parametrize("diplomas, counts, expected", [(("eje",), True, 2), ((), False, 1)])
def test_the_ratio_counts_a_staff_member_only_with_a_qualifying_diploma(diplomas, counts, expected):
    named = [adult(), adult(id="s2", diplomas=diplomas, counts_in_ratio=counts)]
    assert duty.staff_on_duty(named, 0, date(2026, 12, 7)) == expected


# --- activities and outings -----------------------------------------------------------------------
def test_an_activity_of_eight_walking_children_needs_two_professionals():
    assert duty.activity_adults_required(8, "walking", False, RatioOption.FIVE_EIGHT) == 2


def test_an_activity_without_children_needs_nobody():
    assert duty.activity_adults_required(0, None, False, RatioOption.FIVE_EIGHT) == 0


@pytest.mark.parametrize("children, expected", [(10, 2), (11, 3), (15, 3), (16, 4)])
def test_an_outing_needs_one_professional_for_five_children(children, expected):
    assert duty.outing_adults_required(children, RatioOption.ONE_SIX) == expected


def test_an_outing_of_walking_children_needs_more_than_the_walking_ratio():
    assert duty.activity_adults_required(16, "walking", False, RatioOption.FIVE_EIGHT) == 2
    assert duty.activity_adults_required(16, "walking", True, RatioOption.FIVE_EIGHT) == 4


def test_an_outing_keeps_the_minimum_of_two():
    assert duty.outing_adults_required(1, RatioOption.FIVE_EIGHT) == 2


@pytest.mark.parametrize("professionals, refused", [(1, True), (2, False), (3, False)])
def test_an_activity_is_refused_below_the_professionals_it_needs(professionals, refused):
    assert (duty.short_of_professionals(professionals, 2) is not None) is refused


# --- trainees -------------------------------------------------------------------------------------
def test_a_trainee_without_attestation_is_refused_and_told_what_to_do():
    assert "Ce stagiaire n'a pas d'attestation" in duty.trainee_refusal(duty.Clearance(), date(2026, 12, 7))


def test_a_trainee_is_cleared_on_the_last_day_and_refused_the_day_after():
    assert duty.trainee_refusal(CLEARED, LAST_DAY) is None
    assert "n'est plus valable le 01/10/2028" in duty.trainee_refusal(CLEARED, LAST_DAY + ONE_DAY)


# --- the diploma mix ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "codes, share, low",
    [((("eje",), ("cap_aepe",)), 50, False), ((("eje",), ("cap_aepe",), ("cap_aepe",)), 33, True), ((), None, False)],
)
def test_the_days_state_diploma_share_is_a_signal_below_40_percent(codes, share, low):
    present = [adult(id=f"s{n}", diplomas=c) for n, c in enumerate(codes)]
    assert duty.diploma_share(present) == share
    assert duty.diploma_share_low(share) is low


def test_two_in_five_state_diplomas_is_exactly_the_minimum():
    present = [adult(id=f"s{n}", diplomas=("eje",) if n < 2 else ("cap_aepe",)) for n in range(5)]
    assert duty.diploma_share(present) == 40
    assert not duty.diploma_share_low(40)
