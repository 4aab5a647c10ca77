"""Whether a volunteer may be with the children (docs/volunteers-rules.md).

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


# What keeps a volunteer from the children, as codes (staff's list shows them in words).
HONORABILITY_MISSING = "honorability_missing"
HONORABILITY_EXPIRED = "honorability_expired"
HONORABILITY_NOT_YET_VALID = "honorability_not_yet_valid"
HONORABILITY_TOO_OLD = "honorability_too_old"  # for a first visit
INSURANCE_MISSING = "insurance_missing"


def gaps(clearance: Clearance, on: date, max_age_at_start_months: int = DEFAULT_MAX_AGE_AT_START_MONTHS) -> list[str]:
    """What keeps the volunteer from an activity on `on`, as codes in the order `missing` says
    them; [] when cleared. At most one about the attestation, then the insurance."""
    codes = []
    issued = clearance.issued_on
    if issued is None:
        codes.append(HONORABILITY_MISSING)
    elif on > expires_on(issued):
        codes.append(HONORABILITY_EXPIRED)
    elif issued > on:
        codes.append(HONORABILITY_NOT_YET_VALID)
    elif (
        max_age_at_start_months
        and clearance.first_activity_on is None
        and on > add_months(issued, max_age_at_start_months)
    ):
        codes.append(HONORABILITY_TOO_OLD)
    if not (clearance.insurance_policy or "").strip():
        codes.append(INSURANCE_MISSING)
    return codes


def missing(
    clearance: Clearance, on: date, max_age_at_start_months: int = DEFAULT_MAX_AGE_AT_START_MONTHS
) -> list[str]:
    """What keeps the volunteer from an activity on `on`, as sentences; [] when cleared."""
    sentences = {
        HONORABILITY_MISSING: "Votre attestation d'honorabilité n'est pas encore enregistrée par l'équipe.",
        HONORABILITY_EXPIRED: "Votre attestation d'honorabilité a expiré le {expired:%d/%m/%Y} : "
        "demandez-en une nouvelle et apportez-la à l'équipe.",
        HONORABILITY_NOT_YET_VALID: "Votre attestation d'honorabilité n'est valable qu'à partir de sa date d'émission.",
        HONORABILITY_TOO_OLD: "Pour une première venue, l'attestation d'honorabilité doit dater de moins de "
        "{months} mois : demandez-en une plus récente.",
        INSURANCE_MISSING: "L'assurance de la structure pour les bénévoles n'est pas encore enregistrée pour vous.",
    }
    expired = expires_on(clearance.issued_on) if clearance.issued_on else None
    return [
        sentences[code].format(expired=expired, months=max_age_at_start_months)
        for code in gaps(clearance, on, max_age_at_start_months)
    ]


def attestation_errors(issued_on: date, verified_on: date, today: date) -> dict[str, list[str]]:
    """What is wrong with an attestation staff are recording today, by field; {} when it may be
    recorded [practice]: neither date in the future, the check not before the issue, and not an
    attestation that has already expired (it would clear nobody: ask for a new one)."""
    errors: dict[str, list[str]] = {}
    if issued_on > today:
        errors["issued_on"] = ["La date d'émission ne peut pas être dans le futur : recopiez celle de l'attestation."]
    elif today > expires_on(issued_on):
        errors["issued_on"] = [
            f"Cette attestation a expiré le {expires_on(issued_on):%d/%m/%Y} (valable 3 ans) : "
            "demandez au bénévole d'en obtenir une nouvelle."
        ]
    if verified_on > today:
        errors["verified_on"] = [
            "La date de vérification ne peut pas être dans le futur : indiquez le jour du contrôle."
        ]
    elif verified_on < issued_on:
        errors["verified_on"] = ["La vérification ne peut pas précéder la date d'émission."]
    return errors


def expiring(issued_on: date | None, today: date, within_days: int = DEFAULT_WARNING_DAYS) -> bool:
    """The attestation expires within `within_days` from today (and has not expired yet)."""
    if issued_on is None:
        return False
    last = expires_on(issued_on)
    return today <= last <= today + timedelta(days=within_days)
