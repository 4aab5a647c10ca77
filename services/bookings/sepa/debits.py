"""The SEPA direct debit file (pain.008, SDD Core) a venue sends its bank to collect a month's
invoices from the families who signed a mandate, built with sepaxml and checked by it against the
pain.008 XSD it ships.

Sources: ISO 20022 pain.008.001.02 (CustomerDirectDebitInitiationV02), the version of the EPC
SDD Core rulebook's implementation guidelines up to November 2023 and still taken by French banks
(CFONB); pain.008.001.08 (the 2019 version, EPC from November 2023) on request. Per transaction:
the invoice number as end-to-end id and in the remittance information, the amount, the mandate's
reference and date of signature, the debtor's name, IBAN and BIC (optional: «NOTPROVIDED»). The
sequence type is FRST for a mandate's first debit and RCUR afterwards; sepaxml writes one payment
block per sequence type and collection date (batch booking). Names are written in the SEPA Latin
character set (sepaxml transliterates: «Élodie» → «Elodie»).

Pure: give it the creditor (the BOOKINGS_SEPA_* settings), the collection date and the debits;
it answers the file's bytes. It does not decide who is debited (the caller picks the month's
invoices of families with an active mandate).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sepaxml import SepaDD

from services.bookings.domain import mandates
from services.bookings.sepa.accounts import bic_of, checked_bic, checked_iban

PAIN_008_001_02 = "pain.008.001.02"
PAIN_008_001_08 = "pain.008.001.08"
SCHEMAS = (PAIN_008_001_02, PAIN_008_001_08)
FIRST, RECURRENT = "FRST", "RCUR"
MAX35 = 35


@dataclass(frozen=True)
class Creditor:
    """The venue as its bank knows it: name, creditor identifier (ICS), IBAN, BIC (may be None: then
    taken from the IBAN's bank when schwifty knows it; pain.008.001.02 needs one)."""

    name: str
    identifier: str
    iban: str
    bic: str | None = None


@dataclass(frozen=True)
class Debit:
    """One invoice to collect: `invoice_number` (F-2026-000042) is the end-to-end id; `first` when
    no debit was collected yet under this mandate (FRST), else RCUR."""

    invoice_number: str
    amount: Decimal
    mandate_reference: str
    mandate_signed_on: date
    debtor_name: str
    iban: str
    bic: str | None = None
    first: bool = False
    remittance: str | None = None  # the debtor reads it on their statement; «Facture <number>» by default


def pain008(creditor, collection_date, debits, schema=PAIN_008_001_02):
    """The pain.008 file (UTF-8 XML bytes) collecting `debits` on `collection_date` for `creditor`.
    Raises ValueError (an English sentence for the logs, naming the invoice) on a debit the bank
    would refuse: no debit, an amount not positive or with more than 2 decimals, an invalid IBAN,
    BIC or creditor identifier, a reference longer than 35 characters."""
    if schema not in SCHEMAS:
        raise ValueError(f"unknown pain.008 version {schema}, expected one of {', '.join(SCHEMAS)}")
    if not debits:
        raise ValueError("a SEPA file needs at least one debit")
    sdd = SepaDD(_config(creditor, schema), schema=schema, clean=True)
    for debit in debits:
        sdd.add_payment(_payment(debit, collection_date))
    return sdd.export(validate=True)


def _config(creditor, schema):
    iban, error = checked_iban(creditor.iban)
    if error:
        raise ValueError(f"creditor IBAN: {error}")
    if not mandates.creditor_identifier_valid(creditor.identifier):
        raise ValueError(f"creditor identifier (ICS) not valid: {creditor.identifier!r}")
    config = {
        "name": creditor.name,
        "IBAN": iban,
        "batch": True,
        "creditor_id": "".join(creditor.identifier.split()).upper(),
        "currency": "EUR",
    }
    bic = _bic(creditor.bic, iban, "creditor")
    if bic:
        config["BIC"] = bic
    elif schema == PAIN_008_001_02:
        raise ValueError("pain.008.001.02 needs the creditor's BIC (BOOKINGS_SEPA_CREDITOR_BIC)")
    return config


def _payment(debit, collection_date):
    what = f"invoice {debit.invoice_number}"
    iban, error = checked_iban(debit.iban)
    if error:
        raise ValueError(f"{what}: debtor IBAN: {error}")
    for name, value in (("invoice number", debit.invoice_number), ("mandate reference", debit.mandate_reference)):
        if not value or len(value) > MAX35:
            raise ValueError(f"{what}: {name} must have 1 to {MAX35} characters")
    payment = {
        "name": debit.debtor_name,
        "IBAN": iban,
        "amount": _cents(debit.amount, what),
        "type": FIRST if debit.first else RECURRENT,
        "collection_date": collection_date,
        "mandate_id": debit.mandate_reference,
        "mandate_date": debit.mandate_signed_on,
        "description": debit.remittance or f"Facture {debit.invoice_number}",
        "endtoend_id": debit.invoice_number,
    }
    bic = _bic(debit.bic, None, what)
    if bic:
        payment["BIC"] = bic
    return payment


def _bic(given, iban, whose):
    if given:
        bic, error = checked_bic(given)
        if error:
            raise ValueError(f"{whose}: BIC: {error}")
        return bic
    return bic_of(iban) if iban else None


def _cents(amount, what):
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{what}: amount must be positive with at most 2 decimals, not {amount}")
    return int(amount * 100)
