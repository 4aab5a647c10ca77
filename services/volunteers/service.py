"""Volunteers service: registered volunteers, whether they may be with the children (honorability,
insurance), the charte de bénévolat they accepted, the activities they may join, their sign-ups
and their hours.

Thin entrypoints: load (store, locking what changes) -> check with the domain -> change -> record
the event -> present. Locks: an opportunity's row, then the volunteer (store.py).
Bookings' activity events may arrive in any order (shared/tombstones.py): each handler first holds
the activity's key, a cancellation or a completion buries it, and the latest move wins by the
time bookings decided it (the envelope's occurred_at).
"""

from datetime import datetime

from nameko.timer import timer

from services.volunteers import models, presenters, store
from services.volunteers.contacts import ContactsRpc
from services.volunteers.domain import clearance, hours, matching, signups
from services.volunteers.erasure import ErasureHandlers
from services.volunteers.history import HistoryRpc
from services.volunteers.models import (
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    OPEN,
    WITHDRAWN,
    Honorability,
    HoursRecord,
    Signup,
    Tombstone,
)
from services.volunteers.personal_data import PersonalDataExport
from services.volunteers.schemas import (
    CharterIn,
    ExpiringQuery,
    HonorabilityIn,
    HoursQuery,
    InsuranceIn,
    OpportunityQuery,
    VolunteerIn,
    VolunteerQuery,
)
from services.volunteers.settings import Settings
from shared import honorability as honorability_rule
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, Invalid, load
from shared.handlers import on_event
from shared.logs import CorrelationId
from shared.pagination import page_of_list
from shared.renewals import RenewalQuery
from shared.timeutil import from_db, to_db, venue_zone
from shared.tombstones import bury, hold, is_buried
from shared.unit_of_work import UnitOfWork

ACTIVITY = "bookings.activity"  # an activity's events, ended by its cancellation or completion
EXPIRY_SWEEP_SECONDS = 6 * 3600  # the "daily" check runs at start and every 6 h: once per attestation anyway


class VolunteersService(ContactsRpc, HistoryRpc, PersonalDataExport, ErasureHandlers):
    name = "volunteers"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "volunteers", models.Outbox, models.Inbox)
    settings = Settings()

    @rpc
    def health(self):
        return self.uow.health(self.name)

    # --- volunteers ------------------------------------------------------------------------------
    @command
    def register_volunteer(self, data):
        fields = load(VolunteerIn(), data)
        if fields.get("consent_version"):
            fields["consented_at"] = to_db(timeutil.now_utc())
        # exclusive: on SQLite no twin slips in between the check and the insert; on PostgreSQL
        # the unique email refuses it, answered as a Conflict on the email (shared/integrity.py)
        with self.uow.atomic(exclusive=True):
            if store.email_taken(fields["email"]):
                raise Conflict(
                    "Un bénévole est déjà inscrit avec cette adresse.", {"email": ["Adresse déjà utilisée."]}
                )
            volunteer = store.add_volunteer(fields)
            self.uow.emit("volunteers.volunteer_registered", {"volunteer_id": volunteer.id})
        return presenters.volunteer(volunteer)

    @rpc
    def get_volunteer(self, volunteer_id):
        return presenters.volunteer(store.volunteer(volunteer_id))

    @rpc
    def my_record(self, volunteer_id):
        """The volunteer's record, what keeps them from the children today, and their sign-ups to come."""
        volunteer = store.volunteer(volunteer_id)
        honorability = store.current_honorability(volunteer.id)
        now = timeutil.now_utc()
        mine = store.signups_of(volunteer.id, after=now)
        today = now.date()
        return presenters.me(
            volunteer,
            honorability,
            self._missing(volunteer, honorability, today),
            mine,
            now,
            self._gaps(volunteer, honorability, today),
            self.settings.charter_version,
        )

    @command
    def accept_charter(self, volunteer_id, data):
        """The volunteer accepts the charte de bénévolat in the version they read: the current one
        (COCOON_VOLUNTEER_CHARTER_VERSION), else 409 (the page showed an older text). Accepting
        the same version again changes nothing."""
        version = load(CharterIn(), data)["version"]
        current = self.settings.charter_version
        if version != current:
            raise Conflict(
                f"La charte de bénévolat a changé (version {current}) : rechargez la page et relisez-la.",
                {"version": [f"La version en vigueur est {current}."]},
            )
        with self.uow.atomic(exclusive=True):
            volunteer = store.locked_volunteer(volunteer_id)
            if volunteer.charter_version != current:
                volunteer.charter_version, volunteer.charter_accepted_at = current, to_db(timeutil.now_utc())
                volunteer.save()
        return self.my_record(volunteer.id)

    @rpc
    def list_volunteers(self, query=None):
        """Staff: a page of the volunteers with their clearance today."""
        found = store.volunteers(load(VolunteerQuery(), query or {}))
        latest = store.current_honorabilities([v.id for v in found.rows])
        today = timeutil.now_utc().date()
        return found.answer(
            presenters.profiles(
                found.rows,
                latest,
                lambda v: self._missing(v, latest.get(v.id), today),
                lambda v: self._gaps(v, latest.get(v.id), today),
                self.settings.charter_version,
            )
        )

    # --- clearance (staff) ------------------------------------------------------------------------
    @command
    def record_honorability(self, volunteer_id, data, staff_id):
        """The attestation as staff checked it on the national platform; `staff_id`: who checked."""
        fields = load(HonorabilityIn(), data)
        today = _venue_today()
        errors = honorability_rule.recording_errors(fields["issued_on"], fields["verified_on"], today)
        if errors:
            raise Invalid("L'attestation n'a pas été enregistrée : corrigez les dates indiquées.", errors)
        with self.uow.atomic(exclusive=True):
            volunteer = store.locked_volunteer(volunteer_id)
            was_cleared = not self._missing(volunteer, store.current_honorability(volunteer.id), today)
            Honorability.create(volunteer_id=volunteer.id, verified_by=str(staff_id), **fields)
            current = store.current_honorability(volunteer.id)
            self.uow.emit(
                "volunteers.honorability_recorded",
                {
                    "volunteer_id": volunteer.id,
                    "expires_on": honorability_rule.expires_on(current.verified_on).isoformat(),
                },
            )
            return self._after_clearance_change(volunteer, was_cleared, today)

    @command
    def record_insurance(self, volunteer_id, data, staff_id):
        """The venue's insurance covering the volunteer, with its validity dates (CSP R2324-33 II)."""
        fields = load(InsuranceIn(), data)
        today = _venue_today()
        errors = clearance.insurance_errors(fields["valid_from"], fields["valid_until"], today)
        if errors:
            raise Invalid("L'assurance n'a pas été enregistrée : corrigez les dates indiquées.", errors)
        with self.uow.atomic(exclusive=True):
            volunteer = store.locked_volunteer(volunteer_id)
            was_cleared = not self._missing(volunteer, store.current_honorability(volunteer.id), today)
            volunteer.insurer, volunteer.insurance_policy = fields["insurer"].strip(), fields["policy"].strip()
            volunteer.insurance_valid_from = fields["valid_from"]
            volunteer.insurance_valid_until = fields["valid_until"]
            volunteer.insurance_recorded_by = str(staff_id)
            volunteer.save()
            return self._after_clearance_change(volunteer, was_cleared, today)

    def _after_clearance_change(self, volunteer, was_cleared, today):
        honorability = store.current_honorability(volunteer.id)
        missing = self._missing(volunteer, honorability, today)
        if not missing and not was_cleared:
            self.uow.emit(
                "volunteers.volunteer_cleared",
                {
                    "volunteer_id": volunteer.id,
                    "honorability_expires_on": honorability_rule.expires_on(honorability.verified_on).isoformat(),
                },
            )
        return presenters.profile(
            volunteer, honorability, missing, self._gaps(volunteer, honorability, today), self.settings.charter_version
        )

    def _missing(self, volunteer, honorability, on):
        return clearance.missing(_clearance(volunteer, honorability), on)

    def _gaps(self, volunteer, honorability, on):
        return clearance.gaps(_clearance(volunteer, honorability), on)

    @rpc
    def volunteer_file(self, volunteer_id):
        """Staff: a volunteer's whole file (contact, emergency contact, interests, availability,
        consent, attestation and insurance with who recorded them, every sign-up, this year's hours)."""
        volunteer = store.volunteer(volunteer_id)
        honorability = store.current_honorability(volunteer.id)
        today = _venue_today()
        return presenters.volunteer_file(
            volunteer,
            honorability,
            self._missing(volunteer, honorability, today),
            self._gaps(volunteer, honorability, today),
            store.signups_of(volunteer.id),
            self._hours(today.year, volunteer.id, present=presenters.hours_fields),
            timeutil.now_utc(),
            self.settings.charter_version,
        )

    @rpc
    def list_expiring(self, query=None):
        """Staff: a page of the latest attestations that expire within the warning days, soonest first."""
        q = load(ExpiringQuery(), query or {})
        found = page_of_list(self._expiring(timeutil.now_utc().date()), _expiring_key, q)
        return found.answer(presenters.expiring(found.rows))

    def _expiring(self, today):
        within = self.settings.honorability_warning_days
        pairs = [(h, v) for h, v in store.latest_attestations() if clearance.expiring(_attestation(h), today, within)]
        return sorted(pairs, key=_expiring_key)

    @rpc
    def honorability_renewals(self, notice_days=honorability_rule.RENEWAL_NOTICE_DAYS):
        """Every volunteer with no attestation, an expired one, or one expiring within
        `notice_days` (shared/honorability.renewal_due), in the one shape placements and team
        answer too: missing first, then expired, then expiring, each soonest first, then by name."""
        notice_days = load(RenewalQuery(), {"notice_days": notice_days})["notice_days"]
        today = _venue_today()
        latest = {h.volunteer_id: h for h, _v in store.latest_attestations()}
        lines = []
        for volunteer in store.all_volunteers():
            honorability = latest.get(volunteer.id)
            status = clearance.renewal_status(_attestation(honorability), today, notice_days)
            if status is not None:
                lines.append((volunteer, honorability, status))
        return presenters.renewals(sorted(lines, key=_renewal_key))

    @timer(interval=EXPIRY_SWEEP_SECONDS, eager=True)
    def announce_expiring(self):
        """volunteers.honorability_expiring once per attestation about to expire, whatever the
        restarts and the number of instances (the row's expiry_announced_at, set under its lock)."""
        announced = []
        for honorability, _volunteer in self._expiring(timeutil.now_utc().date()):
            if honorability.expiry_announced_at is not None:
                continue
            with self.uow.atomic(exclusive=True):
                row = store.locked_honorability(honorability.id)
                if row is None or row.expiry_announced_at is not None:
                    continue  # another instance announced it first
                row.expiry_announced_at = to_db(timeutil.now_utc())
                row.save()
                self.uow.emit(
                    "volunteers.honorability_expiring",
                    presenters.honorability_expiring(row, store.volunteer(row.volunteer_id)),
                )
            announced.append(honorability.id)
        return announced

    # --- opportunities ----------------------------------------------------------------------------
    @rpc
    def list_opportunities(self, volunteer_id, query=None):
        """A page of the ranking (shared/pagination.py): it is computed here, over the open
        activities not over yet (the calendar ahead, which does not grow with the past), without
        those the volunteer already joined (they are in my_record)."""
        q = load(OpportunityQuery(), query or {})
        volunteer = store.volunteer(volunteer_id)
        joined = store.signed_up_activities(volunteer.id)
        ranked = matching.rank(
            [o for o in store.open_opportunities(after=timeutil.now_utc()) if o.activity_id not in joined],
            volunteer.interests,
            volunteer.availability,
            local_start=lambda o: from_db(o.starts_at),
        )
        found = page_of_list(ranked, _rank_key, q)
        return found.answer(presenters.ranked_opportunities(found.rows))

    @on_event("bookings.activity_scheduled", exclusive=True)
    def open_opportunity(self, event):
        p = event["payload"]
        activity_id = p["activity_id"]
        if is_buried(Tombstone, ACTIVITY, activity_id):
            return  # cancelled or completed before this arrived: nobody can join it
        if store.locked_opportunity_or_none(activity_id) is not None:
            return  # already known (the same activity announced twice)
        starts_at, ends_at, room_name, times_at = p["starts_at"], p["ends_at"], p["room_name"], event["occurred_at"]
        move = store.latest_move(activity_id)  # a move that arrived first
        if move is not None and move.occurred_at > to_db(times_at):
            starts_at, ends_at, room_name = from_db(move.starts_at), from_db(move.ends_at), move.room_name
            times_at = from_db(move.occurred_at)
        store.add_opportunity(
            activity_id,
            p["title"],
            p["kind"],
            room_name,
            starts_at,
            ends_at,
            p["volunteer_slots"],
            children_capacity=p["children_capacity"],
            times_at=to_db(times_at),
            age_group=p["age_group"],
        )

    @on_event("bookings.activity_rescheduled", exclusive=True)
    def move_opportunity(self, event):
        """The latest move wins; each confirmed sign-up is kept when the new time overlaps none of
        the volunteer's others (signups.kept_after_move), else cancelled; either way, told."""
        p = event["payload"]
        activity_id = p["activity_id"]
        hold(Tombstone, ACTIVITY, activity_id)
        store.record_move(activity_id, event["occurred_at"], p["starts_at"], p["ends_at"], p["room_name"])
        opportunity = store.locked_opportunity_or_none(activity_id)
        if opportunity is None:
            return  # its activity_scheduled comes later and applies the latest move
        if opportunity.times_at is not None and opportunity.times_at >= to_db(event["occurred_at"]):
            return  # an earlier move, arriving late
        previous_starts_at = opportunity.starts_at
        opportunity.starts_at, opportunity.ends_at = to_db(p["starts_at"]), to_db(p["ends_at"])
        opportunity.room_name, opportunity.times_at = p["room_name"], to_db(event["occurred_at"])
        if opportunity.status != OPEN:
            opportunity.save()
            return
        new_start, new_end = from_db(opportunity.starts_at), from_db(opportunity.ends_at)
        for signup in store.confirmed_signups(activity_id):
            store.lock_volunteer(signup.volunteer_id)
            others = _local(store.own_times(signup.volunteer_id, except_activity=activity_id))
            if signups.kept_after_move(new_start, new_end, others):
                self.uow.emit("volunteers.signup_moved", presenters.signup_moved(signup, opportunity))
                continue
            self._cancel(signup, opportunity, "activity_moved", previous_starts_at)
        opportunity.save()

    @on_event("bookings.activity_cancelled", exclusive=True)
    def close_opportunity(self, event):
        """Its sign-ups are cancelled, each once (a second cancellation finds nothing open)."""
        activity_id = event["payload"]["activity_id"]
        bury(Tombstone, ACTIVITY, activity_id, event)  # an activity_scheduled arriving later opens nothing
        opportunity = store.locked_opportunity_or_none(activity_id)
        if opportunity is None or opportunity.status != OPEN:
            return
        opportunity.status = CANCELLED
        for signup in store.confirmed_signups(activity_id):
            self._cancel(signup, opportunity, "activity_cancelled", opportunity.starts_at)
        opportunity.save()

    def _cancel(self, signup, opportunity, reason, starts_at):
        signup.status, signup.cancel_reason, signup.ended_at = CANCELLED, reason, to_db(timeutil.now_utc())
        signup.save()
        opportunity.filled = max(0, opportunity.filled - 1)
        self.uow.emit(
            "volunteers.signup_cancelled", presenters.signup_cancelled(signup, opportunity, reason, starts_at)
        )

    @on_event("bookings.activity_completed", exclusive=True)
    def complete_opportunity(self, event):
        """Each confirmed volunteer's hours, once per (volunteer, activity), for the activity's
        length as bookings recorded it at completion (domain.hours)."""
        p = event["payload"]
        activity_id = p["activity_id"]
        bury(Tombstone, ACTIVITY, activity_id, event)
        opportunity = store.locked_opportunity_or_none(activity_id)
        if opportunity is None or opportunity.status != OPEN:
            return  # unknown here (nobody could join it), or already completed or cancelled
        opportunity.status = COMPLETED
        opportunity.save()
        length = hours.hours_between(p["started_at"], p["ended_at"])
        for signup in store.confirmed_signups(activity_id):
            if store.hours_recorded(signup.volunteer_id, activity_id):
                continue
            record = HoursRecord.create(
                volunteer_id=signup.volunteer_id,
                activity_id=activity_id,
                title=opportunity.title,
                kind=opportunity.kind,
                starts_at=to_db(p["started_at"]),
                ends_at=to_db(p["ended_at"]),
                hours=length,
                age_group=opportunity.age_group,
            )
            volunteer = store.locked_volunteer(signup.volunteer_id)
            if volunteer.first_activity_on is None:
                volunteer.first_activity_on = from_db(record.starts_at).date()
                volunteer.save()
            self.uow.emit("volunteers.volunteer_hours_recorded", presenters.hours_recorded(record))

    # --- training (education's attendance sheet) ---------------------------------------------------
    @on_event("education.attendance_recorded", exclusive=True)
    def record_training(self, event):
        """A volunteer's line of an attendance sheet: one record per (session, part, half-day,
        volunteer; an event from before half-days is the whole part's), replaced only by a higher
        revision (domain.hours.newer_revision), so present → absent takes the hours back whatever
        the order and the number of deliveries."""
        p = event["payload"]
        if p["participant_kind"] != "volunteer":
            return  # a trainee's (placements), a professional's or an outsider's
        half_day = p.get("half_day") or ""
        store.lock_training(p["session_id"], p["part_index"], half_day, p["participant_id"])
        row = store.training_record(p["session_id"], p["part_index"], half_day, p["participant_id"])
        if not hours.newer_revision(row.revision if row else None, p["revision"]):
            return  # an older correction, or the same line again
        store.put_training(row, p)

    # --- sign-ups ---------------------------------------------------------------------------------
    @command
    def sign_up(self, volunteer_id, activity_id):
        now = timeutil.now_utc()
        with self.uow.atomic(exclusive=True):
            opportunity = store.locked_opportunity(activity_id)  # 1. the places, locked
            store.lock_volunteer(volunteer_id)  # 2. their own calendar
            volunteer = store.volunteer(volunteer_id)
            if store.live_signup(volunteer.id, activity_id) is not None:
                raise Conflict("Vous êtes déjà inscrit·e à cette activité.", {"activity_id": ["Déjà inscrit·e."]})
            starts_at, ends_at = from_db(opportunity.starts_at), from_db(opportunity.ends_at)
            honorability = store.current_honorability(volunteer.id)
            refused = signups.refusal(
                signups.Occasion(
                    starts_at, ends_at, opportunity.status, opportunity.volunteer_slots, opportunity.filled
                ),
                now,
                self._missing(volunteer, honorability, starts_at.astimezone(venue_zone()).date()),
                _local(store.own_times(volunteer.id, except_activity=activity_id)),
                clearance.charter_refusal(volunteer.charter_version, self.settings.charter_version),
            )
            if refused is not None:
                raise Conflict(refused.message, {"activity_id": [refused.message], "reason": [refused.code]})
            signup = Signup.create(volunteer_id=volunteer.id, activity_id=opportunity.activity_id, status=CONFIRMED)
            opportunity.filled += 1
            opportunity.save()
            self.uow.emit("volunteers.signup_confirmed", presenters.signup_confirmed(signup, opportunity))
        return presenters.signup(signup, opportunity, now)

    @command
    def withdraw(self, signup_id, volunteer_id):
        """The volunteer's own sign-up (another's is not found), until the activity starts."""
        now = timeutil.now_utc()
        activity_id = store.signup_of(signup_id, volunteer_id).activity_id
        with self.uow.atomic(exclusive=True):
            opportunity = store.locked_opportunity(activity_id)
            signup = store.locked_signup(signup_id, volunteer_id)
            if signup.status != CONFIRMED:
                raise Conflict("Cette inscription n'est plus active.")
            if not signups.can_withdraw(from_db(opportunity.starts_at), now):
                raise Conflict("L'activité a déjà commencé : prévenez l'équipe directement.")
            signup.status, signup.ended_at = WITHDRAWN, to_db(now)
            signup.save()
            opportunity.filled = max(0, opportunity.filled - 1)
            opportunity.save()
            self.uow.emit("volunteers.signup_withdrawn", presenters.signup_fact(signup))
        return presenters.signup(signup, opportunity, now)

    # --- hours ------------------------------------------------------------------------------------
    @rpc
    def my_hours(self, volunteer_id, query=None):
        year = _year(load(HoursQuery(), query or {}))
        volunteer = store.volunteer(volunteer_id)
        return self._hours(year, volunteer.id)

    @rpc
    def venue_hours(self, query=None):
        """Staff: the venue's year, one line per volunteer and activity (and per training part
        attended) with the volunteer's name, the venue's summary and each volunteer's (the
        association's activity report, exported as CSV by the gateway)."""
        year = _year(load(HoursQuery(), query or {}))
        bounds = _year_bounds(year)
        records, trained = store.hours_between(*bounds), store.trainings_between(*bounds)
        people = store.names_of([r.volunteer_id for r in records] + [t.volunteer_id for t in trained])
        return presenters.venue_hours(
            year,
            _summary(records, year, trained),
            records,
            trained,
            people,
            hours.per_volunteer(_recorded(records), year, _trained(trained)),
        )

    def _hours(self, year, volunteer_id, present=presenters.hours):
        bounds = _year_bounds(year)
        records = store.hours_between(*bounds, volunteer_id=volunteer_id)
        trained = store.trainings_between(*bounds, volunteer_id=volunteer_id)
        return present(year, _summary(records, year, trained), records, trained)


def _attestation(honorability):
    if honorability is None:
        return None
    return honorability_rule.Attestation(issued_on=honorability.issued_on, verified_on=honorability.verified_on)


def _clearance(volunteer, honorability):
    insurance = clearance.Insurance(
        volunteer.insurance_policy, volunteer.insurance_valid_from, volunteer.insurance_valid_until
    )
    return clearance.Clearance(_attestation(honorability), insurance)


def _venue_today():
    return timeutil.now_utc().astimezone(venue_zone()).date()


def _recorded(records):
    return [hours.Recorded(r.volunteer_id, r.activity_id, from_db(r.starts_at), r.hours, r.age_group) for r in records]


def _trained(rows):
    return [
        hours.Trained(t.volunteer_id, t.session_id, t.part_index, from_db(t.starts_at), t.hours, t.present)
        for t in rows
    ]


def _summary(records, year, trained=()):
    return hours.summary(_recorded(records), year, _trained(trained))


def _year(query):
    """The year asked for, else this year in the venue's zone."""
    return query["year"] or timeutil.now_utc().astimezone(venue_zone()).year


def _year_bounds(year):
    """The venue's calendar year as stored times (naive UTC)."""
    zone = venue_zone()
    return to_db(datetime(year, 1, 1, tzinfo=zone)), to_db(datetime(year + 1, 1, 1, tzinfo=zone))


def _expiring_key(pair):
    honorability, volunteer = pair
    return (honorability.verified_on.isoformat(), volunteer.last_name, volunteer.id)


RENEWAL_ORDER = {clearance.RENEWAL_MISSING: 0, clearance.RENEWAL_EXPIRED: 1, clearance.RENEWAL_EXPIRING: 2}


def _renewal_key(line):
    volunteer, honorability, status = line
    expires = honorability_rule.expires_on(honorability.verified_on).isoformat() if honorability else ""
    return (RENEWAL_ORDER[status], expires, volunteer.last_name, volunteer.first_name, volunteer.id)


def _local(stored_pairs):
    return [(from_db(start), from_db(end)) for start, end in stored_pairs]


def _rank_key(ranked):
    """The ranking's order, written as a cursor can carry it: best match, earliest, then the id
    (store.open_opportunities gives them by start and id, and the ranking's sort is stable)."""
    return (-ranked.match, ranked.opportunity.starts_at.isoformat(), ranked.opportunity.activity_id)
