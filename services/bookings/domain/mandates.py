"""A family's SEPA direct debit mandate (SDD Core): its reference, how its account is shown, when
it may be signed, and the creditor identifier (ICS) it names.

Sources:
- EPC SEPA Core Direct Debit Scheme Rulebook: the mandate is identified by the unique mandate
  reference the creditor gives it (at most 35 characters, «Unique Mandate Reference»), together
  with the creditor identifier; it carries the creditor's name and identifier, the debtor's name
  and account (IBAN), the date of signature, and the debtor's right to be refunded by their bank
  within 8 weeks of the debit «as stated in the terms and conditions of the agreement with your
  bank» (the wording a Core mandate must show). A reference is never reused for another mandate.
- Creditor identifier (identifiant créancier SEPA, ICS, given by the Banque de France in France):
  country code, 2 check digits, a 3-character business code (ZZZ by default), the national
  identifier; the check digits are ISO 7064 MOD 97-10 over the national identifier followed by the
  country code and "00", the business code left out (EPC262-08, «Creditor Identifier Overview»).
- The account is shown masked to anyone but the bank file (a bank account is personal data,
  RGPD art. 5-1-c, data minimisation) [practice]: the country, its check digits and the last 4
  characters (FR76 •••• •••• 1234).
"""

import re
from datetime import timedelta

REFERENCE_PREFIX = "COCOON"
REFERENCE_MAX = 35  # EPC: Max35Text
SHORT_ID_LENGTH = 12  # characters of the family's id in the reference
HOLDER_MAX = 70  # the debtor's name in pain.008 (Max70Text)
MASK = "••••"

NOT_IN_FUTURE = "La date de signature ne peut pas être dans le futur."
_ICS = re.compile(r"^([A-Z]{2})(\d{2})([A-Z0-9]{3})([A-Z0-9]{1,28})$")


def short_id(family_id):
    """The first 12 letters or digits of the family's id, upper case: "3F2A9C1B0D4E" for a UUID."""
    return re.sub(r"[^A-Za-z0-9]", "", str(family_id))[:SHORT_ID_LENGTH].upper()


def reference(family_id, number):
    """The family's `number`-th mandate reference (1 for its first): COCOON-3F2A9C1B0D4E-1. Made once,
    when the mandate is recorded, and never changed; a new mandate of the family gets the next number."""
    if number < 1:
        raise ValueError("a mandate number starts at 1")
    made = f"{REFERENCE_PREFIX}-{short_id(family_id)}-{number}"
    if len(made) > REFERENCE_MAX:
        raise ValueError(f"mandate reference longer than {REFERENCE_MAX} characters: {made}")
    return made


def masked(iban):
    """A stored (normalised) IBAN as shown to people: FR76 •••• •••• 1234 (country and check digits,
    the last 4 characters)."""
    compact = re.sub(r"\s", "", iban or "").upper()
    if len(compact) < 8:
        return MASK
    return f"{compact[:4]} {MASK} {MASK} {compact[-4:]}"


def signed_on_errors(signed_on, today):
    """{field: [French sentences]}: a mandate is signed today or before, never in the future."""
    return {"signed_on": [NOT_IN_FUTURE]} if signed_on > today else {}


def creditor_identifier_valid(identifier):
    """Whether an ICS (FR72ZZZ123456) has the right shape and check digits (MOD 97-10, business code
    left out)."""
    match = _ICS.match(re.sub(r"\s", "", identifier or "").upper())
    if not match:
        return False
    country, check, _business, national = match.groups()
    return _mod97(national + country + "00") == 98 - int(check)


def creditor_identifier(country, national, business="ZZZ"):
    """The ICS made of its parts, with its check digits: creditor_identifier("FR", "123456")."""
    check = 98 - _mod97(national.upper() + country.upper() + "00")
    return f"{country.upper()}{check:02d}{business.upper()}{national.upper()}"


def _mod97(text):
    """ISO 7064 MOD 97-10 of letters (A=10 … Z=35) and digits."""
    return int("".join(str(int(c, 36)) for c in text)) % 97


def first_debit(earlier_collected):
    """The sequence type of a mandate's next debit: FRST while none was collected under it (a first
    debit that was rejected leaves the next one FRST), RCUR afterwards (EPC Core rulebook; since
    November 2016 banks also accept RCUR for a first debit, FRST stays valid)."""
    return not earlier_collected


def collected_under(signed_on, debit_days):
    """How many debits were collected under a mandate signed on `signed_on`, given the days the
    family's recorded (not rejected) SEPA debit payments were paid: those on or after the signature
    [practice: a payment recorded with the method `sepa_debit` is a collected debit; one paid before
    the mandate was signed belongs to an earlier mandate, so a new mandate starts again with FRST; a
    rejected debit is not collected, so the next one stays FRST]."""
    return sum(1 for day in debit_days if day >= signed_on)


NOT_BEFORE_TOMORROW = "La date de prélèvement doit être demain au plus tôt."


def collection_date(due_on, asked, today):
    """(the day the families' banks are debited, {field: [French sentences]}): `asked` when given,
    tomorrow at the earliest (the file goes to the bank the day before, at the latest: EPC Core
    rulebook, D-1 since November 2016); else the invoices' due date, tomorrow when it is already past
    [practice: the bank moves a day it does not work to the next one it does]."""
    tomorrow = today + timedelta(days=1)
    if asked is not None:
        return (asked, {}) if asked >= tomorrow else (None, {"collection_date": [NOT_BEFORE_TOMORROW]})
    return max(due_on, tomorrow), {}
