"""How many trainees a tutor may follow (Code de l'éducation L124-9, R124-13; cci-paris-idf.fr;
docs/placements-rules.md).

A tutor may be designated on a convention when fewer than three conventions they tutor are
**in progress on the day the designation takes effect** (the placement's first day, or the day
of a change of tutor): conventions whose dates do not include that day do not count. The three
is the venue's setting `COCOON_TUTOR_MAX_TRAINEES` (default 3, [unconfirmed] R124-13 from one
source).

[derived] A designation is judged on its own day, so a new convention must also leave room in
the tutor's designations already made that take effect during its dates: on each of their
days, the others in progress (the new one included) stay fewer than the limit. Otherwise
adding the new one would put an earlier designation over the limit on its own day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DEFAULT_MAX_PER_TUTOR = 3


@dataclass(frozen=True)
class Tutored:
    """One convention a tutor is designated on: its dates and the day the designation takes
    effect (its first day unless the tutor was changed later)."""

    starts_on: date
    ends_on: date
    designated_on: date | None = None

    @property
    def effective_on(self) -> date:
        return self.designated_on or self.starts_on

    def in_progress_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def in_progress(conventions: list[Tutored], day: date) -> int:
    """How many of the conventions are in progress on `day` (first and last days included)."""
    return sum(1 for c in conventions if c.in_progress_on(day))


def crowded_day(new: Tutored, others: list[Tutored], max_per_tutor: int = DEFAULT_MAX_PER_TUTOR) -> date | None:
    """The first designation day on which the tutor would have too many conventions in progress
    if designated on `new` (`others`: the tutor's live conventions, the one being changed left
    out), or None: the tutor may be designated."""
    if in_progress(others, new.effective_on) >= max_per_tutor:
        return new.effective_on
    later = sorted(
        c.effective_on for c in others if new.in_progress_on(c.effective_on) and c.effective_on > new.effective_on
    )
    for day in later:
        # that designation sees the new one and the others in progress, not itself: as many as
        # `in_progress(others, day)` counts (itself out, the new one in)
        if in_progress(others, day) >= max_per_tutor:
            return day
    return None


def designation_refusal(new: Tutored, others: list[Tutored], max_per_tutor: int = DEFAULT_MAX_PER_TUTOR) -> str | None:
    """The French sentence of a refused designation (a 409 on `tutor_id`), or None."""
    day = crowded_day(new, others, max_per_tutor)
    if day is None:
        return None
    return (
        f"Ce tuteur aurait plus de {max_per_tutor} conventions de stage en cours le {day:%d/%m/%Y} "
        f"(au plus {max_per_tutor} à la fois, article R124-13 du Code de l'éducation) : "
        f"choisissez un autre tuteur ou d'autres dates."
    )
