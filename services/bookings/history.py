"""What bookings tells insights of its past (insights' one-time backfill, docs/insights-rules.md):
its facts from before insights existed, shaped as the events that would have told them
(`{"name", "occurred_at", "payload"}`: each payload holds the fields of its contract that this
service still knows, and no text), so insights logs them under the same dedupe keys as the live
events. Read-only, ids and enum values only; kept
small: bookings (confirmed, waitlisted, promoted, cancelled), contracts signed and ended early,
and the families looking for a job today. Check-ins, invoices and activities are not told yet."""

import json
from datetime import datetime, timezone
from decimal import Decimal

from services.bookings.models import Booking, ChildcareSlot, Contract, Family
from shared.broker_loss import rpc
from shared.timeutil import as_utc
from shared.vocabulary import BOOKING_CANCELLED, BOOKING_CONFIRMED, BOOKING_WAITLISTED, CONTRACT_REQUESTED


def told(name, occurred_at, payload):
    return {"name": name, "occurred_at": iso(occurred_at), "payload": payload}


def iso(stored):
    return as_utc(stored).isoformat() if isinstance(stored, datetime) else stored


def booking_fact(booking, slot):
    return {
        "booking_id": booking.id,
        "slot_id": slot.id,
        "child_id": booking.child_id,
        "family_id": booking.family_id,
        "starts_at": iso(slot.starts_at),
        "ends_at": iso(slot.ends_at),
        "avip": booking.avip,
    }


def booking_history(booking, slot):
    fact = booking_fact(booking, slot)
    got_place = booking.status == BOOKING_CONFIRMED or booking.was_status == BOOKING_CONFIRMED
    if booking.promoted_at:
        yield told("bookings.booking_waitlisted", booking.requested_at, fact)
        yield told("bookings.booking_promoted", booking.promoted_at, {**fact, "promoted_at": iso(booking.promoted_at)})
    elif got_place:
        yield told("bookings.booking_confirmed", booking.requested_at, fact)
    elif booking.status == BOOKING_WAITLISTED or booking.was_status == BOOKING_WAITLISTED:
        yield told("bookings.booking_waitlisted", booking.requested_at, fact)
    if booking.status == BOOKING_CANCELLED and booking.was_status:
        cancelled = {**fact, "cancelled_in_time": bool(booking.cancelled_in_time), "was_status": booking.was_status}
        yield told("bookings.booking_cancelled", booking.cancelled_at or booking.requested_at, cancelled)


def weekly_hours(pattern):
    minutes = 0
    for day in pattern:
        (start_h, start_m), (end_h, end_m) = (map(int, day[k].split(":")) for k in ("start", "end"))
        minutes += (end_h * 60 + end_m) - (start_h * 60 + start_m)
    return str(Decimal(minutes) / 60)


def contract_history(contract):
    pattern = json.loads(contract.pattern or "[]")
    ids = {"contract_id": contract.id, "family_id": contract.family_id, "child_id": contract.child_id}
    yield told(
        "bookings.contract_signed",
        contract.accepted_at or contract.created_at,
        {
            **ids,
            "starts_on": contract.starts_on.isoformat(),
            "ends_on": contract.ends_on.isoformat(),
            "weeks_per_year": contract.weeks_per_year,
            "hours_per_week": weekly_hours(pattern),
            "avip": contract.avip,
        },
    )
    if contract.ended_on:
        ended = datetime.combine(contract.ended_on, datetime.min.time(), timezone.utc)
        ended_fact = {**ids, "ended_on": contract.ended_on.isoformat(), "reason": "early_end"}
        yield told("bookings.contract_ended", ended, ended_fact)


def job_search_history(family):
    changed_on = family.job_seeker_checked_on or family.created_at.date()
    payload = {
        "family_id": family.id,
        "job_seeker": True,
        "changed_on": changed_on.isoformat(),
        "source": "family_file",
    }
    return told("bookings.job_search_changed", datetime.combine(changed_on, datetime.min.time(), timezone.utc), payload)


class HistoryRpc:
    @rpc
    def history(self, since=None):
        """Event-shaped facts of the past (oldest first by kind), from `since` (an ISO time) when given."""
        start = datetime.fromisoformat(since).astimezone(timezone.utc).replace(tzinfo=None) if since else None
        items = []
        rows = Booking.select(Booking, ChildcareSlot).join(ChildcareSlot).order_by(Booking.requested_at)
        for booking in rows.where(Booking.requested_at >= start) if start else rows:
            items += booking_history(booking, booking.slot)
        contracts = Contract.select().where(Contract.status != CONTRACT_REQUESTED).order_by(Contract.created_at)
        for contract in contracts.where(Contract.created_at >= start) if start else contracts:
            items += contract_history(contract)
        items += [job_search_history(f) for f in Family.select().where(Family.job_seeker == True)]  # noqa: E712
        return items
