"""Learners' contracts and who may use which funding (docs/education-rules.md, "Contracts").

- A person who trains on their own account and at their own cost (funding `self_funded`) signs a
  contrat de formation before the enrolment is final and before paying anything (Code du travail
  L6353-3), with the mentions of L6353-4 (« à peine de nullité »).
- They may withdraw within ten days of signing it (L6353-5). The day of acceptance is not counted
  and the period ends at midnight at the end of the tenth day, in the venue's zone (the way the
  Code de procédure civile counts a delay in days, art. 641 and 642) **[derived]**; it is not
  extended when that day is a Sunday or a holiday **[unconfirmed]**. A contract accepted on
  Monday 4 January at 10:00 may be withdrawn from until Thursday 14 January at 23:59.
- Nothing may be asked of them before the period ends; then at most 30 % of the agreed price;
  the balance as the training proceeds (L6353-6). Here, at most 30 % is paid on or before the
  session's last day, the balance after it **[practice]**: stricter than the balance « au fur et à
  mesure », never looser.
- A funder other than the learner (employer, OPCO, France Travail) gets a convention de formation
  **[practice]** (the documents around a session, shared/domain).
- CPF pays only for training leading to a certification registered in the RNCP or the Répertoire
  spécifique (L6323-6, I); the course names its code, « RNCP » or « RS » then digits as France
  compétences numbers its records (e.g. RNCP34690, RS5612) **[unconfirmed]**.

Pure functions: the clock and the venue's zone are passed in.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

SELF_FUNDED, CPF = "self_funded", "cpf"
CONVENTION_FUNDING = ("employer", "opco", "france_travail")
WITHDRAWAL_DAYS = 10
SHARE_BEFORE_THE_END = Decimal("0.30")
CENT = Decimal("0.01")
CERTIFICATION_CODE = re.compile(r"^(RNCP|RS)[0-9]{1,6}$")


def needs_contract(funding: str) -> bool:
    """A contrat de formation (L6353-3): the learner pays for themselves."""
    return funding == SELF_FUNDED


def needs_convention(funding: str) -> bool:
    """A convention de formation with the funder [practice]."""
    return funding in CONVENTION_FUNDING


# --- the withdrawal period (L6353-5) -----------------------------------------------------------------
def withdrawal_until(accepted_at: datetime, zone: ZoneInfo) -> datetime:
    """The first moment the learner can no longer withdraw: midnight after the tenth day following
    the day of acceptance (in `zone`), aware. Accepted on the 4th, any time: until the 14th 23:59:59."""
    accepted_on = accepted_at.astimezone(zone).date()
    return datetime.combine(accepted_on + timedelta(days=WITHDRAWAL_DAYS + 1), time(0), tzinfo=zone)


def can_withdraw(until: datetime, now: datetime) -> bool:
    """Within the period: `now` strictly before its end (both aware)."""
    return now < until


def last_day_to_withdraw(until: datetime, zone: ZoneInfo) -> date:
    """The period's last day, as people read it (the day before `until`, in `zone`)."""
    return until.astimezone(zone).date() - timedelta(days=1)


# --- payments (L6353-6) -----------------------------------------------------------------------------
def share_before_the_end(price: Decimal) -> Decimal:
    """30 % of the agreed price, rounded down to the cent (never above the share)."""
    return (Decimal(price) * SHARE_BEFORE_THE_END).quantize(CENT, ROUND_DOWN)


def payment_refusal(
    *,
    amount: Decimal,
    paid_on: date,
    price: Decimal,
    paid_until_the_end: Decimal,
    paid_in_all: Decimal,
    first_day_allowed: date | None,
    last_day: date,
    today: date,
) -> tuple[str, str] | None:
    """(field, French sentence) when a learner's payment may not be recorded, else None.

    `first_day_allowed`: the day after the withdrawal period (None: no contract accepted yet);
    `paid_until_the_end`: what was already paid on or before the session's `last_day`;
    `paid_in_all`: everything already paid."""
    if first_day_allowed is None:
        return "_schema", "Le contrat de formation n'est pas encore accepté : aucun paiement ne peut être demandé."
    if today < first_day_allowed:
        return (
            "_schema",
            "Le délai de rétractation court encore : aucun paiement ne peut être demandé avant le "
            f"{first_day_allowed:%d/%m/%Y} (Code du travail, art. L6353-6).",
        )
    if paid_on > today:
        return "paid_on", "La date du paiement ne peut pas être dans le futur."
    if paid_on < first_day_allowed:
        return (
            "paid_on",
            "Un paiement ne peut pas être daté d'avant la fin du délai de rétractation "
            f"({first_day_allowed:%d/%m/%Y}).",
        )
    if paid_in_all + amount > price:
        left = max(price - paid_in_all, Decimal(0))
        return "amount", f"Le total dépasserait le prix convenu de {euros(price)} (reste dû : {euros(left)})."
    if paid_on <= last_day:
        limit = share_before_the_end(price)
        if paid_until_the_end + amount > limit:
            left = max(limit - paid_until_the_end, Decimal(0))
            return (
                "amount",
                f"Avant la fin de la formation, au plus 30 % du prix, soit {euros(limit)}, peuvent être payés "
                f"(Code du travail, art. L6353-6) ; il reste {euros(left)} possibles avant le {last_day:%d/%m/%Y}.",
            )
    return None


def euros(value: Decimal) -> str:
    """« 1 234,50 € » (French writing)."""
    whole, cents = f"{Decimal(value).quantize(CENT):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", "\u202f")
    return f"{grouped},{cents}\u00a0€"


# --- CPF (L6323-6) ------------------------------------------------------------------------------------
def normal_certification_code(text: str | None) -> str:
    """ " rncp 34690 " -> "RNCP34690" (what people type, as France compétences writes it)."""
    return re.sub(r"[\s\-]", "", text or "").upper()


def is_certification_code(code: str) -> bool:
    return bool(CERTIFICATION_CODE.match(code or ""))


def cpf_allowed(certification_code: str | None) -> bool:
    """CPF only for a course leading to a registered certification (its code known)."""
    return is_certification_code(certification_code or "")
