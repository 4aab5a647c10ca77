"""How many trainees the venue may host in one civil week (Code de l'éducation L124-8, R124-10;
décret 2015-1359; legoux-associes.com, cci-paris-idf.fr, eridyaec.fr; docs/placements-rules.md).

The trainees whose convention is in progress during one civil week (Monday to Sunday) are at
most 3 when the host has fewer than 20 staff, otherwise 15 % of its staff **rounded up** to the
whole number (« arrondi à l'entier supérieur », as the décret's summaries quote it: 20 staff ->
3, 21 -> 4, 40 -> 6). For the PFMP of a vocational diploma the académie may set another share
(up to 20 % [unconfirmed]): `share` is a parameter, the caller gives the rectorat's decision.

The staff count is the caller's (the team service's, a setting until then); the extensions of
L124-15 are not counted (L124-8): the caller leaves them out of the dates it gives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

SMALL_HOST_STAFF = 20  # under 20 staff: a fixed number of trainees
SMALL_HOST_TRAINEES = 3
SHARE = Decimal("0.15")  # of the staff, from 20 staff
PFMP_SHARE_MAX = Decimal("0.20")  # [unconfirmed] the highest share an académie may set for PFMP


@dataclass(frozen=True)
class Hosted:
    """A trainee's convention at the venue: who, and its first and last days."""

    trainee_id: str
    starts_on: date
    ends_on: date


def weekly_limit(staff: int, share: Decimal = SHARE) -> int:
    """The most trainees in one civil week: 3 under 20 staff, else `share` of the staff rounded up."""
    if staff < 0:
        raise ValueError("a staff count is 0 or more")
    if staff < SMALL_HOST_STAFF:
        return SMALL_HOST_TRAINEES
    return math.ceil(Decimal(staff) * Decimal(share))


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weeks(starts_on: date, ends_on: date) -> list[date]:
    """The Mondays of the civil weeks the dates touch."""
    monday, weeks = monday_of(starts_on), []
    while monday <= ends_on:
        weeks.append(monday)
        monday += timedelta(weeks=1)
    return weeks


def trainees_in_week(hosted: list[Hosted], monday: date) -> set[str]:
    """The trainees with a convention in progress at some time of the week starting `monday`."""
    sunday = monday + timedelta(days=6)
    return {h.trainee_id for h in hosted if h.starts_on <= sunday and monday <= h.ends_on}


def first_full_week(candidate: Hosted, hosted: list[Hosted], staff: int, share: Decimal = SHARE) -> date | None:
    """The Monday of the first civil week the candidate convention would take over the limit
    (`hosted`: the venue's other live conventions), or None: it fits."""
    limit = weekly_limit(staff, share)
    for monday in _weeks(candidate.starts_on, candidate.ends_on):
        if len(trainees_in_week(hosted, monday) | {candidate.trainee_id}) > limit:
            return monday
    return None


def quota_refusal(candidate: Hosted, hosted: list[Hosted], staff: int, share: Decimal = SHARE) -> str | None:
    """The French sentence of a convention refused for the host's quota (409 on `starts_on`), or None."""
    monday = first_full_week(candidate, hosted, staff, share)
    if monday is None:
        return None
    limit = weekly_limit(staff, share)
    return (
        f"La semaine du {monday:%d/%m/%Y} compterait plus de {limit} stagiaires "
        f"(au plus {limit} par semaine pour un effectif de {staff}, article R124-10 du Code de l'éducation) : "
        f"choisissez d'autres dates."
    )
