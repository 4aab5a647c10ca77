"""The staff's CNAF report page with a stand-in for the bookings service: each month's hours billed
and attended with the billing ratio, the warning above 107 % (the service decides it), the CSV link,
the page in the staff menu; the CSV gets the ratio column."""

from services.gateway.cnaf_sheet import cnaf_csv
from tests.unit.gateway.conftest import BookingsStandIn, served_by


def month(number, billed, attended, ratio, above):
    return {
        "month": f"2027-{number:02d}",
        "occasional_hours_billed": "0",
        "occasional_hours_attended": "0",
        "contract_hours_billed": billed,
        "contract_hours_attended": attended,
        "hours_billed": billed,
        "hours_attended": attended,
        "amount": "284.83",
        "billing_ratio": ratio,
        "ratio_above_limit": above,
    }


REPORT = {
    "year": 2027,
    "months": [month(1, "0", "0", None, False), month(2, "107", "100", "107.0", False)]
    + [month(3, "107.1", "100", "107.1", True)]
    + [month(n, "0", "0", None, False) for n in range(4, 13)],
    "hours_billed": "214.1",
    "hours_attended": "200",
    "amount": "854.49",
    "billing_ratio": "107.1",
    "ratio_above_limit": True,
}


class Bookings(BookingsStandIn):
    def cnaf_report(self, year):
        self.calls.append(("cnaf_report", year))
        return REPORT

    def close(self):
        pass


def test_the_page_shows_each_month_with_its_ratio_and_warns_above_107_percent(app, staff):
    stand_in = served_by(app, Bookings())
    html = staff.get("/equipe/rapport-cnaf?annee=2027").get_data(as_text=True)
    assert ("cnaf_report", 2027) in stand_in.calls
    assert "<caption>Heures facturées et réalisées en 2027, mois par mois</caption>" in html
    assert '<th scope="row" data-label="Mois">février 2027</th>' in html
    february = html[html.index('data-label="Mois">février 2027') : html.index('data-label="Mois">mars 2027')]
    assert "107,0 %" in february and "au-dessus" not in february  # exactly 107 %: no warning
    march = html[html.index('data-label="Mois">mars 2027') : html.index('data-label="Mois">avril 2027')]
    assert "107,1 %" in march and "au-dessus de 107 %" in march
    assert 'id="alerte-taux"' in html and "Taux de facturation au-dessus de 107 % : mars 2027." in html
    assert 'href="/equipe/rapport-cnaf/2027.csv"' in html
    assert 'href="/equipe/rapport-cnaf"' in html  # in the staff menu


def test_without_a_year_or_with_a_wrong_one_it_is_this_year(app, staff):
    stand_in = served_by(app, Bookings())
    staff.get("/equipe/rapport-cnaf")
    staff.get("/equipe/rapport-cnaf?annee=deux")
    [(_, first), (_, second)] = stand_in.calls
    assert first == second and first >= 2026


def test_the_csv_has_the_billing_ratio_and_nothing_when_no_hour_was_attended():
    lines = cnaf_csv(REPORT).splitlines()
    assert lines[0].endswith(";Taux de facturation (%)")
    assert lines[1].endswith(";")  # January: nothing attended, no ratio
    assert lines[3].endswith(";107,1")


def test_the_pages_csv_is_the_apis(app, staff):
    served_by(app, Bookings())
    answer = staff.get("/equipe/rapport-cnaf/2027.csv")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="cnaf-2027.csv"'
    assert answer.get_data(as_text=True) == cnaf_csv(REPORT)
