"""Invoicing's queries and locks: months closed, invoices, payments.

What another area or a later feature reads (the SEPA file, the tax certificate) is here too:
`invoices_of_month`, `payments_of_family_between`, `paid_by_invoice`.
"""

from datetime import timedelta
from decimal import Decimal

from peewee import fn

from services.bookings.childcare import store as childcare_store
from services.bookings.contracts import store as contracts_store
from services.bookings.domain import absences
from services.bookings.models import (
    Booking,
    Child,
    Contract,
    ContractAbsence,
    Family,
    Invoice,
    MonthClosing,
    Payment,
    database,
)
from shared.db import get_locked, lock_key
from shared.errors import NotFound, found
from shared.numbering import next_number
from shared.pagination import page
from shared.vocabulary import INVOICE_CREDITED, PAYMENT_RECORDED

INVOICE_SERIES, CREDIT_NOTE_SERIES = "F", "A"


# --- months -----------------------------------------------------------------------------------------
def lock_month(month):
    """One closing of a month at a time: a second one waits, then finds the first one's row."""
    lock_key(database, "bookings.month_closing", month)


def closing_of(month):
    return MonthClosing.get_or_none(MonthClosing.month == month)


def closed_months():
    """{month: MonthClosing} of every closed month."""
    return {c.month: c for c in MonthClosing.select()}


def families_billed_in(first_day, end_day):
    """The ids of the families with a booking billed or an accepted contract in [first_day, end_day)."""
    ids = {b.family_id for b in childcare_store.billed_bookings(None, first_day, end_day)}
    ids.update(c.family_id for c in contracts_store.accepted_contracts_between(first_day, end_day - timedelta(days=1)))
    return ids


def invoiced_family_ids():
    return {row.family_id for row in Invoice.select(Invoice.family).distinct()}


def families(ids):
    """The families of these ids, by email (the order their invoices are numbered in)."""
    return list(Family.select().where(Family.id.in_(list(ids))).order_by(Family.email)) if ids else []


def pending_absences(first_day, end_day):
    """Absence requests still waiting for staff with a day in [first_day, end_day), with their
    contract and child."""
    return list(
        ContractAbsence.select(ContractAbsence, Contract, Child)
        .join(Contract)
        .join(Child)
        .where(
            ContractAbsence.status == absences.REQUESTED,
            ContractAbsence.starts_on <= end_day - timedelta(days=1),
            ContractAbsence.ends_on >= first_day,
        )
        .order_by(ContractAbsence.starts_on)
    )


# --- invoices --------------------------------------------------------------------------------------
def take_invoice_number(year):
    return next_number(database, INVOICE_SERIES, year)


def take_credit_note_number(year):
    return next_number(database, CREDIT_NOTE_SERIES, year)


def invoice(invoice_id, family_id=None):
    """The invoice (a family's own when `family_id` is given: another family's is not found)."""
    row = Invoice.get_or_none(Invoice.id == str(invoice_id))
    if row is None or (family_id is not None and row.family_id != str(family_id)):
        raise NotFound("Facture introuvable.")
    return row


def locked_invoice(invoice_id):
    return found(get_locked(Invoice.select().where(Invoice.id == str(invoice_id))), "Facture introuvable.")


def family_invoices(family):
    """The family's invoices, oldest month first."""
    return list(Invoice.select().where(Invoice.family == family).order_by(Invoice.month, Invoice.number))


def family_invoice(family, month):
    return Invoice.get_or_none(Invoice.family == family, Invoice.month == month)


def invoices(query):
    """A page of invoices (of a month when the query says), by month then number."""
    select = Invoice.select()
    if query.get("month"):
        select = select.where(Invoice.month == query["month"])
    if query.get("status"):
        select = select.where(Invoice.status == query["status"])
    if query.get("family_id"):
        select = select.where(Invoice.family == query["family_id"])
    return page(select, [Invoice.month, Invoice.number, Invoice.id], query)


def invoices_of_month(month):
    """Every invoice of a closed month, by number (the SEPA file of the month reads them)."""
    return list(Invoice.select().where(Invoice.month == month).order_by(Invoice.number))


def unsettled_invoices():
    """Invoices with something left to pay or to give back, oldest due first (status issued)."""
    return list(Invoice.select().where(Invoice.status == "issued").order_by(Invoice.due_on, Invoice.number))


# --- payments --------------------------------------------------------------------------------------
def paid_by_invoice(invoice_ids):
    """{invoice id: the sum of its recorded (not rejected) payments}."""
    ids = list(invoice_ids)
    paid = {i: Decimal("0.00") for i in ids}
    if ids:
        query = (
            Payment.select(Payment.invoice, fn.SUM(Payment.amount).alias("paid"))
            .where(Payment.invoice.in_(ids), Payment.status == PAYMENT_RECORDED)
            .group_by(Payment.invoice)
        )
        for row in query:
            paid[row.invoice_id] = Decimal(str(row.paid)).quantize(Decimal("0.01"))
    return paid


def payments_of(invoice_ids):
    """{invoice id: [its payments, by date paid]}, rejected ones included."""
    ids = list(invoice_ids)
    found_payments = {i: [] for i in ids}
    if ids:
        for payment in Payment.select().where(Payment.invoice.in_(ids)).order_by(Payment.paid_on, Payment.created_at):
            found_payments[payment.invoice_id].append(payment)
    return found_payments


def payments_of_family_between(family_id, first_day, last_day):
    """The family's recorded (not rejected) payments paid in [first_day, last_day], by date, with
    their invoice (the tax certificate sums them: sums paid, not invoiced)."""
    return list(
        Payment.select(Payment, Invoice)
        .join(Invoice)
        .where(
            Payment.family == str(family_id),
            Payment.status == PAYMENT_RECORDED,
            Payment.paid_on >= first_day,
            Payment.paid_on <= last_day,
        )
        .order_by(Payment.paid_on, Payment.created_at)
    )


def locked_payment(payment_id):
    return found(get_locked(Payment.select().where(Payment.id == str(payment_id))), "Paiement introuvable.")


def not_credited(invoices_list):
    return [i for i in invoices_list if i.status != INVOICE_CREDITED]


# --- the documents drawn from invoices: the SEPA file, the tax certificate ----------------------------
def sepa_debits_of(family_ids):
    """{family id: [paid_on of each recorded (not rejected) `sepa_debit` payment]}: how many debits
    were collected under a mandate is counted from them (those paid on or after it was signed)."""
    ids = [str(i) for i in family_ids]
    found_days = {i: [] for i in ids}
    if ids:
        query = Payment.select(Payment.family, Payment.paid_on).where(
            Payment.family.in_(ids), Payment.method == "sepa_debit", Payment.status == PAYMENT_RECORDED
        )
        for row in query:
            found_days[row.family_id].append(row.paid_on)
    return found_days


def all_payments_of_family_between(family_id, first_day, last_day):
    """The family's payments paid in [first_day, last_day], rejected ones included, with their
    invoice, by date (the tax certificate leaves the rejected ones out itself)."""
    return list(
        Payment.select(Payment, Invoice)
        .join(Invoice)
        .where(Payment.family == str(family_id), Payment.paid_on >= first_day, Payment.paid_on <= last_day)
        .order_by(Payment.paid_on, Payment.created_at)
    )


def children_of_lines(statements):
    """({contract id: child id}, {booking id: child id}) for the contract and booking lines of these
    frozen statements: whose child each line is (the lines name the child by first name only)."""
    contract_ids, booking_ids = set(), set()
    for statement in statements:
        for line in statement.get("lines") or []:
            if line.get("contract_id"):
                contract_ids.add(line["contract_id"])
            if line.get("booking_id"):
                booking_ids.add(line["booking_id"])
    contracts = Contract.select(Contract.id, Contract.child).where(Contract.id.in_(list(contract_ids)))
    bookings = Booking.select(Booking.id, Booking.child).where(Booking.id.in_(list(booking_ids)))
    contracts = {c.id: c.child_id for c in contracts} if contract_ids else {}
    bookings = {b.id: b.child_id for b in bookings} if booking_ids else {}
    return contracts, bookings
