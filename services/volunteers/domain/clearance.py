"""Whether a volunteer may be with the children (../shared/domain/volunteers.md).

- The attestation d'honorabilité (décret of 30 June 2024; CASF L133-6): checked by staff on the
  national platform (issued on, verified on, by whom), valid 3 years from its issue.
- [unconfirmed, single source] It should be less than 6 months old when the volunteer starts:
  `max_age_at_start_months`, the venue's setting (0 turns it off).
- The venue's insurance covers the volunteer (CSP R2324-33 II): the policy is recorded.
Volunteers never count in the staffing ratio (the bookings service never counts them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

VALID_YEARS = 3
DEFAULT_MAX_AGE_AT_START_MONTHS = 6
DEFAULT_WARNING_DAYS = 30


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def expires_on(issued_on: date) -> date:
    """The last day the attestation is valid: the day before its third anniversary."""
    return add_years(issued_on, VALID_YEARS) - timedelta(days=1)


@dataclass(frozen=True)
class Clearance:
    issued_on: date | None  # the attestation's issue date; None: none recorded
    insurance_policy: str | None  # None or "": no insurance recorded
    first_activity_on: date | None = None  # the day the volunteer first came, if they have


def missing(
    clearance: Clearance, on: date, max_age_at_start_months: int = DEFAULT_MAX_AGE_AT_START_MONTHS
) -> list[str]:
    """What keeps the volunteer from an activity on `on`, as sentences; [] when cleared."""
    reasons = []
    issued = clearance.issued_on
    if issued is None:
        reasons.append("Votre attestation d'honorabilité n'est pas encore enregistrée par l'équipe.")
    elif on > expires_on(issued):
        reasons.append(
            f"Votre attestation d'honorabilité a expiré le {expires_on(issued):%d/%m/%Y} : "
            "demandez-en une nouvelle et apportez-la à l'équipe."
        )
    elif issued > on:
        reasons.append("Votre attestation d'honorabilité n'est valable qu'à partir de sa date d'émission.")
    elif (
        max_age_at_start_months
        and clearance.first_activity_on is None
        and on > add_months(issued, max_age_at_start_months)
    ):
        reasons.append(
            f"Pour une première venue, l'attestation d'honorabilité doit dater de moins de "
            f"{max_age_at_start_months} mois : demandez-en une plus récente."
        )
    if not (clearance.insurance_policy or "").strip():
        reasons.append("L'assurance de la structure pour les bénévoles n'est pas encore enregistrée pour vous.")
    return reasons


def expiring(issued_on: date | None, today: date, within_days: int = DEFAULT_WARNING_DAYS) -> bool:
    """The attestation expires within `within_days` from today (and has not expired yet)."""
    if issued_on is None:
        return False
    last = expires_on(issued_on)
    return today <= last <= today + timedelta(days=within_days)
