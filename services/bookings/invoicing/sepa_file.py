"""A closed month's SEPA direct debit file (pain.008): what staff send the venue's bank to collect
the month's invoices from the families who signed a mandate. A read: the file changes nothing
(no event); the debits are recorded as payments when the bank has collected them (`sepa_debit`),
and a debit the bank returns is a rejected payment.

Who is debited: each invoice of the month (closed: 409 otherwise) with something left to pay
(balance > 0: total − recorded payments; a credited invoice asks for nothing) whose family has an
active mandate; the amount is that balance, the end-to-end id the invoice's number. FRST while no
debit was collected under the mandate (domain/mandates.py `collected_under`: the family's
recorded `sepa_debit` payments paid on or after the mandate's signature), RCUR afterwards. The
collection date: the invoices' due date, or the one staff ask for, tomorrow at the earliest.
"""

from decimal import Decimal

from services.bookings.domain import invoicing, mandates
from services.bookings.family_file import store as family_store
from services.bookings.invoicing import store
from services.bookings.invoicing.presenters import family_name
from services.bookings.schemas.billing_documents import SepaFileOut, SepaFileQuery
from services.bookings.schemas.childcare import MonthIn
from services.bookings.sepa.debits import Creditor, Debit, pain008
from shared import timeutil
from shared.broker_loss import rpc
from shared.errors import Conflict, Invalid, load
from shared.vocabulary import INVOICE_CREDITED


class SepaFileRpc:
    @rpc
    def sepa_file(self, month, collection_date=None):
        """The pain.008 file of a closed month's invoices to debit ({xml, filename, debits, first,
        recurrent, total, …}): 409 in French when the month is open or nothing can be debited;
        422 for a collection date before tomorrow."""
        month = load(MonthIn(), {"month": month})["month"]
        asked = load(SepaFileQuery(), {"collection_date": collection_date} if collection_date else {})
        name = invoicing.month_name(month)
        if store.closing_of(month) is None:
            raise Conflict(
                f"Le mois de {name} n'est pas clos : clôturez-le d'abord, le fichier de prélèvements "
                "se fait à partir de ses factures.",
                {"month": ["Mois pas encore clos."]},
            )
        owed = _owed(store.invoices_of_month(month))
        active = family_store.active_mandates({row.family_id for row, _ in owed})
        to_debit = [(row, left, active[row.family_id]) for row, left in owed if row.family_id in active]
        if not to_debit:
            raise Conflict(
                f"Aucune facture de {name} ne peut être prélevée : aucune n'a de reste à payer "
                "d'une famille ayant signé un mandat de prélèvement SEPA.",
                {"month": ["Aucun prélèvement possible ce mois-ci."]},
            )
        day, errors = mandates.collection_date(
            max(row.due_on for row, _, _ in to_debit), asked["collection_date"], _today()
        )
        if errors:
            raise Invalid("Cette date de prélèvement ne convient pas.", errors)
        debits = _debits(to_debit, store.sepa_debits_of({row.family_id for row, _, _ in to_debit}))
        try:
            xml = pain008(_creditor(self.settings.sepa), day, debits)
        except ValueError as exc:  # a setting or a mandate the bank would refuse: the log names it
            raise Conflict(f"Le fichier de prélèvements de {name} ne peut pas être construit : {exc}.") from None
        first = sum(1 for d in debits if d.first)
        return SepaFileOut().dump(
            {
                "month": month,
                "collection_date": day,
                "filename": f"prelevements-{month}.xml",
                "xml": xml.decode("utf-8"),
                "debits": len(debits),
                "first": first,
                "recurrent": len(debits) - first,
                "total": sum((d.amount for d in debits), Decimal("0.00")),
                "without_mandate": len(owed) - len(to_debit),
            }
        )


def _owed(rows):
    """[(invoice, what is left to pay)] of the invoices with something left to pay."""
    paid = store.paid_by_invoice(row.id for row in rows)
    owed = [(row, invoicing.balance(row.total, paid[row.id], row.status == INVOICE_CREDITED)) for row in rows]
    return [(row, left) for row, left in owed if left > 0]


def _debits(to_debit, debit_days):
    return [
        Debit(
            invoice_number=row.number,
            amount=left,
            mandate_reference=mandate.reference,
            mandate_signed_on=mandate.signed_on,
            debtor_name=mandate.holder or family_name(row.family),
            iban=mandate.iban,
            bic=mandate.bic,
            first=mandates.first_debit(mandates.collected_under(mandate.signed_on, debit_days[row.family_id])),
        )
        for row, left, mandate in to_debit
    ]


def _today():
    """Today at the venue, on the services' clock (timeutil.now_utc: tests move it)."""
    return timeutil.now_utc().astimezone(timeutil.VENUE_TZ).date()


def _creditor(sepa):
    return Creditor(sepa.name, sepa.identifier, sepa.iban, sepa.bic)
