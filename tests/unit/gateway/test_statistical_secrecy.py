"""Statistical confidentiality of what leaves the venue (services/gateway/statistical_secrecy.py):
a count from 1 to 4 is written « < 5 », 0 and 5 or more as they are; a rate computed from a
masked count is masked."""

import pytest

from services.gateway import statistical_secrecy as secrecy


@pytest.mark.parametrize(("count", "written"), [(0, 0), (1, "< 5"), (4, "< 5"), (5, 5), (6, 6), (120, 120)])
def test_a_count_from_1_to_4_is_written_under_5_and_the_others_as_they_are(count, written):
    assert secrecy.count(count) == written


def test_four_is_masked_and_five_is_not():
    assert secrecy.count(4) == secrecy.MASKED == "< 5"
    assert secrecy.count(5) == 5


def test_hours_and_rates_written_as_text_are_not_counts_and_stay():
    assert secrecy.count("3.50") == "3.50"
    assert secrecy.count(None) is None
    assert secrecy.count(True) is True  # a yes/no is not a count


@pytest.mark.parametrize(
    ("numerator", "denominator", "written"),
    [
        (5, 10, "0.50"),
        (4, 10, "secret (< 5)"),
        (6, 4, "secret (< 5)"),
        (0, 12, "0.50"),
        (5, 5, "0.50"),
        (1, 1, "secret (< 5)"),
    ],
)
def test_a_rate_is_masked_when_its_numerator_or_denominator_is_from_1_to_4(numerator, denominator, written):
    assert secrecy.rate("0.50", numerator, denominator) == written


def test_no_rate_stays_no_rate_even_over_small_counts():
    assert secrecy.rate(None, 3, 0) is None
