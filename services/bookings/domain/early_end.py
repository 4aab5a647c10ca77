"""Ending a regular contract before its planned end: the notice, and the end dates refused.

Source: [practice] the venue's rules set the notice a family gives (COCOON_CONTRACT_NOTICE_DAYS);
[unconfirmed] the notice runs the days after the request.
"""

from __future__ import annotations

from datetime import date, timedelta

from .exact_numbers import whole_number
from .french_text import fr_day, fr_days
from .plain_dates import plain_date

# [practice] Notice for a family ending a contract before its planned end (a venue setting).
DEFAULT_NOTICE_DAYS = 30


def earliest_end(requested_on: date, notice_days: int = DEFAULT_NOTICE_DAYS) -> date:
    """The earliest last day of a contract a family ends early: the notice runs the
    `notice_days` days after the day of the request, and the contract may end on the last of
    them (requested on 1 March, 30 days -> 31 March) [practice: the venue's rules set the notice].
    """
    requested_on = plain_date("requested_on", requested_on)
    notice = whole_number("notice_days", notice_days)
    if notice < 0:
        raise ValueError(f"notice_days must be >= 0, got {notice}")
    return requested_on + timedelta(days=notice)


def check_early_end(
    requested_on: date,
    ends_on: date,
    starts_on: date,
    planned_end: date,
    notice_days: int = DEFAULT_NOTICE_DAYS,
) -> dict[str, list[str]]:
    """Errors of a requested end date, in French, keyed "ends_on"; {} when it is fine.

    Refused: before the contract's start, after its planned end (a contract is ended early,
    not extended here), before the end of the notice (earliest_end) [practice: the notice].
    """
    ends_on, starts_on = plain_date("ends_on", ends_on), plain_date("starts_on", starts_on)
    planned_end = plain_date("planned_end", planned_end)
    errors = []
    if ends_on < starts_on:
        errors.append(f"La fin du contrat ne peut pas être avant son début ({fr_day(starts_on)} {starts_on.year}).")
    if ends_on > planned_end:
        errors.append(
            f"La fin du contrat ne peut pas être après sa fin prévue ({fr_day(planned_end)} {planned_end.year})."
        )
    earliest = earliest_end(requested_on, notice_days)
    if ends_on < earliest:
        errors.append(
            f"Avec un préavis de {fr_days(notice_days)}, le contrat peut finir au plus tôt le "
            f"{fr_day(earliest)} {earliest.year}."
        )
    return {"ends_on": errors} if errors else {}
