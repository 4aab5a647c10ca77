from datetime import date

import pytest

from services.bookings.domain.early_end import check_early_end, earliest_end
from tests.unit.bookings.contract_examples import ENDS, STARTS


class TestEarlyEnd:
    def test_the_earliest_end_is_the_request_day_plus_the_notice(self):
        assert earliest_end(date(2026, 3, 1)) == date(2026, 3, 31)  # 30 days by default
        assert earliest_end(date(2026, 3, 1), 0) == date(2026, 3, 1)

    @pytest.mark.parametrize(
        "ends_on, ok", [(date(2026, 3, 30), False), (date(2026, 3, 31), True), (date(2026, 4, 1), True)]
    )
    def test_an_end_must_respect_the_notice(self, ends_on, ok):
        errors = check_early_end(date(2026, 3, 1), ends_on, STARTS, ENDS)
        assert (errors == {}) is ok
        if not ok:
            assert errors == {
                "ends_on": ["Avec un préavis de 30 jours, le contrat peut finir au plus tôt le 31 mars 2026."]
            }

    @pytest.mark.parametrize(
        "ends_on, ok", [(date(2026, 6, 29), True), (date(2026, 6, 30), True), (date(2026, 7, 1), False)]
    )
    def test_an_end_after_the_planned_end_is_refused(self, ends_on, ok):
        assert (check_early_end(date(2026, 3, 1), ends_on, STARTS, ENDS) == {}) is ok

    @pytest.mark.parametrize("ends_on, ok", [(date(2025, 8, 14), False), (date(2025, 8, 15), True)])
    def test_an_end_before_the_start_is_refused(self, ends_on, ok):
        errors = check_early_end(date(2025, 7, 1), ends_on, STARTS, ENDS, notice_days=0)
        assert (errors == {}) is ok
        if not ok:
            assert errors["ends_on"] == ["La fin du contrat ne peut pas être avant son début (15 août 2025)."]

    def test_a_negative_notice_is_refused(self):
        with pytest.raises(ValueError):
            earliest_end(date(2026, 3, 1), -1)
