"""A family's job search, as the AVIP priority reads it (Family.job_seeker), kept from two
sources that may reach bookings in any order: staff's family file (a correction of `job_seeker`,
typed on a day) and the outcomes placements records (a hire, a job found, back to work: ends the
search from the outcome's date).

- **A family back to work is no longer job-seeking**, from the outcome's date: the AVIP priority
  is for «parents demandeurs d'emploi» engaged in a job search (childcare.md, "AVIP crèches";
  CNAF e-ssentiel n°212); new bookings and contracts of the family are no longer AVIP from then
  on. What was granted stays: a booking's or a contract's `avip` is never rewritten
  (family_file.py), so the place already held is kept [practice]. The sources give no national
  period during which a parent back to work keeps the AVIP *priority* (local variants only: a
  place for 3 to 12 months, kept «jusqu'à la rentrée en maternelle» after a training in some
  conventions) [unconfirmed]: none is applied here.
- **The latest dated fact wins**, whatever the order the facts arrive in: an outcome counts only
  if it is dated after the family file's last change of `job_seeker` (the same day: recorded
  after it); an older outcome delivered late never overwrites what staff typed since.
- An outcome ends a search only where the family file says there is one: a family staff
  recorded as not job-seeking has none to end.
- Several outcomes after the same change: the search ended on the earliest of them.
- A change typed in the family file starts afresh (and forgets an outcome's end); the file's
  whole form is sent each time, so an unchanged `job_seeker` is no change.

Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime


@dataclass(frozen=True)
class JobSearch:
    job_seeker: bool  # what the AVIP priority reads
    changed_on: date | None = None  # the day of the family file's last change of job_seeker
    changed_at: datetime | None = None  # when that change was typed (aware)
    back_to_work_on: date | None = None  # the outcome that ended the search since that change

    @property
    def seeking_on_file(self) -> bool:
        """Did the family file, at its last change, say the family was job-seeking?"""
        return self.job_seeker or self.back_to_work_on is not None


def after_file_change(current: JobSearch, job_seeker: bool, day: date, at: datetime) -> JobSearch:
    """The job search once staff typed `job_seeker` in the family file on `day` (at `at`)."""
    if job_seeker == current.job_seeker:
        return current
    return JobSearch(job_seeker=job_seeker, changed_on=day, changed_at=at)


def is_after_file_change(current: JobSearch, on: date, recorded_at: datetime) -> bool:
    """Is an outcome dated `on` (recorded at `recorded_at`) later than the file's last change?"""
    if current.changed_on is None:
        return True
    if on != current.changed_on:
        return on > current.changed_on
    return current.changed_at is None or recorded_at > current.changed_at


def after_outcome(current: JobSearch, on: date, recorded_at: datetime) -> JobSearch:
    """The job search once an outcome ending it (BACK_TO_WORK_OUTCOMES) dated `on` is known."""
    if not current.seeking_on_file or not is_after_file_change(current, on, recorded_at):
        return current
    ended = on if current.back_to_work_on is None else min(current.back_to_work_on, on)
    return replace(current, job_seeker=False, back_to_work_on=ended)
