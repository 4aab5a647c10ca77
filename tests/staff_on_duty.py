"""Staff members bookings may name on duty, made as the team service would tell it: the events
team.staff_registered and team.staff_cleared (and placements.trainee_cleared for a trainee),
handed to bookings' handlers.

- `seed_staff(service, "s1", "s2")`: a worker of tests/unit (worker_factory) or a service container
  of this test (its handlers run through nameko's entrypoint hook);
- `staff_events("s1")`: the envelopes themselves, for a test that publishes them on the bus.

Every activity with children needs a lead professional and enough of them (services/bookings/
domain/duty.py): `LEADS` are two cleared professionals, `activity_fields` gives them by default.
"""

from datetime import date

from nameko.containers import ServiceContainer

from shared.events import validate_event
from shared.events.envelope import new_event
from shared.honorability import expires_on
from tests.support import call

LEAD, SECOND = "staff-lead", "staff-second"
LEADS = (LEAD, SECOND)
VERIFIED_ON = date(2025, 10, 1)  # clears from then for three years
RENEWED_ON = date(2028, 9, 1)  # the renewal, verified before the first expired: cleared until 2031


def profile(staff_id, **overrides):
    """A team.staff_registered payload: an EJE (a state diploma) who counts in the ratio."""
    return {
        "staff_id": staff_id,
        "first_name": overrides.pop("first_name", "Inès"),
        "last_name": overrides.pop("last_name", f"Moreau {staff_id[-4:]}"),
        "job_title": "Éducatrice de jeunes enfants",
        "diplomas": ["eje"],
        "counts_in_ratio": True,
        "state_diploma": True,
        "health_referent": False,
        "active": True,
        **overrides,
    }


def cleared(person_field, person_id, verified_on=VERIFIED_ON, last_day=None):
    return {
        person_field: person_id,
        "verified_on": verified_on.isoformat(),
        "expires_on": (last_day or expires_on(verified_on)).isoformat(),
    }


def staff_events(staff_id, verified_on=VERIFIED_ON, last_day=None, renewed_on=RENEWED_ON, **profile_overrides):
    """The envelopes team would publish for a new cleared staff member: registered, cleared, and
    the renewal of the attestation (`renewed_on` None: none); verified_on None: no attestation."""
    events = [new_event("team.staff_registered", profile(staff_id, **profile_overrides))]
    if verified_on is not None:
        events.append(new_event("team.staff_cleared", cleared("staff_id", staff_id, verified_on, last_day)))
        if renewed_on is not None:
            events.append(new_event("team.staff_cleared", cleared("staff_id", staff_id, renewed_on)))
    return events


def trainee_cleared_event(trainee_id, verified_on=VERIFIED_ON, last_day=None):
    return new_event("placements.trainee_cleared", cleared("trainee_id", trainee_id, verified_on, last_day))


HANDLERS = {
    "team.staff_registered": "record_staff_member",
    "team.staff_updated": "update_staff_member",
    "team.staff_cleared": "record_staff_clearance",
    "team.staff_clearance_expired": "record_staff_clearance_end",
    "placements.trainee_cleared": "record_trainee_clearance",
    "placements.trainee_clearance_expired": "record_trainee_clearance_end",
}


def deliver(service, envelope):
    """Hand one envelope to bookings' handler of its type, as the bus would (validated first)."""
    method = HANDLERS[envelope["type"]]
    event = validate_event(envelope)
    if isinstance(service, ServiceContainer):
        return call(service, method, event)
    return getattr(service, method)(event)


def seed_staff(service, *staff_ids, **options):
    """Cleared professionals bookings may name (default: LEADS), through its handlers."""
    for staff_id in staff_ids or LEADS:
        for envelope in staff_events(staff_id, **options):
            deliver(service, envelope)
    return list(staff_ids or LEADS)


def clear_trainee(service, trainee_id, **options):
    deliver(service, trainee_cleared_event(trainee_id, **options))


def publish_on(amqp_uri, *envelopes):
    """Publish envelopes on a running venue's broker, as their service's outbox relay would."""
    import json

    from kombu import Connection, Exchange

    with Connection(amqp_uri) as conn:
        producer = conn.Producer()
        for envelope in envelopes:
            source, event_type = envelope["type"].split(".", 1)
            exchange = Exchange(f"{source}.events", type="topic", durable=True)
            producer.publish(
                json.dumps(envelope),
                exchange=exchange,
                routing_key=event_type,
                declare=[exchange],
                content_type="application/json",
                content_encoding="utf-8",
            )


def tell_venue(amqp_uri, staff_api, *staff_ids, **options):
    """Cleared professionals (default: LEADS) told to a running venue through its broker; returns
    once bookings lists them (GET /api/v1/staff-members, as staff)."""
    from tests.api import body_of
    from tests.support import wait_for

    ids = list(staff_ids or LEADS)
    for staff_id in ids:
        publish_on(amqp_uri, *staff_events(staff_id, **options))

    def known():
        listed = {m["staff_id"] for m in body_of(staff_api.get("/api/v1/staff-members?limit=200"))}
        return set(ids) <= listed

    wait_for(known, timeout=20, interval=0.2, message=f"bookings to know {ids}")
    return ids
