"""From one logged event (its name, the day it happened, its reduced payload) to the facts the
indicators are counted from, and the links between a person's records. Pure: the same log gives
the same facts, so `cocoon insights rebuild` replays it into the same tables. Source:
docs/insights-rules.md, "From events to facts" [derived].

A fact names its subject as `<role>:<id>` (`family:…`, `beneficiary:…`, `trainee:…`,
`volunteer:…`, `child:…`, `person:…`); a link says which person a subject is. Links are applied
when the indicators are counted, not here: a link learnt after a fact still attributes it.
"""

from dataclasses import dataclass

PARTICIPANT_ROLES = {"trainee": "trainee", "volunteer": "volunteer"}  # other participants stay `participant:`


@dataclass(frozen=True)
class Fact:
    key: str  # unique: a fact told twice is one fact; a higher `revision` replaces a lower one
    kind: str
    on: str  # ISO day
    source: str
    subject: str | None = None
    ref: str | None = None  # the record it is about (booking, immersion, session…)
    detail: str | None = None  # an enum value or an id, never a text
    value: str | None = None  # an exact decimal
    revision: int = 0


@dataclass(frozen=True)
class Link:
    subject: str
    person_id: str


def participant(kind, participant_id):
    return f"{PARTICIPANT_ROLES.get(kind, 'participant')}:{participant_id}"


def links_of(payload):
    """A PersonFact's links: the person's account and each of their records."""
    person = payload.get("person_id")
    if not person:
        return []
    subjects = [f"{s['role']}:{s['id']}" for s in payload.get("subjects") or []]
    return [Link(subject, person) for subject in [f"person:{person}", *subjects]]


def _bookings(name, on, p):
    booking, family = p.get("booking_id"), f"family:{p.get('family_id')}"
    kind = "avip" if p.get("avip") else "standard"
    if name == "bookings.booking_confirmed":
        return [
            Fact(f"place:{booking}", "childcare_place", p["starts_at"], "bookings", family, booking, kind),
            Fact(f"requested:{booking}", "place_requested", on, "bookings", family, booking),
            Fact(f"given:{booking}", "place_given", on, "bookings", family, booking),
        ]
    if name == "bookings.booking_waitlisted":
        return [Fact(f"requested:{booking}", "place_requested", on, "bookings", family, booking)]
    if name == "bookings.booking_promoted":
        given = p.get("promoted_at") or on
        return [
            Fact(f"place:{booking}", "childcare_place", p["starts_at"], "bookings", family, booking, kind),
            Fact(f"given:{booking}", "place_given", given, "bookings", family, booking),
        ]
    if name == "bookings.booking_cancelled":
        return [Fact(f"cancelled:{booking}", "place_cancelled", on, "bookings", family, booking)]
    return None


def _contracts_and_care(name, on, p):
    if name == "bookings.contract_signed":
        contract, family = p["contract_id"], f"family:{p['family_id']}"
        kind = "avip" if p.get("avip") else "standard"
        return [
            Fact(f"place:{contract}", "childcare_place", p["starts_on"], "bookings", family, contract, kind),
            Fact(f"given:{contract}", "place_given", on, "bookings", family, contract),
        ]
    if name == "bookings.contract_ended":
        return [Fact(f"ended:{p['contract_id']}", "place_ended", p["ended_on"], "bookings", None, p["contract_id"])]
    if name == "bookings.child_checked_in":
        ref = p.get("booking_id") or p.get("contract_id")
        return [
            Fact(
                f"in:{ref}:{p['child_id']}:{p['at']}",
                "child_present",
                p["at"],
                "bookings",
                f"child:{p['child_id']}",
                ref,
            )
        ]
    if name == "bookings.invoice_issued":
        invoice = p["invoice_id"]
        return [Fact(f"invoice:{invoice}", "invoice", f"{p['month']}-01", "bookings", None, invoice, value=p["total"])]
    if name == "bookings.month_closed":
        return _month_hours(p)
    if name == "bookings.job_search_changed":
        state = "seeking" if p["job_seeker"] else "stopped"
        key = f"job_search:{p['family_id']}:{p['changed_on']}:{state}"
        return [Fact(key, "job_search", p["changed_on"], "bookings", f"family:{p['family_id']}", detail=state)]
    return None


def _month_hours(p):
    """A closed month's hours billed and attended and the hours × places offered (none from a
    closing told before it carried them): the occupancy rate and the billing ratio's terms."""
    month, day = p["month"], f"{p['month']}-01"
    return [
        Fact(f"{kind}:{month}", kind, day, "bookings", None, month, value=p[kind])
        for kind in ("hours_billed", "hours_attended", "place_hours")
        if p.get(kind) is not None
    ]


def _activities(name, on, p):
    activity = p.get("activity_id")
    if name == "bookings.activity_scheduled":
        return [
            Fact(
                f"scheduled:{activity}",
                "activity_planned",
                p["starts_at"],
                "bookings",
                None,
                activity,
                value=str(p["children_capacity"]),
            )
        ]
    if name == "bookings.activity_completed":
        volunteers = p.get("volunteer_ids") or []
        day = p["started_at"]
        facts = [
            Fact(f"activity:{activity}", "activity_done", day, "bookings", None, activity, value=str(len(volunteers)))
        ]
        facts += [
            Fact(f"met:{activity}:{v}", "volunteer_met", day, "bookings", f"volunteer:{v}", activity)
            for v in volunteers
        ]
        return facts
    if name == "volunteers.volunteer_hours_recorded":
        volunteer = f"volunteer:{p['volunteer_id']}"
        key = f"volunteer_hours:{p['volunteer_id']}:{activity}"
        return [Fact(key, "volunteer_hours", p["starts_at"], "volunteers", volunteer, activity, value=p["hours"])]
    return None


def _immersions(name, on, p):
    immersion, subject = p.get("immersion_id"), f"beneficiary:{p.get('beneficiary_id')}"
    if name == "placements.immersion_agreed":
        return [
            Fact(
                f"immersion:{immersion}",
                "immersion_agreed",
                p["starts_on"],
                "placements",
                subject,
                immersion,
                p["object"],
            )
        ]
    if name == "placements.immersion_assessed":
        return [
            Fact(
                f"assessed:{immersion}",
                "immersion_assessed",
                p["assessed_on"],
                "placements",
                subject,
                immersion,
                p["object"],
            )
        ]
    if name == "placements.immersion_cancelled":
        return [
            Fact(f"cancelled:{immersion}", "immersion_cancelled", p["cancelled_on"], "placements", subject, immersion)
        ]
    if name == "placements.immersion_signed":
        return []
    if name == "placements.outcome_recorded":
        person = f"person:{p['person_id']}"
        return [
            Fact(f"outcome:{p['outcome_id']}", "outcome", p["on"], "placements", person, p["outcome_id"], p["kind"])
        ]
    return None


def _placements(name, on, p):
    placement, trainee = p.get("placement_id"), f"trainee:{p.get('trainee_id')}"
    if name == "placements.placement_created":
        return []
    if name == "placements.placement_started":
        return [Fact(f"started:{placement}", "placement_started", p["started_on"], "placements", trainee, placement)]
    if name == "placements.placement_completed":
        return [Fact(f"completed:{placement}", "placement_completed", on, "placements", trainee, placement)]
    if name == "placements.hours_validated":
        key = f"hours:{p['hour_log_id']}"
        return [Fact(key, "placement_hours", p["starts_at"], "placements", trainee, placement, p["kind"], p["hours"])]
    return None


def _education(name, on, p):
    if "participant_id" not in p:
        return None
    subject = participant(p.get("participant_kind"), p["participant_id"])
    if name == "education.enrolment_confirmed":
        return [
            Fact(f"enrolment:{p['enrolment_id']}", "enrolment", p["starts_at"], "education", subject, p["session_id"])
        ]
    if name in ("education.enrolment_cancelled", "education.enrolment_retracted"):
        key = f"enrolment_cancelled:{p['enrolment_id']}"
        return [Fact(key, "enrolment_cancelled", on, "education", subject, p["session_id"])]
    if name == "education.attendance_recorded":
        key = f"attendance:{p['session_id']}:{p['part_index']}:{p.get('half_day')}:{p['participant_id']}"
        detail = "present" if p["present"] else "absent"
        hours = p["hours"] if p["present"] else "0"
        return [
            Fact(
                key,
                "session_attended",
                p["starts_at"],
                "education",
                subject,
                p["session_id"],
                detail,
                hours,
                p["revision"],
            )
        ]
    if name == "education.certificate_issued":
        key = f"certificate:{p['session_id']}:{p['participant_id']}"
        return [Fact(key, "certificate", on, "education", subject, p["session_id"], value=p["hours_attended"])]
    return None


PROJECTORS = (_bookings, _contracts_and_care, _activities, _immersions, _placements, _education)


def project(name, on, payload):
    """(facts, links) of one logged event; `on`: the ISO day it happened (the envelope's)."""
    for projector in PROJECTORS:
        facts = projector(name, on, payload)
        if facts is not None:
            return facts, links_of(payload)
    return [], links_of(payload)
