"""A session's parts (half-days or days) as staff plan them [practice] (docs/education-rules.md):
one to ten parts, each ending after it starts and within one calendar day of the venue, none in
the past, no two overlapping. Times are aware datetimes; `zone` is the venue's (the caller's
setting), so that "one day" is the venue's day."""

from __future__ import annotations

from datetime import datetime, tzinfo

MIN_PARTS, MAX_PARTS = 1, 10


def part_errors(parts: list[tuple[datetime, datetime]], now: datetime, zone: tzinfo) -> dict[str, list[str]]:
    """{"parts": [a French sentence per problem]}; empty when the parts can be planned."""
    if not MIN_PARTS <= len(parts) <= MAX_PARTS:
        return {"parts": [f"Une session compte de {MIN_PARTS} à {MAX_PARTS} demi-journées ou journées."]}
    problems = []
    for number, (starts_at, ends_at) in enumerate(parts, start=1):
        if ends_at <= starts_at:
            problems.append(f"Partie {number} : la fin doit suivre le début.")
        elif starts_at.astimezone(zone).date() != ends_at.astimezone(zone).date():
            problems.append(f"Partie {number} : elle doit commencer et finir le même jour.")
        if starts_at < now:
            problems.append(f"Partie {number} : elle ne peut pas commencer dans le passé.")
    ordered = sorted(parts)
    for (_, first_end), (second_start, _) in zip(ordered, ordered[1:], strict=False):
        if second_start < first_end:
            problems.append("Deux parties se chevauchent : décalez l'une d'elles.")
            break
    return {"parts": problems} if problems else {}


def sorted_parts(parts: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """The parts in time order: their index (0, 1, …) is their rank in the session."""
    return sorted(parts)
