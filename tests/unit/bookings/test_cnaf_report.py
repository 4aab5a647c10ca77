"""The CNAF report's billing ratio (domain/cnaf_report.py): hours billed ÷ hours attended, shown in %
with one decimal, and the warning above 107 % at its boundary; the report's months carry both."""

from datetime import datetime, timezone
from decimal import Decimal
from fractions import Fraction

from services.bookings.domain import cnaf_report
from shared import timeutil
from tests.factories import GUARDIAN
from tests.unit.bookings.test_attendance_corrections import FAMILY, PATTERN, at, service  # noqa: F401 (fixture)


class TestTheRatio:
    def test_it_is_the_hours_billed_over_the_hours_attended(self):
        assert cnaf_report.billing_ratio(Decimal("138"), Decimal("120")) == Fraction(23, 20)

    def test_nothing_attended_has_no_ratio_and_no_warning(self):
        assert cnaf_report.billing_ratio(Decimal("138"), Decimal("0")) is None
        assert cnaf_report.ratio_percent(None) is None and not cnaf_report.above_limit(None)

    def test_exactly_107_percent_is_not_above_the_limit(self):
        ratio = cnaf_report.billing_ratio(Decimal("107"), Decimal("100"))
        assert cnaf_report.ratio_percent(ratio) == Decimal("107.0") and not cnaf_report.above_limit(ratio)

    def test_107_point_1_percent_is_above_the_limit(self):
        ratio = cnaf_report.billing_ratio(Decimal("107.1"), Decimal("100"))
        assert cnaf_report.ratio_percent(ratio) == Decimal("107.1") and cnaf_report.above_limit(ratio)

    def test_just_above_107_reads_107_point_1_never_107_point_0(self):
        ratio = cnaf_report.billing_ratio(Decimal("107.01"), Decimal("100"))
        assert cnaf_report.ratio_percent(ratio) == Decimal("107.1") and cnaf_report.above_limit(ratio)

    def test_just_below_reads_107_point_0_without_warning(self):
        ratio = cnaf_report.billing_ratio(Decimal("106.99"), Decimal("100"))
        assert cnaf_report.ratio_percent(ratio) == Decimal("107.0") and not cnaf_report.above_limit(ratio)


def test_the_report_gives_each_month_its_ratio_and_the_warning(service, monkeypatch):  # noqa: F811
    family = service.register_family(FAMILY)
    child = service.add_child(family["id"], {"first_name": "Lou", "birth_date": "2026-06-01"})
    fields = {"child_id": child["id"], "starts_on": "2027-01-04", "ends_on": "2027-12-31", "weeks_per_year": 46}
    signed = service.accept_contract(service.request_contract(dict(fields, pattern=PATTERN), family["id"])["id"])
    monkeypatch.setattr(timeutil, "now_utc", lambda: datetime(2027, 3, 10, 17, tzinfo=timezone.utc))
    service.contract_check_in(signed["id"], {"at": at(8, 30).isoformat()})
    service.contract_check_out(
        signed["id"], {"collected_by": GUARDIAN, "at": at(15, 42).isoformat()}
    )  # 7.2 h attended, 138 billed
    report = service.cnaf_report(2027)
    march = report["months"][2]
    assert (march["hours_billed"], march["hours_attended"]) == ("138", "7.2")
    assert (march["billing_ratio"], march["ratio_above_limit"]) == ("1916.7", True)
    assert (report["months"][0]["billing_ratio"], report["months"][0]["ratio_above_limit"]) == (None, False)
    assert report["ratio_above_limit"] is True
