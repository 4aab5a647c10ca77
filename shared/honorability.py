"""The attestation d'honorabilité, for every adult with the children: staff (team service),
trainees (placements service) and volunteers (volunteers service) use this one rule.

Sources (docs/honorability-rules.md):
- CASF L133-6 and the décret of 30 June 2024: every adult working with the children of a
  crèche, whatever the nature and length of the work (staff, trainees, volunteers), since
  1 October 2025 (honorabilite.social.gouv.fr, directions.fr, fhf.fr).
- The attestation must be **under 6 months old when it is presented and verified** (fhf.fr),
  so `verified_on - issued_on <= 6 months`, the sixth month's anniversary included.
- A new attestation is verified the same way every 3 years (cdg38.fr): valid 3 years from
  `verified_on`, its last day being the day before the third anniversary of the verification.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MAX_AGE_AT_VERIFICATION_MONTHS = 6
VALID_YEARS = 3
RENEWAL_NOTICE_DAYS = 60  # the renewal list looks this many days ahead


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day (31 August
    + 6 months = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def latest_verification(issued_on: date) -> date:
    """The last day the attestation may be verified: its issue day + 6 months."""
    return add_months(issued_on, MAX_AGE_AT_VERIFICATION_MONTHS)


def expires_on(verified_on: date) -> date:
    """The last day a verified attestation clears its holder: the day before the third
    anniversary of its verification."""
    return add_years(verified_on, VALID_YEARS) - timedelta(days=1)


@dataclass(frozen=True)
class Attestation:
    issued_on: date
    verified_on: date

    @property
    def expires_on(self) -> date:
        return expires_on(self.verified_on)

    def clears_on(self, day: date) -> bool:
        """Whether the holder may be with the children on `day`."""
        return self.verified_on <= day <= self.expires_on


def attestation_errors(issued_on: date, verified_on: date, today: date) -> dict[str, list[str]]:
    """What is wrong with an attestation being recorded today, by field (a 422); {} when it
    may be recorded."""
    errors: dict[str, list[str]] = {}
    if issued_on > today:
        errors["issued_on"] = ["La date d'émission ne peut pas être dans le futur : recopiez celle de l'attestation."]
    if verified_on > today:
        errors["verified_on"] = [
            "La date de vérification ne peut pas être dans le futur : indiquez le jour du contrôle."
        ]
    elif verified_on < issued_on:
        errors["verified_on"] = ["La vérification ne peut pas précéder la date d'émission."]
    elif verified_on > latest_verification(issued_on):
        errors["verified_on"] = [
            f"L'attestation doit dater de moins de {MAX_AGE_AT_VERIFICATION_MONTHS} mois quand elle est vérifiée "
            f"(émise le {issued_on:%d/%m/%Y}, vérifiable jusqu'au {latest_verification(issued_on):%d/%m/%Y}) : "
            "demandez une attestation plus récente."
        ]
    return errors


def recording_errors(issued_on: date, verified_on: date, today: date) -> dict[str, list[str]]:
    """What keeps staff from recording this attestation today, by field (a 422): the rule above,
    and not one already expired, which would clear nobody [practice: the venue's choice, the
    same for staff, trainees and volunteers]."""
    errors = attestation_errors(issued_on, verified_on, today)
    if not errors and today > expires_on(verified_on):
        errors["verified_on"] = [
            f"Cette attestation a expiré le {expires_on(verified_on):%d/%m/%Y} "
            "(valable 3 ans à partir de sa vérification) : une nouvelle attestation doit être demandée."
        ]
    return errors


# Why a person is not cleared on a day, as codes; `refusal` says them in words.
MISSING, EXPIRED, NOT_YET_VERIFIED = "honorability_missing", "honorability_expired", "honorability_not_yet_verified"


def gap(attestation: Attestation | None, day: date) -> str | None:
    """What keeps the holder of `attestation` (None: none recorded) from the children on
    `day`, as a code; None when cleared."""
    if attestation is None:
        return MISSING
    if day > attestation.expires_on:
        return EXPIRED
    if day < attestation.verified_on:
        return NOT_YET_VERIFIED
    return None


def refusal(name: str, attestation: Attestation | None, day: date) -> str | None:
    """The sentence a 409 gives when `name` may not be with the children on `day`; None when
    cleared."""
    code = gap(attestation, day)
    if code == MISSING:
        return (
            f"{name} n'a pas d'attestation d'honorabilité vérifiée : elle est obligatoire pour être avec les enfants."
        )
    if code == EXPIRED:
        return (
            f"L'attestation d'honorabilité de {name} a expiré le {attestation.expires_on:%d/%m/%Y} : "
            "une nouvelle attestation doit être vérifiée."
        )
    if code == NOT_YET_VERIFIED:
        verified = attestation.verified_on
        return f"L'attestation d'honorabilité de {name} n'est vérifiée qu'à partir du {verified:%d/%m/%Y}."
    return None


def renewal_due(attestation: Attestation | None, today: date, notice_days: int = RENEWAL_NOTICE_DAYS) -> bool:
    """Whether the holder belongs on the renewal list: no attestation, expired, or expiring
    within `notice_days`."""
    return attestation is None or attestation.expires_on <= today + timedelta(days=notice_days)
