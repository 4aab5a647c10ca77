"""The staff's CNAF report page: hours billed and attended per month, the billing ratio (billed ÷
attended) with a warning above 107 % (the bookings service decides it: domain/cnaf_report.py),
and the CSV for the CAF."""

from datetime import date

from flask import Response, abort, render_template, request
from flask_babel import format_date

from services.gateway.cnaf_sheet import cnaf_csv
from services.gateway.service_calls import services
from services.gateway.web.guards import requires
from services.gateway.web.staff import _now, bp

FIRST_YEAR, LAST_YEAR = 2020, 2199  # the CNAF scale starts in 2020; the API takes dates to 2199


def _year():
    """The year asked (?annee=), else this year; a year outside the scale's is this year too."""
    text = request.args.get("annee", "").strip()
    year = int(text) if text.isdecimal() else _now().year
    return year if FIRST_YEAR <= year <= LAST_YEAR else _now().year


def _month_name(month):
    """« mars 2027 » from "2027-03"."""
    year, number = (int(part) for part in month.split("-"))
    return format_date(date(year, number, 1), "MMMM y")


@bp.get("/rapport-cnaf")
@requires("accounting")
def cnaf_report():
    year = _year()
    with services() as rpc:
        report = rpc.bookings.cnaf_report(year)
    above = [_month_name(m["month"]) for m in report.get("months", []) if m.get("ratio_above_limit")]
    return render_template("web/staff/cnaf_report.html", report=report, year=year, above=above, month_name=_month_name)


@bp.get("/rapport-cnaf/<int:year>.csv")
@requires("accounting")
def cnaf_report_csv(year):
    """The same CSV as GET /api/v1/reports/cnaf/{year}.csv, for the signed-in page."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    with services() as rpc:
        report = rpc.bookings.cnaf_report(year)
    return Response(
        cnaf_csv(report),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="cnaf-{year}.csv"'},
    )
