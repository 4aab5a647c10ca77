"""A staff member's clearance to be with the children: the attestation d'honorabilité, through the
one rule of shared/honorability.py (never rewritten here), and their line on the renewal list.

Sources: shared/honorability.py (CASF L133-6, décret of 30 June 2024; under 6 months when
verified, valid 3 years from the verification), docs/team-rules.md.
"""

from shared import honorability
from shared.honorability import Attestation

MISSING, EXPIRED, EXPIRING = "missing", "expired", "expiring"  # a renewal line's status


def attestation(row):
    """The shared rule's Attestation of a stored one (None stays None)."""
    return None if row is None else Attestation(row.issued_on, row.verified_on)


def renewal_status(current, today, notice_days):
    """Why the holder of `current` (an Attestation or None) is on the renewal list, or None when
    they are not: missing, expired (its last valid day is past), or expiring within `notice_days`."""
    if not honorability.renewal_due(current, today, notice_days):
        return None
    if current is None:
        return MISSING
    return EXPIRED if today > current.expires_on else EXPIRING


def expired_unannounced(current, announced, today):
    """Whether the staff.clearance_expired event is due for this attestation: it is the holder's
    current one, its last valid day is past, and it was not announced yet."""
    return current is not None and not announced and today > current.expires_on


def renewal_order(line):
    """The renewal list's order: missing first, then by expiry day, then by name and id."""
    expires_on = line["expires_on"]
    return (expires_on is not None, expires_on or "", line["name"], line["person_id"])
