"""request_checks.check_month: the year of a statement month out of range is a 422 before a
service converts it; anything else that is not a year is left to the service."""

import pytest

from services.gateway.errors import ApiError
from services.gateway.request_checks import check_month


@pytest.mark.parametrize("month", ["9999-12", "0000-01", "1899-12"])
def test_a_year_out_of_range_is_refused_on_the_month(month):
    with pytest.raises(ApiError) as refused:
        check_month(month)
    assert (refused.value.status, list(refused.value.fields)) == (422, ["month"])


@pytest.mark.parametrize("month", ["2030-01", "1900-01", "2199-12"])
def test_a_year_in_range_passes(month):
    assert check_month(month) is None


@pytest.mark.parametrize("month", ["³³", "³³³³-01", "٢٠٣٠-01", "abcd-01", ""])
def test_what_is_not_an_ascii_year_is_left_to_the_service_not_a_500(month):
    """Superscript digits pass str.isdigit() but not int(): GET /families/{id}/statements/³³ was a 500."""
    assert check_month(month) is None
