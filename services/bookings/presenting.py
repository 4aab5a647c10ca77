"""What every area's presenters share: a row shown with the values its Out schema needs, and how
times and days are written for people (French) and for events (ISO 8601)."""

from services.bookings.domain import duty
from shared.diplomas import holds_state_diploma
from shared.timeutil import from_db
from shared.vocabulary import MONTHS_FR, WEEKDAYS_FR


class Shown:
    """A row as its Out schema reads it: the values given here, then the row's own attributes."""

    def __init__(self, row, **values):
        self._row = row
        self.__dict__.update(values)

    def __getattr__(self, name):
        return getattr(self.__dict__["_row"], name)


def fr_day(day):
    """« lundi 7 décembre 2026 », as people read a date."""
    return f"{WEEKDAYS_FR[day.weekday()]} {day.day} {MONTHS_FR[day.month - 1]} {day.year}"


def fr_time(moment):
    """« 8 h 30 », « 12 h »."""
    return f"{moment.hour} h {moment.minute:02d}" if moment.minute else f"{moment.hour} h"


def hhmm(stored):
    """A stored time as its hour in the venue's zone, for messages: 08:30."""
    return from_db(stored).strftime("%H:%M")


def iso(stored):
    """A stored time as events carry it: ISO 8601 in the venue's zone, with its offset."""
    return from_db(stored).isoformat() if stored else None


def shown_adult(adult, day):
    """What schemas.duty.NamedStaffOut dumps of a duty.Adult on `day`."""
    return {
        "id": adult.id,
        "name": adult.name,
        "counts_in_ratio": adult.counts_in_ratio,
        "cleared": adult.clearance.cleared_on(day),
        "counted": duty.counts_on(adult, day),
        "state_diploma": holds_state_diploma(adult.diplomas),
        "refusal": duty.duty_refusal(adult, day),
    }
