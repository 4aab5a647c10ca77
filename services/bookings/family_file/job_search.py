"""A family's job search (the AVIP priority, domain/job_search.py): ended by the outcomes
placements records (a hire, a job found, back to work) for the person's family, changed by staff
in the family file (family_file/entrypoints.py `correct_family`); each change is told as
`bookings.job_search_changed`. Shared by the family file's entrypoints and the handler below:
plain functions, no call through `self` between mixins."""

from services.bookings.childcare import store as childcare_store
from services.bookings.domain import job_search
from services.bookings.models import Family
from shared import timeutil
from shared.handlers import on_event
from shared.timeutil import as_utc, to_db
from shared.vocabulary import BACK_TO_WORK_OUTCOMES

FAMILY = "family"


def state(family):
    """The family's job search as the domain reads it."""
    return job_search.JobSearch(
        job_seeker=family.job_seeker,
        changed_on=family.job_search_changed_on,
        changed_at=as_utc(family.job_search_changed_at),
        back_to_work_on=family.back_to_work_on,
    )


def write(family, search):
    family.job_seeker = search.job_seeker
    family.job_search_changed_on = search.changed_on
    family.job_search_changed_at = to_db(search.changed_at) if search.changed_at else None
    family.back_to_work_on = search.back_to_work_on
    family.save(
        only=[Family.job_seeker, Family.job_search_changed_on, Family.job_search_changed_at, Family.back_to_work_on]
    )


def job_search_changed(family_id, search, source):
    """bookings.job_search_changed: the family's job search now, and the day it started or stopped."""
    changed_on = search.back_to_work_on if source == "outcome" else search.changed_on
    return {
        "family_id": family_id,
        "job_seeker": search.job_seeker,
        "changed_on": changed_on.isoformat(),
        "source": source,
    }


def file_change(family, job_seeker, now):
    """The family file's job_seeker typed by staff at `now` (aware): the new state, or None when the
    job search did not change (the whole form is sent each time)."""
    before = state(family)
    after = job_search.after_file_change(before, job_seeker, now.astimezone(timeutil.venue_zone()).date(), now)
    return None if after == before else after


def family_ids(subjects):
    """The family records among an outcome's subjects, once each."""
    return list(dict.fromkeys(s["id"] for s in subjects if s["role"] == FAMILY))


class JobSearchEvents:
    """Mixed into BookingsService."""

    @on_event("placements.outcome_recorded", exclusive=True)
    def end_job_search(self, event):
        """An outcome ending a job search (BACK_TO_WORK_OUTCOMES): each family among its subjects
        is back to work from its date, unless the family file changed since (domain/job_search.py).
        A family bookings does not hold (erased, another venue's) is left alone."""
        p = event["payload"]
        if p["kind"] not in BACK_TO_WORK_OUTCOMES:
            return
        for family_id in family_ids(p["subjects"]):
            if not Family.select().where(Family.id == family_id).exists():
                continue
            family = childcare_store.locked_family(family_id)
            before = state(family)
            after = job_search.after_outcome(before, p["on"], event["occurred_at"])
            if after != before:
                write(family, after)
                self.uow.emit("bookings.job_search_changed", job_search_changed(family.id, after, "outcome"))
