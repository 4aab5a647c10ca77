import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from services.bookings.domain import fees
from services.bookings.domain.fees import FeeQuote, amount, load_scale, quote


class TestWorkedExample:
    def test_public_example(self):
        # 2 children, 48,000 EUR/year -> 4,000 EUR/month x 0.0516 % = 2.064 EUR/h
        q = quote(Decimal("4000"), 2, 0, date(2026, 3, 10))
        assert isinstance(q, FeeQuote)
        assert q.hourly_rate == Decimal("2.064")
        assert q.effort_rate == Decimal("0.000516")
        assert q.resources_used == Decimal("4000")
        assert q.floor == Decimal("814.62")
        assert q.ceiling == Decimal("8500")
        assert q.on == date(2026, 3, 10)
        # 36 h x 46 weeks / 12 = 138 h/month; 138 x 2.064 = 284.832 -> 284.83
        assert amount(q.hourly_rate, Decimal("138")) == Decimal("284.83")

    def test_status_reports_the_derived_floor(self):
        # the 2026 floor is derived from the RSA rule, so the quote says so
        assert quote(Decimal("4000"), 2, 0, date(2026, 3, 10)).status == "derived"
        assert quote(Decimal("4000"), 2, 0, date(2023, 3, 10)).status == "published"


class TestClamps:
    def test_floor_2026(self):
        q = quote(Decimal("500"), 1, 0, date(2026, 1, 1))
        assert q.resources_used == Decimal("814.62")
        assert q.hourly_rate == Decimal("814.62") * Decimal("0.000619")  # 0.50424978, exact

    def test_floor_changes_on_1_january(self):
        assert quote(Decimal("0"), 1, 0, date(2025, 12, 31)).floor == Decimal("801.00")
        assert quote(Decimal("0"), 1, 0, date(2026, 1, 1)).floor == Decimal("814.62")

    def test_negative_resources_take_the_floor(self):
        q = quote(Decimal("-1200"), 1, 0, date(2023, 6, 1))
        assert q.resources_used == Decimal("754.16")

    def test_ceiling_changes_on_1_september(self):
        before = quote(Decimal("10000"), 1, 0, date(2025, 8, 31))
        after = quote(Decimal("10000"), 1, 0, date(2025, 9, 1))
        assert before.resources_used == before.ceiling == Decimal("7000")
        assert after.resources_used == after.ceiling == Decimal("8500")
        assert after.hourly_rate == Decimal("5.2615")  # 8500 x 0.000619

    def test_ceiling_2022_to_aug_2024(self):
        assert quote(Decimal("9000"), 1, 0, date(2024, 8, 31)).resources_used == Decimal("6000")
        assert quote(Decimal("9000"), 1, 0, date(2024, 9, 1)).resources_used == Decimal("7000")

    def test_exactly_at_bounds_is_kept(self):
        for resources in (Decimal("8500"), Decimal("814.62")):
            assert quote(resources, 1, 0, date(2026, 1, 5)).resources_used == resources


class TestRows:
    @pytest.mark.parametrize(
        "children, rate",
        [
            (1, "0.000619"),
            (2, "0.000516"),
            (3, "0.000413"),
            (4, "0.000310"),
            (7, "0.000310"),
            (8, "0.000206"),
            (10, "0.000206"),
        ],
    )
    def test_2022_rows(self, children, rate):
        q = quote(Decimal("3000"), children, 0, date(2026, 2, 1))
        assert q.effort_rate == Decimal(rate)

    @pytest.mark.parametrize(
        "children, rate",
        [
            (1, "0.000516"),  # 1 child + AEEH -> 2-child row
            (2, "0.000413"),  # -> 3
            (3, "0.000310"),  # -> 4-7
            (4, "0.000310"),  # as if 5 children: still the 4-7 row
            (7, "0.000206"),  # as if 8: 8-10 row
            (10, "0.000206"),  # stays on the last row
        ],
    )
    def test_one_aeeh_child_as_one_more_child(self, children, rate):
        assert quote(Decimal("3000"), children, 1, date(2026, 2, 1)).effort_rate == Decimal(rate)


class TestAeehPerChild:
    """One row down per dependent child receiving AEEH (CNAF: « autant de fois qu'il y a
    d'enfants à charge et en situation de handicap dans le foyer »)."""

    @pytest.mark.parametrize(
        "aeeh_children, rate",
        [
            (0, "0.000516"),  # 2 children: the 2-child row
            (1, "0.000413"),  # as if 3
            (2, "0.000310"),  # as if 4: the 4-7 row
        ],
    )
    def test_two_children_zero_one_two_aeeh(self, aeeh_children, rate):
        assert fees.effort_rate(2, aeeh_children, date(2026, 2, 1)) == (Decimal(rate), "published")

    def test_three_children_three_aeeh_move_three_rows(self):
        # 3 + 3 = 6: the 4-7 row (one AEEH child would already reach it)
        assert fees.effort_rate(3, 3, date(2026, 2, 1))[0] == Decimal("0.000310")
        assert fees.effort_rate(1, 1, date(2026, 2, 1))[0] == Decimal("0.000516")

    @pytest.mark.parametrize(
        "children, aeeh_children, rate",
        [
            (6, 1, "0.000310"),  # 7: the last child of the 4-7 row
            (6, 2, "0.000206"),  # 8: the 8-10 row
            (8, 2, "0.000206"),  # 10: exactly the last column
            (9, 2, "0.000206"),  # 11: capped at the last row
            (10, 10, "0.000206"),  # 20: capped at the last row
        ],
    )
    def test_capped_at_the_last_row(self, children, aeeh_children, rate):
        assert fees.effort_rate(children, aeeh_children, date(2026, 2, 1))[0] == Decimal(rate)

    @pytest.mark.parametrize("children, aeeh_children", [(2, 3), (1, 2), (2, -1)])
    def test_more_aeeh_children_than_dependent_children_or_negative_refused(self, children, aeeh_children):
        with pytest.raises(ValueError, match="aeeh_children must be between 0 and dependent_children"):
            fees.effort_rate(children, aeeh_children, date(2026, 2, 1))

    @pytest.mark.parametrize("flag", [True, False, 1.0, "1"])
    def test_aeeh_children_is_a_count_not_a_flag(self, flag):
        with pytest.raises(TypeError, match="aeeh_children must be an int"):
            fees.effort_rate(2, flag, date(2026, 2, 1))

    def test_quote_carries_the_count(self):
        assert quote(Decimal("4000"), 2, 2, date(2026, 2, 1)).aeeh_children == 2

    def test_two_aeeh_children_on_a_138_hour_contract(self):
        """The difference one shift per family made for two AEEH children, on 138 h/month.

        2 dependent children, both with AEEH: one shift gave the 3-child row (0.0413 %), two
        shifts give the 4-7 row (0.0310 %): 0.0103 % of the resources per hour too much. The
        73.91 EUR/month figure holds for monthly resources of 5,200 EUR only:
        296.37 - 222.46 = 73.91. It scales with the resources: 56.86 EUR at 4,000 EUR, and
        120.82 EUR at the 8,500 EUR ceiling (the most it can be on this contract).
        """
        hours, on = Decimal("138"), date(2026, 3, 10)

        def monthly(resources, aeeh_children):
            return amount(quote(Decimal(resources), 2, aeeh_children, on).hourly_rate, hours)

        assert monthly("5200", 1) == Decimal("296.37")  # 5200 x 0.000413 = 2.1476 EUR/h
        assert monthly("5200", 2) == Decimal("222.46")  # 5200 x 0.000310 = 1.612 EUR/h
        assert monthly("5200", 1) - monthly("5200", 2) == Decimal("73.91")
        assert monthly("4000", 1) - monthly("4000", 2) == Decimal("56.86")  # 284.83's family + 2 AEEH
        assert monthly("9000", 1) - monthly("9000", 2) == Decimal("120.82")  # resources above the ceiling

    def test_2021_row(self):
        q = quote(Decimal("3000"), 1, 0, date(2021, 12, 31))
        assert q.effort_rate == Decimal("0.000615")
        assert q.hourly_rate == Decimal("1.845")  # 3000 x 0.000615
        assert q.status == "unconfirmed"  # 2021 floor/ceiling are not in docs/childcare-rules.md
        assert quote(Decimal("3000"), 1, 0, date(2022, 1, 1)).effort_rate == Decimal("0.000619")

    def test_2019_rows(self):
        rate, status = fees.effort_rate(2, 0, date(2019, 8, 31))
        assert (rate, status) == (Decimal("0.000500"), "published")
        rate, status = fees.effort_rate(2, 0, date(2019, 9, 1))
        assert (rate, status) == (Decimal("0.000504"), "unconfirmed")

    def test_no_floor_or_ceiling_in_2019(self):
        # the 2019 rates are known but its floor/ceiling are not in the data: refuse to guess
        with pytest.raises(ValueError, match="floor|ceiling"):
            quote(Decimal("3000"), 1, 0, date(2019, 5, 1))


class TestInvalid:
    @pytest.mark.parametrize("children", [0, -1, 11])
    def test_children_out_of_range(self, children):
        with pytest.raises(ValueError, match="between 1 and 10"):
            quote(Decimal("3000"), children, 0, date(2026, 1, 1))

    def test_before_earliest_row(self):
        with pytest.raises(ValueError, match="earliest"):
            quote(Decimal("3000"), 1, 0, date(2018, 12, 31))

    def test_next_year_uses_the_last_floor_provisionally(self):
        # the 2027 floor is not published yet: care in January 2027 is still billed, with the
        # 2026 floor, and the quote says it is provisional
        q = quote(Decimal("500"), 1, 0, date(2027, 1, 4))
        assert q.floor == Decimal("814.62")
        assert q.resources_used == Decimal("814.62")
        assert q.status == "provisional"

    def test_year_far_beyond_the_last_floor_is_refused(self):
        with pytest.raises(ValueError, match="floor"):
            quote(Decimal("3000"), 1, 0, date(2028, 1, 4))

    def test_float_resources_rejected(self):
        with pytest.raises(TypeError):
            quote(4000.0, 2, 0, date(2026, 1, 1))

    def test_datetime_rejected(self):
        with pytest.raises(TypeError):
            quote(Decimal("4000"), 2, 0, datetime(2026, 1, 1, 9, 0))

    def test_nan_rejected(self):
        with pytest.raises(ValueError):
            quote(Decimal("NaN"), 2, 0, date(2026, 1, 1))


class TestAmount:
    def test_half_up_at_the_cent(self):
        assert amount(Decimal("0.125"), Decimal("1")) == Decimal("0.13")  # half-up, not banker's
        assert amount(Decimal("0.135"), Decimal("1")) == Decimal("0.14")
        assert amount(Decimal("2.064"), Decimal("0.5")) == Decimal("1.03")  # 1.032

    def test_rate_kept_exact_before_rounding(self):
        # 0.50424978 x 10 = 5.0424978 -> 5.04 (rounding the rate first to 0.50 would give 5.00)
        assert amount(Decimal("0.50424978"), Decimal("10")) == Decimal("5.04")

    def test_zero_and_invalid(self):
        assert amount(Decimal("2.064"), Decimal("0")) == Decimal("0.00")
        with pytest.raises(ValueError):
            amount(Decimal("2"), Decimal("-1"))
        with pytest.raises(TypeError):
            amount(2.064, Decimal("1"))


class TestDataFile:
    def test_loaded_once(self):
        assert load_scale() is load_scale()

    def test_every_row_has_status_and_source(self):
        data = json.loads(fees.SCALE_PATH.read_text(encoding="utf-8"))
        rows = data["effort_rates"]["rows"] + data["ceilings"] + data["floors"]
        for row in rows:
            assert row["status"] in ("published", "derived", "unconfirmed")
            assert row["source"]
        for row in data["effort_rates"]["rows"]:
            assert set(row["rates"]) == {"1", "2", "3", "4-7", "8-10"}

    def test_rows_do_not_overlap_and_cover_2022_onwards(self):
        scale = load_scale()
        for d in (date(2022, 1, 1), date(2024, 8, 31), date(2024, 9, 1), date(2026, 12, 31)):
            assert sum(r.covers(d) for r in scale.ceilings) == 1
            assert sum(r.covers(d) for r in scale.rates) == 1
