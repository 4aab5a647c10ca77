"""A trainee's attestation d'honorabilité: the one rule of shared/honorability.py
(docs/honorability-rules.md), applied to trainees since 1 October 2025 (CASF L133-6, décret of
30 June 2024: « peu importe la durée de l'intervention et sa nature (… stage, alternance…) »,
directions.fr). Under 6 months old when verified, valid 3 years from the verification."""

from __future__ import annotations

from datetime import date

from shared import honorability
from shared.honorability import Attestation

# A trainee's clearance today, as the answers say it.
CLEARED, EXPIRING, EXPIRED, MISSING = "cleared", "expiring", "expired", "missing"
NOT_YET_VERIFIED = "not_yet_verified"


def status(attestation: Attestation | None, today: date, notice_days: int = honorability.RENEWAL_NOTICE_DAYS) -> str:
    """cleared, expiring (cleared, but within the renewal notice), expired, missing or
    not_yet_verified, on `today`."""
    gap = honorability.gap(attestation, today)
    if gap == honorability.MISSING:
        return MISSING
    if gap == honorability.EXPIRED:
        return EXPIRED
    if gap == honorability.NOT_YET_VERIFIED:
        return NOT_YET_VERIFIED
    return EXPIRING if honorability.renewal_due(attestation, today, notice_days) else CLEARED


def renewal_status(attestation: Attestation | None, today: date, notice_days: int) -> str | None:
    """Why the trainee is on the renewal list (missing, expired, expiring); None: not on it."""
    if not honorability.renewal_due(attestation, today, notice_days):
        return None
    if attestation is None:
        return MISSING
    return EXPIRED if today > attestation.expires_on else EXPIRING


def newly_expired(attestation: Attestation, today: date, announced: bool) -> bool:
    """placements.trainee_clearance_expired is due: the attestation's last day is past and it was
    not announced yet (once per attestation)."""
    return not announced and today > attestation.expires_on
