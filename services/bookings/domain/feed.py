"""A person's calendar feed (the .ics link of the gateway): what each role finds in it, and over
which period. The gateway builds the iCalendar file; the rows come from here.

- a family: its children's childcare bookings, whatever their status (a waitlisted one is shown
  as tentative, a cancelled one stays, marked cancelled, so a calendar app that had it removes
  it) [practice];
- a volunteer: the activities their confirmed sign-ups count them in [practice];
- a trainee: the activities they are assigned to [practice];
- staff: the venue's activities and childcare slots [practice].
Training sessions (education service) are added by the gateway from that service.
"""

from datetime import timedelta

FAMILY_BOOKINGS = "family_bookings"
VOLUNTEER_ACTIVITIES = "volunteer_activities"
TRAINEE_ACTIVITIES = "trainee_activities"
VENUE_ACTIVITIES = "venue_activities"
VENUE_SLOTS = "venue_slots"

PARTS = {
    "family": (FAMILY_BOOKINGS,),
    "volunteer": (VOLUNTEER_ACTIVITIES,),
    "trainee": (TRAINEE_ACTIVITIES,),
    "staff": (VENUE_ACTIVITIES, VENUE_SLOTS),
}

# A feed covers at most this long: a calendar app asks for it every few hours [practice].
MAX_PERIOD = timedelta(days=200)


def parts_for(role):
    """What the feed of an account of this role holds (nothing for an unknown role)."""
    return PARTS.get(role, ())


def check_period(from_, to):
    """Field errors for the period asked (empty dict when valid): `to` after `from`, at most MAX_PERIOD."""
    if to <= from_:
        return {"to": ["La fin de la période doit être après son début."]}
    if to - from_ > MAX_PERIOD:
        return {"to": [f"Une période de {MAX_PERIOD.days} jours au plus."]}
    return {}
