"""The read-only views: the staff's board and a person's calendar feed.

The board: the day (activities, slots with their occupancy and the ratio status of the children
present now), the children of the day with their arrivals and departures (the check-in list), who
is in the building now (the evacuation register), and a room's week.

The children of the day are the confirmed bookings of the day's slots and the children of active
regular care contracts whose pattern has hours that day; a contract child counts in the slot that
covers its hours (domain/board.py). Arrivals and departures are changed by check_in / check_out
(childcare/entrypoints.py) and contract_check_in / contract_check_out (contracts/entrypoints.py).

The feed: the read the gateway's .ics link (GET /calendar/{secret}.ics) asks. What a role finds in
its feed is domain.feed's; the rows come from the store, the entries from the presenters.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.bookings import staffing
from services.bookings.board import presenters, store
from services.bookings.calendar import store as calendar_store
from services.bookings.child_file import care_checks
from services.bookings.childcare import store as childcare_store
from services.bookings.children_in_care import contract_pattern, contract_spans, walks_on
from services.bookings.contracts import store as contracts_store
from services.bookings.domain import absences, board, childcare, feed, ratio
from services.bookings.schemas.board import DayQuery, FeedQuery, WeekQuery
from shared import timeutil
from shared.broker_loss import rpc
from shared.errors import Invalid, load
from shared.timeutil import to_db

ONE_DAY = timedelta(days=1)


@dataclass
class DayChild:
    """One row of schemas.DayChildOut (stored times, naive UTC)."""

    child: object
    family_id: str
    family_name: str
    walks: bool
    booking_id: str | None
    contract_id: str | None
    slot_id: str | None
    room_name: str | None
    starts_at: datetime
    ends_at: datetime
    arrived_at: datetime | None
    left_at: datetime | None

    @property
    def present(self):
        return self.arrived_at is not None and self.left_at is None


class BoardRpc:
    @rpc
    def day_board(self, query=None):
        day, now = self._day(query), timeutil.now_utc()
        slots = store.slots_on(day, day + ONE_DAY)
        children = self._children_of_day(day, slots, now)
        settings, presence = self.settings, {}
        for slot in slots:
            here = [c for c in children if c.slot_id == slot.id and c.present]
            walking = sum(1 for c in here if c.walks)
            non_walking = len(here) - walking
            presence[slot.id] = (
                walking,
                non_walking,
                ratio.adults_required(non_walking, walking, settings.ratio_option, settings.micro_creche),
                ratio.ratio_status(
                    slot.staff_on_duty,
                    non_walking,
                    walking,
                    settings.ratio_option,
                    settings.micro_creche,
                    next_child_walks=slot.age_group == "walking",
                ),
            )
        activities = store.activities_on(day, day + ONE_DAY)
        board_day = presenters.day_board(
            day,
            now,
            activities,
            calendar_store.people_of(activities),
            slots,
            childcare_store.booking_counts(slots),
            presence,
            sum(1 for c in children if c.present),
            staffing.slot_staff(slots),
            staffing.activity_duty(activities, settings),
        )
        return presenters.with_staffing(board_day, staffing.day_staff(slots, activities, day))

    @rpc
    def day_children(self, query=None):
        """Every child expected on the day, arrived or not: the check-in list, by first name."""
        day, now = self._day(query), timeutil.now_utc()
        children = self._children_of_day(day, store.slots_on(day, day + ONE_DAY), now)
        return presenters.day_children(day, now, children, self._health_notes(children, day))

    @rpc
    def building_register(self, query=None):
        """The children in the building now (arrived, not left): the evacuation register."""
        day, now = self._day(query), timeutil.now_utc()
        here = [c for c in self._children_of_day(day, store.slots_on(day, day + ONE_DAY), now) if c.present]
        return presenters.day_children(day, now, here, self._health_notes(here, day))

    def _health_notes(self, children, day):
        """Their allergies and PAI, and why care is refused that day (vaccinations) for those it is."""
        keys = self.settings.health_keys
        notes = care_checks.board_notes({c.child.id for c in children}, keys)
        refused = care_checks.refusals_on(list({c.child.id: c.child for c in children}.values()), day, keys)
        for child_id, why in refused.items():
            notes[child_id] = dict(notes.get(child_id, {"allergies": [], "pai": None}), care_refused=why)
        return notes

    @rpc
    def on_site_now(self):
        """The adults the schedule puts in the building now, for the evacuation register: the
        activities under way with their trainees and counted volunteers (ids: the services that
        own them give the names), and the training sessions under way (their held reservations:
        the education service gives the participants)."""
        now = timeutil.now_utc()
        stored = to_db(now)
        day = now.astimezone(timeutil.VENUE_TZ).date()
        activities = [
            a
            for a in store.activities_on(day - ONE_DAY, day + ONE_DAY)
            if board.under_way(a.status, a.starts_at, a.ends_at, stored)
        ]
        reservations = store.reservations_under_way(stored)
        return presenters.on_site(now, activities, calendar_store.people_of(activities), reservations)

    @rpc
    def room_week(self, room_id, query=None):
        """A room's week, Monday to Sunday: its activities, childcare slots and training reservations."""
        q = load(WeekQuery(), query or {})
        room = calendar_store.room(room_id)
        days = board.week_of(q["week"] or self._today())
        first, end = days[0], days[-1] + ONE_DAY
        slots = store.slots_on(first, end, room)
        entries = presenters.week_entries(
            store.activities_on(first, end, room),
            slots,
            childcare_store.booking_counts(slots),
            store.reservations_on(first, end, room),
        )
        return presenters.room_week(room, days, entries)

    # --- the children of a day ------------------------------------------------------------------
    def _day(self, query):
        return load(DayQuery(), query or {})["date"] or self._today()

    @staticmethod
    def _today():
        return timeutil.now_utc().astimezone(timeutil.VENUE_TZ).date()

    def _children_of_day(self, day, slots, now):
        rows = [
            DayChild(
                child=b.child,
                family_id=b.family_id,
                family_name=_family_name(b.family),
                walks=b.walks,
                booking_id=b.id,
                contract_id=None,
                slot_id=b.slot_id,
                room_name=b.slot.room.name,
                starts_at=b.slot.starts_at,
                ends_at=b.slot.ends_at,
                arrived_at=b.checked_in_at,
                left_at=b.checked_out_at,
            )
            for b in _with_slots(store.confirmed_bookings_in(slots), slots)
        ]
        under_contract = [c for c in contracts_store.active_contracts_between(day, day) if c.last_day >= day]
        spans = {c.id: contract_spans(day, day, contract_pattern(c)).get(day, []) for c in under_contract}
        under_contract = [c for c in under_contract if spans[c.id] and not _absent(c, day)]
        families = store.families_with_ids([c.family_id for c in under_contract])
        noted = store.attendances_on(day)
        by_id = {s.id: s for s in slots}
        for contract in under_contract:
            walks = walks_on(contract.child, day, self.settings)
            stored_spans = [(to_db(start), to_db(end)) for start, end in spans[contract.id]]
            fitting = [(s.id, s.starts_at, s.ends_at) for s in slots if childcare.fits_age_group(s.age_group, walks)]
            slot_id = board.slot_of_contract_child(stored_spans, fitting, to_db(now))
            attendance = noted.get(contract.id)
            rows.append(
                DayChild(
                    child=contract.child,
                    family_id=contract.family_id,
                    family_name=_family_name(families.get(contract.family_id)),
                    walks=walks,
                    booking_id=None,
                    contract_id=contract.id,
                    slot_id=slot_id,
                    room_name=by_id[slot_id].room.name if slot_id else None,
                    starts_at=min(s for s, _ in stored_spans),
                    ends_at=max(e for _, e in stored_spans),
                    arrived_at=attendance.arrived_at if attendance else None,
                    left_at=attendance.left_at if attendance else None,
                )
            )
        return sorted(rows, key=lambda r: (r.child.first_name.lower(), r.family_name.lower(), r.starts_at))


class CalendarFeedRpc:
    @rpc
    def calendar_feed(self, query):
        """[CalendarEntryOut] of the account (`role`, the `subject_ids` it is known by) over [from, to)."""
        q = load(FeedQuery(), query)
        errors = feed.check_period(q["from_"], q["to"])
        if errors:
            raise Invalid("Période invalide.", errors)
        parts, period = feed.parts_for(q["role"]), (q["from_"], q["to"])
        found = {}
        if feed.FAMILY_BOOKINGS in parts:
            found["bookings"] = [b for family_id in q["subject_ids"] for b in store.feed_bookings(family_id, *period)]
        if feed.VOLUNTEER_ACTIVITIES in parts:
            found["activities"] = store.feed_activities(*period, volunteer_ids=q["subject_ids"])
        if feed.TRAINEE_ACTIVITIES in parts:
            found["activities"] = store.feed_activities(*period, trainee_ids=q["subject_ids"])
        if feed.VENUE_ACTIVITIES in parts:
            found["activities"] = store.feed_activities(*period)
        if feed.VENUE_SLOTS in parts:
            found["slots"] = store.feed_slots(*period)
            found["counts"] = childcare_store.booking_counts(found["slots"])
        return presenters.calendar_entries(**found)


def _with_slots(bookings, slots):
    """The bookings with their slot (and its room) from `slots`, already loaded: no query per booking."""
    by_id = {s.id: s for s in slots}
    for booking in bookings:
        booking.slot = by_id[booking.slot_id]
    return bookings


def _absent(contract, day):
    """A deducted absence (illness, hospitalisation…) is approved for the day: the child is not expected."""
    return any(
        day in absences.deducted_days(a.reason, a.starts_on, a.ends_on)
        for a in contracts_store.approved_absences_of(contract)
    )


def _family_name(family):
    if family is None:
        return ""
    guardians = json.loads(family.guardians)
    return guardians[0]["last_name"] if guardians else ""
