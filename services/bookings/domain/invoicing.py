"""Months closed into invoices: what may be closed, when an invoice is due, what a later change of
a closed month adds to the next open one (an adjustment line), and what a payment may be.

Sources:
- An invoice carries the names and addresses of both parties and the seller's SIREN/SIRET, its
  date of issue, « un numéro unique basé sur une séquence chronologique et continue », what was
  provided and its price (CGI, annexe II, art. 242 nonies A, I, 1°, 6°, 7°, 8°), and the date
  payment is due (code de commerce L441-9, « la date à laquelle le règlement doit intervenir »).
  The late-payment penalties and the 40 € recovery indemnity L441-9 also asks for are between
  professionals, not owed by a family (a consumer), so they are not printed [derived].
- An invoice sent is never changed or deleted: an error is cancelled by a credit note (« avoir »)
  that refers to it, and the month is invoiced again (« annuler et refacturer ») [practice of
  CGI 289 I-5 and BOFiP BOI-TVA-DECLA-30-20-20-10: a corrective document refers to the
  invoice it corrects]. Here the month comes back, recomputed, as an adjustment line of the
  family's next open month (adjustment below).
- Due date: `due_days` after issue (COCOON_INVOICE_DUE_DAYS, 15 by default) [practice].
- A payment is above 0 and at most what is left to pay (an overpayment is refused: the venue
  refunds rather than holds credit) [practice].
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from shared.vocabulary import MONTHS_FR

DEFAULT_DUE_DAYS = 15  # [practice]
DEFAULT_PAYMENT_TERMS = (
    "Paiement par virement, carte bancaire, chèque, CESU, espèces ou prélèvement SEPA "
    "(avec un mandat signé), à la date d'échéance au plus tard."
)
ADJUSTMENT = "adjustment"  # the kind of an adjustment line
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


# --- the venue's identity ------------------------------------------------------------------------
def siret(text: str) -> str:
    """A SIRET as given (14 digits, spaces allowed) with its spaces made single, or "" when not set;
    ValueError naming the setting otherwise."""
    shown = " ".join(str(text or "").split())
    digits = shown.replace(" ", "")
    if shown and not (digits.isdigit() and len(digits) == 14):
        raise ValueError(f"COCOON_ORGANISATION_SIRET={text!r} is not 14 digits")
    return shown


# --- months ---------------------------------------------------------------------------------------
def month_name(month: str) -> str:
    """ "2026-03" -> "mars 2026"."""
    year, number = month.split("-")
    return f"{MONTHS_FR[int(number) - 1]} {year}"


def month_begun(month: str, today: date) -> bool:
    """A month is closed once it has begun (a month ahead has nothing to bill yet) [practice]."""
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, 1) <= today


def due_on(issued_on: date, due_days: int) -> date:
    return issued_on + timedelta(days=due_days)


# --- adjustments: a closed month recomputed --------------------------------------------------------
@dataclass(frozen=True)
class Adjustment:
    corrects_month: str
    amount: Decimal  # positive: the family owes more; negative: it is owed
    label: str


def own_amount(statement: dict) -> Decimal:
    """A frozen statement's amount without the adjustment lines it carried for earlier months."""
    return money(statement["amount"]) - sum(
        (money(line["amount"]) for line in statement["lines"] if line.get("kind") == ADJUSTMENT), ZERO
    )


def carried_for(statement: dict, month: str) -> Decimal:
    """What a frozen statement's adjustment lines carried for `month`."""
    return sum(
        (
            money(line["amount"])
            for line in statement["lines"]
            if line.get("kind") == ADJUSTMENT and line.get("corrects_month") == month
        ),
        ZERO,
    )


def adjustment(
    month: str,
    recomputed: dict,
    frozen: dict | None,
    credit_note: str | None,
    carried: Decimal,
) -> Adjustment | None:
    """The adjustment a closed `month` adds to the family's next open month, or None.

    recomputed: the month's statement computed now (no adjustment lines); frozen: its invoice's
    statement (None: no invoice that month); credit_note: the number of the credit note that
    cancelled that invoice (then it counts for nothing); carried: what adjustment lines of
    invoices closed since already carried for it (their invoices not credited).
    amount = recomputed − invoiced (0 when credited or none) − carried."""
    invoiced = own_amount(frozen) if frozen is not None and credit_note is None else ZERO
    amount = money(recomputed["amount"]) - invoiced - carried
    if amount == 0:
        return None
    if credit_note is not None:
        reason = f"facturé à nouveau après l'avoir {credit_note}"
    else:
        reason = (
            "; ".join(changed_lines(frozen["lines"] if frozen else [], recomputed["lines"])) or "montants recalculés"
        )
    return Adjustment(month, amount, f"Régularisation de {month_name(month)} : {reason}")


def changed_lines(frozen_lines: list[dict], recomputed_lines: list[dict]) -> list[str]:
    """The French labels of the lines that differ between the frozen and the recomputed month: a
    line new or changed with its effect (« … (−44,58 €) »), a line gone marked « retiré »."""
    frozen = Counter(_key(line) for line in frozen_lines if line.get("kind") != ADJUSTMENT)
    now = Counter(_key(line) for line in recomputed_lines if line.get("kind") != ADJUSTMENT)
    added = [key for key in now if now[key] > frozen[key]]
    gone = [key for key in frozen if frozen[key] > now[key]]
    return [f"{_lower_first(label)} ({signed_euros(amount)})" for _, label, amount in added] + [
        f"retiré : {_lower_first(label)} ({signed_euros(-amount)})" for _, label, amount in gone
    ]


def _key(line: dict) -> tuple[str, str, Decimal]:
    return line.get("kind") or "booking", line.get("label") or "", money(line.get("amount") or 0)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def signed_euros(amount: Decimal) -> str:
    """+12,40 € / −44,58 € (a true minus sign)."""
    sign = "−" if amount < 0 else "+"
    return f"{sign}{format(abs(amount), 'f').replace('.', ',')} €"


def with_adjustments(statement: dict, adjustments: list[Adjustment]) -> dict:
    """The statement (StatementOut as a dict) with one line per adjustment after its own lines and
    the amount they bring added to its `amount` (and to `adjustments`)."""
    lines = [
        {
            "kind": ADJUSTMENT,
            "label": a.label,
            "corrects_month": a.corrects_month,
            "amount": f"{a.amount:.2f}",
        }
        for a in adjustments
    ]
    brought = sum((a.amount for a in adjustments), ZERO)
    return dict(
        statement,
        lines=list(statement["lines"]) + lines,
        adjustments=f"{brought:.2f}",
        amount=f"{money(statement['amount']) + brought:.2f}",
    )


def has_something_billed(statement: dict) -> bool:
    """A family gets an invoice for a month when its statement has a line (care, a contract, an
    adjustment), even one of 0 € (a booking cancelled in time is listed)."""
    return bool(statement["lines"])


# --- payments -------------------------------------------------------------------------------------
def balance(total: Decimal, paid: Decimal, credited: bool) -> Decimal:
    """What is left to pay (negative: owed to the family): a credited invoice asks for nothing, so
    what was paid on it is owed back, or counts against the family's other invoices."""
    return (ZERO if credited else total) - paid


def check_payment(amount: Decimal, left: Decimal) -> dict[str, list[str]]:
    """The refusals of a payment of `amount` on an invoice with `left` to pay ({} when fine)."""
    if amount <= 0:
        return {"amount": ["Le montant doit être supérieur à 0."]}
    if amount != amount.quantize(CENT):
        return {"amount": ["Le montant se donne au centime près."]}
    if amount > left:
        return {"amount": [f"Le montant dépasse ce qui reste à payer ({format(left, 'f').replace('.', ',')} €)."]}
    return {}


def status_after(total: Decimal, paid: Decimal, credited: bool) -> str:
    """issued, paid (nothing left to pay) or credited."""
    if credited:
        return "credited"
    return "paid" if paid >= total else "issued"


def money(value) -> Decimal:
    try:
        return Decimal(str(value)).quantize(CENT)
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None
