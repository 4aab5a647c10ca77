"""A month's hours as the CAF counts them (hours billed and hours attended, occasional care and
contracts apart) and the places the crèche offered: what the CNAF report shows month by month
and what a month's closing tells (bookings.month_closed), for the pilot's occupancy and billing
ratio. Shared by the contracts and invoicing areas (docs/bookings-rules.md)."""

from datetime import timedelta

from services.bookings.childcare import presenters as childcare_presenters
from services.bookings.childcare import store as childcare_store
from services.bookings.children_in_care import accepted_contract_months
from services.bookings.contracts import store as contracts_store
from services.bookings.domain import billing, contract_statement, places


def cnaf_month(month, settings):
    """(occasional billing.MonthlyStatement, contracts' contract_statement.FamilyMonth) of `month`."""
    first_day, end_day = billing.month_days(month)
    billed = childcare_store.billed_bookings(None, first_day, end_day)
    occasional = [childcare_presenters.billing_line(b, settings) for b in billed]
    accepted = contracts_store.accepted_contracts_between(first_day, end_day - timedelta(days=1))
    contract_months = accepted_contract_months(accepted, first_day, end_day, settings)
    return billing.statement(occasional), contract_statement.family_month(
        billing.statement([]), [m for _, m in contract_months]
    )


def closing_figures(month, settings):
    """{hours_billed, hours_attended, place_hours} of `month` as exact decimal strings."""
    occasional, in_contracts = cnaf_month(month, settings)
    first_day, end_day = billing.month_days(month)
    return {
        "hours_billed": f"{occasional.hours_billed + in_contracts.hours_billed:.2f}",
        "hours_attended": f"{occasional.hours_attended + in_contracts.hours_attended:.2f}",
        "place_hours": f"{places.place_hours(first_day, end_day, settings.opening):.2f}",
    }
