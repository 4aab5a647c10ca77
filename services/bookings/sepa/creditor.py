"""The venue as the creditor of SEPA direct debits, from the BOOKINGS_SEPA_* settings (checked
when the service starts: a wrong identifier or IBAN stops the start with a clear line).

The defaults are for development only: a creditor identifier of the right shape (FR72ZZZ123456,
the usual example, check digits right) and a sample IBAN. A venue gets its own ICS from its bank
(Banque de France) before its first debit (docs/operations.md).
"""

from dataclasses import dataclass

from services.bookings.domain import mandates
from services.bookings.sepa.accounts import checked_bic, checked_iban
from shared import config

DEV_NAME = "Cocoon'Age"
DEV_IDENTIFIER = "FR72ZZZ123456"
DEV_IBAN = "FR7630006000011234567890189"


@dataclass(frozen=True)
class SepaCreditor:
    name: str = DEV_NAME
    identifier: str = DEV_IDENTIFIER  # ICS, identifiant créancier SEPA
    iban: str = DEV_IBAN  # the venue's account the debits are paid into
    bic: str | None = None  # None: the bank of the IBAN, when schwifty knows it


def read_creditor():
    """The SepaCreditor of the environment; ValueError naming the variable when a value is wrong."""
    name = config.env("BOOKINGS_SEPA_CREDITOR_NAME", DEV_NAME).strip()
    if not 1 <= len(name) <= 70:
        raise ValueError("BOOKINGS_SEPA_CREDITOR_NAME: 1 to 70 characters")
    identifier = "".join(config.env("BOOKINGS_SEPA_CREDITOR_ID", DEV_IDENTIFIER).split()).upper()
    if not mandates.creditor_identifier_valid(identifier):
        raise ValueError(f"BOOKINGS_SEPA_CREDITOR_ID: not a SEPA creditor identifier: {identifier!r}")
    iban, error = checked_iban(config.env("BOOKINGS_SEPA_CREDITOR_IBAN", DEV_IBAN))
    if error:
        raise ValueError(f"BOOKINGS_SEPA_CREDITOR_IBAN: {error}")
    bic = config.env("BOOKINGS_SEPA_CREDITOR_BIC", "").strip() or None
    if bic:
        bic, error = checked_bic(bic)
        if error:
            raise ValueError(f"BOOKINGS_SEPA_CREDITOR_BIC: {error}")
    return SepaCreditor(name, identifier, iban, bic)
