"""The settings readers every service's settings.py uses (shared/settings.py): a value from the
environment or its default, checked, a wrong one refused with its variable's name."""

from decimal import Decimal

import pytest

from shared.settings import boolean, number, share, whole

NAME = "COCOON_TEST_SETTING"


@pytest.fixture(autouse=True)
def unset(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)


def test_an_unset_or_empty_variable_takes_the_default(monkeypatch):
    assert whole(NAME, 7, 0, 90) == 7
    monkeypatch.setenv(NAME, "")
    assert (whole(NAME, 7), number(NAME, 2.5), share(NAME, Decimal("0.20")), boolean(NAME, True)) == (
        7,
        2.5,
        Decimal("0.20"),
        True,
    )


@pytest.mark.parametrize(("value", "accepted"), [("-1", False), ("0", True), ("90", True), ("91", False)])
def test_a_whole_number_is_accepted_at_its_bounds_and_refused_beyond(monkeypatch, value, accepted):
    monkeypatch.setenv(NAME, value)
    if accepted:
        assert whole(NAME, 7, 0, 90) == int(value)
    else:
        with pytest.raises(ValueError, match=f"{NAME}={value} is not between 0 and 90"):
            whole(NAME, 7, 0, 90)


@pytest.mark.parametrize("value", ["sept", "7.5"])
def test_a_whole_number_refuses_what_is_not_one(monkeypatch, value):
    monkeypatch.setenv(NAME, value)
    with pytest.raises(ValueError, match=f"{NAME}=.* is not a whole number"):
        whole(NAME, 7)


def test_a_lower_bound_alone_says_below(monkeypatch):
    monkeypatch.setenv(NAME, "0")
    with pytest.raises(ValueError, match=f"{NAME}=0 is below 1"):
        whole(NAME, 3, low=1)


@pytest.mark.parametrize("value", ["deux", "nan", "inf"])
def test_a_number_must_be_finite(monkeypatch, value):
    monkeypatch.setenv(NAME, value)
    with pytest.raises(ValueError, match=f"{NAME}='{value}' is not a number"):
        number(NAME, 2)


def test_a_number_keeps_its_lower_bound(monkeypatch):
    monkeypatch.setenv(NAME, "0.05")
    assert number(NAME, 2, low=0.05) == 0.05
    monkeypatch.setenv(NAME, "0.04")
    with pytest.raises(ValueError, match=NAME):
        number(NAME, 2, low=0.05)


@pytest.mark.parametrize(
    ("value", "above_zero", "expected"),
    [
        ("0", False, Decimal("0")),
        ("1", False, Decimal("1")),
        ("1", True, Decimal("1")),
        ("0.80", True, Decimal("0.80")),
    ],
)
def test_a_share_goes_from_zero_or_just_above_to_one(monkeypatch, value, above_zero, expected):
    monkeypatch.setenv(NAME, value)
    assert share(NAME, Decimal("0.5"), above_zero=above_zero) == expected


@pytest.mark.parametrize(
    ("value", "above_zero"), [("-0.01", False), ("1.01", False), ("0", True), ("beaucoup", False), ("NaN", False)]
)
def test_a_share_outside_is_refused(monkeypatch, value, above_zero):
    monkeypatch.setenv(NAME, value)
    with pytest.raises(ValueError, match=NAME):
        share(NAME, Decimal("0.5"), above_zero=above_zero)


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("TRUE", True), ("oui", True), ("0", False), ("False", False), ("non", False)]
)
def test_a_boolean_reads_its_words_in_any_case(monkeypatch, value, expected):
    monkeypatch.setenv(NAME, value)
    assert boolean(NAME, not expected) is expected


def test_a_boolean_refuses_another_word(monkeypatch):
    monkeypatch.setenv(NAME, "peut-être")
    with pytest.raises(ValueError, match=f"{NAME}='peut-être' is neither true nor false"):
        boolean(NAME, False)
