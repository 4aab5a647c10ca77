"""What insights keeps of each event it consumes: an allow-list per event of pseudonymous ids,
enum values, dates, numbers and booleans, never a name, an email or a free text (a title, a
reason, a room name). Sources: RGPD art. 5.1.c (data minimisation) and art. 89 (statistics on
pseudonymous data); docs/insights-rules.md, "What is kept".

Each event also has a dedupe key derived from its record (not from its envelope), so the same
fact received twice — a redelivery, a replay, or the backfill asking the producer for its
history — is logged once.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

ID, IDS, ENUM, DATE, NUMBER, INTEGER, BOOLEAN, MONTH, SUBJECTS = (
    "id",
    "ids",
    "enum",
    "date",
    "number",
    "integer",
    "boolean",
    "month",
    "subjects",
)
MONTH_FORMAT = re.compile(r"^\d{4}-\d{2}$")

PERSON = {"person_id": ID, "subjects": SUBJECTS}
IMMERSION = {
    **PERSON,
    "immersion_id": ID,
    "beneficiary_id": ID,
    "object": ENUM,
    "prescriber_organisation": ENUM,
    "starts_on": DATE,
    "ends_on": DATE,
}
BOOKING = {
    "booking_id": ID,
    "slot_id": ID,
    "child_id": ID,
    "family_id": ID,
    "starts_at": DATE,
    "ends_at": DATE,
    "avip": BOOLEAN,
}
ENROLMENT = {"enrolment_id": ID, "session_id": ID, "participant_kind": ENUM, "participant_id": ID, "starts_at": DATE}
PLACEMENT = {"placement_id": ID, "trainee_id": ID}
CHECK = {"booking_id": ID, "contract_id": ID, "child_id": ID, "at": DATE}

# event name -> ({field: kind}, the fields whose values make its dedupe key)
ALLOWED = {
    "bookings.booking_confirmed": (BOOKING, ("booking_id",)),
    "bookings.booking_waitlisted": (BOOKING, ("booking_id",)),
    "bookings.booking_promoted": ({**BOOKING, "promoted_at": DATE}, ("booking_id",)),
    "bookings.booking_cancelled": ({**BOOKING, "cancelled_in_time": BOOLEAN}, ("booking_id",)),
    "bookings.contract_signed": (
        {"contract_id": ID, "family_id": ID, "child_id": ID, "starts_on": DATE, "ends_on": DATE}
        | {"hours_per_week": NUMBER, "avip": BOOLEAN},
        ("contract_id",),
    ),
    "bookings.contract_ended": (
        {"contract_id": ID, "family_id": ID, "child_id": ID, "ended_on": DATE},
        ("contract_id",),
    ),
    "bookings.child_checked_in": (CHECK, ("booking_id", "contract_id", "child_id", "at")),
    "bookings.child_checked_out": (CHECK, ("booking_id", "contract_id", "child_id", "at")),
    "bookings.invoice_issued": (
        {"invoice_id": ID, "family_id": ID, "month": MONTH, "total": NUMBER, "issued_on": DATE},
        ("invoice_id",),
    ),
    "bookings.month_closed": (
        {
            "month": MONTH,
            "invoices": INTEGER,
            "total": NUMBER,
            "hours_billed": NUMBER,
            "hours_attended": NUMBER,
            "place_hours": NUMBER,
        },
        ("month",),
    ),
    "bookings.activity_scheduled": (
        {"activity_id": ID, "kind": ENUM, "starts_at": DATE, "children_capacity": INTEGER, "volunteer_slots": INTEGER},
        ("activity_id",),
    ),
    "bookings.activity_completed": (
        {"activity_id": ID, "started_at": DATE, "ended_at": DATE, "volunteer_ids": IDS, "trainee_ids": IDS},
        ("activity_id",),
    ),
    "bookings.job_search_changed": (
        {"family_id": ID, "job_seeker": BOOLEAN, "changed_on": DATE, "source": ENUM},
        ("family_id", "changed_on", "job_seeker"),
    ),
    "placements.placement_created": ({**PLACEMENT, "starts_on": DATE, "ends_on": DATE}, ("placement_id",)),
    "placements.placement_started": ({**PLACEMENT, "started_on": DATE}, ("placement_id",)),
    "placements.placement_completed": ({**PLACEMENT, "validated_hours": NUMBER}, ("placement_id",)),
    "placements.hours_validated": (
        {**PLACEMENT, "hour_log_id": ID, "starts_at": DATE, "hours": NUMBER, "kind": ENUM},
        ("hour_log_id",),
    ),
    "placements.immersion_agreed": ({**IMMERSION, "planned_hours": NUMBER}, ("immersion_id",)),
    "placements.immersion_signed": ({**IMMERSION, "signed_on": DATE}, ("immersion_id",)),
    "placements.immersion_assessed": (
        {**IMMERSION, "assessed_on": DATE, "days_present": INTEGER},
        ("immersion_id",),
    ),
    "placements.immersion_cancelled": ({**IMMERSION, "cancelled_on": DATE}, ("immersion_id",)),
    "placements.outcome_recorded": ({**PERSON, "outcome_id": ID, "kind": ENUM, "on": DATE}, ("outcome_id",)),
    "education.enrolment_confirmed": (ENROLMENT, ("enrolment_id",)),
    "education.enrolment_cancelled": (ENROLMENT, ("enrolment_id",)),
    "education.enrolment_retracted": (ENROLMENT, ("enrolment_id",)),
    "education.attendance_recorded": (
        {
            "session_id": ID,
            "part_index": INTEGER,
            "half_day": ENUM,
            "participant_kind": ENUM,
            "participant_id": ID,
            "present": BOOLEAN,
            "starts_at": DATE,
            "hours": NUMBER,
            "revision": INTEGER,
        },
        ("session_id", "part_index", "half_day", "participant_id", "revision"),
    ),
    "education.certificate_issued": (
        {"session_id": ID, "participant_kind": ENUM, "participant_id": ID, "hours_attended": NUMBER},
        ("session_id", "participant_id"),
    ),
    "volunteers.volunteer_hours_recorded": (
        {"volunteer_id": ID, "activity_id": ID, "hours": NUMBER, "starts_at": DATE},
        ("volunteer_id", "activity_id"),
    ),
}
CONSUMED = tuple(ALLOWED)


def reduce_payload(name, payload, zone=None):
    """The event's allowed fields only, each checked against its kind and written plainly
    (a date or a time becomes its ISO day, at `zone`'s clock for a time, a number its exact
    decimal string). A field of another kind than its allow-list says raises ValueError."""
    allowed, _ = ALLOWED[name]
    return {
        field: _value(kind, _at(payload.get(field), zone), field) for field, kind in allowed.items() if field in payload
    }


def _at(value, zone):
    if zone is not None and isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(zone)
    return value


def dedupe_key(name, payload):
    """`<event name>:<key values>`: the same fact gives the same key, whoever tells it."""
    _, key_fields = ALLOWED[name]
    return ":".join([name, *("" if payload.get(f) is None else str(payload.get(f)) for f in key_fields)])


def _value(kind, value, field):
    if value is None:
        return None
    check = CHECKS[kind]
    return check(value, field)


def _id(value, field):
    if not isinstance(value, str) or len(value) > 64 or any(c.isspace() for c in value):
        raise ValueError(f"{field}: an id is a short string without spaces")
    return value


def _ids(value, field):
    return [_id(v, field) for v in value]


def _enum(value, field):
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9_]{1,40}", value):
        raise ValueError(f"{field}: an enum value is a lowercase code")
    return value


def _date(value, field):
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return datetime.fromisoformat(str(value)).date().isoformat()
    except ValueError:
        raise ValueError(f"{field}: not a date") from None


def _number(value, field):
    try:
        return str(Decimal(str(value)))
    except InvalidOperation:
        raise ValueError(f"{field}: not a number") from None


def _integer(value, field):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{field}: not an integer")
    return value


def _boolean(value, field):
    if not isinstance(value, bool):
        raise ValueError(f"{field}: not a boolean")
    return value


def _month(value, field):
    if not isinstance(value, str) or not MONTH_FORMAT.match(value):
        raise ValueError(f"{field}: a month is YYYY-MM")
    return value


def _subjects(value, field):
    return [{"role": _enum(s["role"], field), "id": _id(s["id"], field)} for s in value]


CHECKS = {
    ID: _id,
    IDS: _ids,
    ENUM: _enum,
    DATE: _date,
    NUMBER: _number,
    INTEGER: _integer,
    BOOLEAN: _boolean,
    MONTH: _month,
    SUBJECTS: _subjects,
}
