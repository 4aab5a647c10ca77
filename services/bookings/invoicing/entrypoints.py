"""Invoicing entrypoints: a month closed into numbered invoices, credit notes, payments, balances.

An invoice never changes once issued, but for its status (paid, credited) and its credit note:
a later change of a closed month (an absence approved, a check-in corrected, resources
corrected) comes back as an adjustment line of the family's next open month
(month_statements.py, domain/invoicing.py).
"""

from services.bookings import month_figures, month_statements
from services.bookings.childcare import store as childcare_store
from services.bookings.domain import billing, invoicing
from services.bookings.invoicing import presenters, store
from services.bookings.models import Invoice, MonthClosing, Payment
from services.bookings.schemas.childcare import MonthIn
from services.bookings.schemas.invoicing import CloseIn, CreditNoteIn, InvoiceQuery, PaymentIn, RejectIn
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, Invalid, load
from shared.vocabulary import INVOICE_CREDITED, INVOICE_ISSUED, PAYMENT_REJECTED


class InvoicingRpc:
    # --- closing a month ----------------------------------------------------------------------------
    @command
    def close_month(self, month, data=None, closed_by=None):
        """Freeze `month` into one numbered invoice per family with something billed in it (or an
        adjustment of an earlier month): 409 when closed already, or when absence requests are
        still pending in it unless `force`."""
        month = load(MonthIn(), {"month": month})["month"]
        force = load(CloseIn(), data or {})["force"]
        today = _today()
        if not invoicing.month_begun(month, today):
            raise Invalid(
                f"Le mois de {invoicing.month_name(month)} n'a pas commencé : il ne peut pas encore être clos.",
                {"month": ["Mois pas encore commencé."]},
            )
        with self.uow.atomic(exclusive=True):
            store.lock_month(month)
            _refuse_closed(month)
            _refuse_pending(month, force)
            closed = store.closed_months()
            closing = MonthClosing.create(month=month, closed_by=closed_by, forced=force)
            rows = self._issue_invoices(closing, today, closed)
            for row in rows:
                self.uow.emit("bookings.invoice_issued", presenters.invoice_issued(row))
            figures = month_figures.closing_figures(month, self.settings)
            self.uow.emit("bookings.month_closed", presenters.month_closed(closing, rows, figures))
        return presenters.closing(closing, rows, store.paid_by_invoice(r.id for r in rows), {r.id: [] for r in rows})

    def _issue_invoices(self, closing, today, closed):
        settings, month = self.settings, closing.month
        first_day, end_day = _month_days(month)
        ids = store.families_billed_in(first_day, end_day) | store.invoiced_family_ids()
        rows = []
        for family in store.families(ids):
            statement = month_statements.open_statement(family, month, settings, closed)
            if not invoicing.has_something_billed(statement):
                continue
            rows.append(
                Invoice.create(
                    number=store.take_invoice_number(today.year),
                    family=family,
                    closing=closing,
                    month=month,
                    issued_on=today,
                    due_on=invoicing.due_on(today, settings.invoice_due_days),
                    total=invoicing.money(statement["amount"]),
                    statement=statement,
                    issuer=presenters.issuer(settings),
                    customer=presenters.customer(family),
                    payment_terms=settings.payment_terms,
                    status=INVOICE_ISSUED,
                )
            )
        return rows

    @rpc
    def get_closing(self, month):
        """A closed month and its invoices (404 when the month is open)."""
        month = load(MonthIn(), {"month": month})["month"]
        closing = store.closing_of(month)
        if closing is None:
            return None
        rows = store.invoices_of_month(month)
        ids = [r.id for r in rows]
        return presenters.closing(closing, rows, store.paid_by_invoice(ids), store.payments_of(ids))

    @rpc
    def pending_absences(self, month):
        """The absence requests still waiting for staff in `month` (what closing it would warn of)."""
        month = load(MonthIn(), {"month": month})["month"]
        return [_pending_fact(a) for a in store.pending_absences(*_month_days(month))]

    # --- invoices -----------------------------------------------------------------------------------
    @rpc
    def list_invoices(self, query=None):
        q = load(InvoiceQuery(), query or {})
        found = store.invoices(q)
        ids = [r.id for r in found.rows]
        return found.answer(presenters.invoices(found.rows, store.paid_by_invoice(ids), store.payments_of(ids)))

    @rpc
    def get_invoice(self, invoice_id, family_id=None):
        """An invoice (a family's own when `family_id` is given: 404 for another's)."""
        row = store.invoice(invoice_id, family_id)
        return presenters.invoice(row, store.paid_by_invoice([row.id]), store.payments_of([row.id]))

    @rpc
    def family_invoices(self, family_id):
        """The family's invoices, oldest first, and what it owes in all."""
        family = childcare_store.family(family_id)
        rows = store.family_invoices(family)
        ids = [r.id for r in rows]
        return presenters.family_invoices(family, rows, store.paid_by_invoice(ids), store.payments_of(ids))

    @command
    def issue_credit_note(self, invoice_id, data, credited_by=None):
        """Cancel an invoice in full by a credit note (A-2026-000003); 409 when it is credited already.
        The month comes back, recomputed, as an adjustment of the family's next open month."""
        reason = load(CreditNoteIn(), data)["reason"].strip()
        today = _today()
        with self.uow.atomic(exclusive=True):
            row = store.locked_invoice(invoice_id)
            if row.status == INVOICE_CREDITED:
                raise Conflict(f"La facture {row.number} est déjà annulée par l'avoir {row.credit_note_number}.")
            row.credit_note_number = store.take_credit_note_number(today.year)
            row.status, row.credited_on, row.credit_reason, row.credited_by = (
                INVOICE_CREDITED,
                today,
                reason,
                credited_by,
            )
            row.save()
            self.uow.emit("bookings.credit_note_issued", presenters.credit_note_issued(row))
        return presenters.invoice(row, store.paid_by_invoice([row.id]), store.payments_of([row.id]))

    # --- payments -----------------------------------------------------------------------------------
    @command
    def record_payment(self, invoice_id, data, recorded_by=None):
        """A payment of an invoice: above 0 and at most what is left to pay (422), never on a
        credited invoice (409); the invoice is paid once nothing is left."""
        fields = load(PaymentIn(), data)
        with self.uow.atomic(exclusive=True):
            row = store.locked_invoice(invoice_id)
            if row.status == INVOICE_CREDITED:
                raise Conflict(f"La facture {row.number} est annulée par l'avoir {row.credit_note_number}.")
            paid = store.paid_by_invoice([row.id])[row.id]
            left = invoicing.balance(row.total, paid, False)
            errors = invoicing.check_payment(fields["amount"], left)
            if errors:
                raise Invalid("Ce paiement ne convient pas.", errors)
            payment = Payment.create(
                invoice=row,
                family=row.family_id,
                amount=fields["amount"],
                paid_on=fields["paid_on"],
                method=fields["method"],
                recorded_by=recorded_by,
            )
            row.status = invoicing.status_after(row.total, paid + fields["amount"], False)
            row.save()
            self.uow.emit(
                "bookings.payment_recorded", presenters.payment_recorded(payment, row, left - fields["amount"])
            )
        return presenters.invoice(row, store.paid_by_invoice([row.id]), store.payments_of([row.id]))

    @command
    def reject_payment(self, payment_id, data, rejected_by=None):
        """A payment that did not arrive (a direct debit returned, a cheque bounced): kept, marked
        rejected, and no longer counted; its invoice is to pay again. 409 when rejected already."""
        reason = load(RejectIn(), data)["reason"].strip()
        with self.uow.atomic(exclusive=True):
            payment = store.locked_payment(payment_id)
            row = store.locked_invoice(payment.invoice_id)
            if payment.status == PAYMENT_REJECTED:
                raise Conflict("Ce paiement est déjà marqué impayé.")
            payment.status, payment.rejected_on = PAYMENT_REJECTED, _today()
            payment.reject_reason, payment.rejected_by = reason, rejected_by
            payment.save()
            if row.status != INVOICE_CREDITED:
                paid = store.paid_by_invoice([row.id])[row.id]
                row.status = invoicing.status_after(row.total, paid, False)
                row.save()
        return presenters.invoice(row, store.paid_by_invoice([row.id]), store.payments_of([row.id]))

    @rpc
    def balances(self):
        """Who owes what: families with something left to pay, the oldest debt first."""
        rows = store.unsettled_invoices()
        return presenters.balances(rows, store.paid_by_invoice(r.id for r in rows))


def _today():
    """Today at the venue, on the services' clock (timeutil.now_utc: tests move it)."""
    return timeutil.now_utc().astimezone(timeutil.VENUE_TZ).date()


def _month_days(month):
    return billing.month_days(month)


def _refuse_closed(month):
    closing = store.closing_of(month)
    if closing is not None:
        raise Conflict(
            f"Le mois de {invoicing.month_name(month)} est déjà clos : ses factures sont émises.",
            {"month": ["Mois déjà clos."]},
        )


def _refuse_pending(month, force):
    pending = store.pending_absences(*_month_days(month))
    if pending and not force:
        raise Conflict(
            f"{len(pending)} demande(s) d'absence attendent encore une décision pour "
            f"{invoicing.month_name(month)} : décidez-les, ou clôturez quand même (force).",
            {"absences": [_pending_text(a) for a in pending]},
        )


def _pending_fact(absence):
    return {
        "absence_id": absence.id,
        "contract_id": absence.contract_id,
        "child_first_name": absence.contract.child.first_name,
        "starts_on": absence.starts_on.isoformat(),
        "ends_on": absence.ends_on.isoformat(),
        "reason": absence.reason,
        "text": _pending_text(absence),
    }


def _pending_text(absence):
    return (
        f"{absence.contract.child.first_name} : absence du {absence.starts_on:%d/%m/%Y} au "
        f"{absence.ends_on:%d/%m/%Y} ({absence.reason}), id {absence.id}"
    )
