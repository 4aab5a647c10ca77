"""Whether a volunteer may be with the children (docs/volunteers-rules.md).

- The attestation d'honorabilité: the one rule of shared/honorability.py (docs/honorability-rules.md):
  under 6 months old when verified, valid 3 years from the verification; no age condition at a
  first visit.
- The venue's insurance covers the volunteer (CSP R2324-33 II), between its validity dates: an
  expired insurance, or one recorded without its dates, clears nobody [practice].
- The charte de bénévolat, accepted in its current version before a sign-up [practice]
  (`charter_refusal`; not part of the clearance staff record).
Volunteers never count in the staffing ratio (the bookings service never counts them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shared import honorability
from shared.honorability import Attestation

DEFAULT_WARNING_DAYS = 30
DEFAULT_CHARTER_VERSION = "2026-01"


@dataclass(frozen=True)
class Insurance:
    policy: str | None  # None or "": none recorded
    valid_from: date | None = None  # None: recorded before the dates were asked
    valid_until: date | None = None


@dataclass(frozen=True)
class Clearance:
    attestation: Attestation | None  # the current one (store.current_honorability); None: none recorded
    insurance: Insurance


# What keeps a volunteer from the children, as codes (staff's list shows them in words).
HONORABILITY_MISSING = honorability.MISSING
HONORABILITY_EXPIRED = honorability.EXPIRED
HONORABILITY_NOT_YET_VERIFIED = honorability.NOT_YET_VERIFIED
INSURANCE_MISSING = "insurance_missing"
INSURANCE_DATES_MISSING = "insurance_dates_missing"
INSURANCE_EXPIRED = "insurance_expired"
INSURANCE_NOT_YET_VALID = "insurance_not_yet_valid"


def insurance_gap(insurance: Insurance, on: date) -> str | None:
    if not (insurance.policy or "").strip():
        return INSURANCE_MISSING
    if insurance.valid_from is None or insurance.valid_until is None:
        return INSURANCE_DATES_MISSING
    if on > insurance.valid_until:
        return INSURANCE_EXPIRED
    if on < insurance.valid_from:
        return INSURANCE_NOT_YET_VALID
    return None


def gaps(clearance: Clearance, on: date) -> list[str]:
    """What keeps the volunteer from an activity on `on`, as codes in the order `missing` says
    them; [] when cleared. At most one about the attestation, then one about the insurance."""
    codes = [honorability.gap(clearance.attestation, on), insurance_gap(clearance.insurance, on)]
    return [code for code in codes if code is not None]


def missing(clearance: Clearance, on: date) -> list[str]:
    """What keeps the volunteer from an activity on `on`, as sentences to the volunteer; [] when cleared."""
    attestation, insurance = clearance.attestation, clearance.insurance
    sentences = {
        HONORABILITY_MISSING: "Votre attestation d'honorabilité n'est pas encore enregistrée par l'équipe.",
        HONORABILITY_EXPIRED: "Votre attestation d'honorabilité a expiré le {expired:%d/%m/%Y} : "
        "demandez-en une nouvelle et apportez-la à l'équipe.",
        HONORABILITY_NOT_YET_VERIFIED: "Votre attestation d'honorabilité n'est valable qu'à partir du "
        "{verified:%d/%m/%Y}, le jour où l'équipe l'a vérifiée.",
        INSURANCE_MISSING: "L'assurance de la structure pour les bénévoles n'est pas encore enregistrée pour vous.",
        INSURANCE_DATES_MISSING: "Les dates de validité de l'assurance qui vous couvre ne sont pas enregistrées : "
        "l'équipe doit les compléter.",
        INSURANCE_EXPIRED: "L'assurance qui vous couvre a pris fin le {until:%d/%m/%Y} : "
        "l'équipe doit enregistrer la nouvelle.",
        INSURANCE_NOT_YET_VALID: "L'assurance qui vous couvre ne commence que le {since:%d/%m/%Y}.",
    }
    return [
        sentences[code].format(
            expired=attestation.expires_on if attestation else None,
            verified=attestation.verified_on if attestation else None,
            until=insurance.valid_until,
            since=insurance.valid_from,
        )
        for code in gaps(clearance, on)
    ]


def insurance_errors(valid_from: date, valid_until: date, today: date) -> dict[str, list[str]]:
    """The insurance's dates: its end not before its start, and not already over [practice]."""
    if valid_until < valid_from:
        return {"valid_until": ["La fin de validité ne peut pas précéder son début."]}
    if valid_until < today:
        return {
            "valid_until": [f"Cette assurance a pris fin le {valid_until:%d/%m/%Y} : enregistrez le contrat en cours."]
        }
    return {}


def charter_refusal(accepted_version: str | None, current_version: str) -> str | None:
    """The sentence of the 409 when the volunteer has not accepted the current charte de
    bénévolat; None when they have. A new version must be accepted again [practice]."""
    if accepted_version == current_version:
        return None
    if accepted_version is None:
        return (
            "Acceptez d'abord la charte de bénévolat (sur votre page) : elle est demandée avant la première activité."
        )
    return (
        f"La charte de bénévolat a changé (version {current_version}) : relisez-la et acceptez-la "
        "sur votre page avant de vous inscrire."
    )


def expiring(attestation: Attestation | None, today: date, within_days: int = DEFAULT_WARNING_DAYS) -> bool:
    """The attestation expires within `within_days` from today (and has not expired yet)."""
    if attestation is None:
        return False
    last = attestation.expires_on
    return today <= last <= today + timedelta(days=within_days)


# The renewal list's statuses (honorability_renewals).
RENEWAL_MISSING, RENEWAL_EXPIRED, RENEWAL_EXPIRING = "missing", "expired", "expiring"


def renewal_status(attestation: Attestation | None, today: date, notice_days: int) -> str | None:
    """Why the volunteer is on the renewal list (shared/honorability.renewal_due); None: not on it."""
    if not honorability.renewal_due(attestation, today, notice_days):
        return None
    if attestation is None:
        return RENEWAL_MISSING
    return RENEWAL_EXPIRED if today > attestation.expires_on else RENEWAL_EXPIRING
