"""The family file kept by staff: which corrections are accepted, what they change, how it is searched.

- Resources (`monthly_resources`), the household (`dependent_children`) and the children
  receiving AEEH (`aeeh_children`, at most `dependent_children`) set the CNAF rate (fees.py). A
  correction of one of them **reprices only care still to come**: the family's active bookings
  whose slot starts after the correction; a slot already started or past keeps the rate it was
  booked at [practice: the fee is due on the figures known then].
- `job_seeker` (AVIP priority) applies to bookings made from then on: a booking's `avip` says
  whether the family was job-seeking when it booked, and is never rewritten.
- The dates staff record (`resources_checked_on`, `job_seeker_checked_on`) are the days a
  document was checked: never in the future.
- Every change is kept, one row per field (before, after, who, when, and from when it applies).
- `effective_on`: a correction of the fee figures applies **from that day** (new N-2 resources
  from 1 January, a birth from its date: childcare.md, review of 2026-12-07): the family's
  bookings of slots from that day on, past ones included, are repriced, and its contracts are
  priced on the new figures from that day (clamped to each contract's start). It may not be
  after today [practice: the family file holds one current value; a change planned for later is
  typed that day]. Without it, a correction applies from the moment it is typed, as before.
- `resources_known` false: resources unknown, priced at the emergency rate (emergency.py);
  correcting `monthly_resources` alone makes them known again.

Standard library only.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date, datetime
from decimal import Decimal

# The fields staff may correct, in the order changes are listed.
FIELDS = (
    "monthly_resources",
    "resources_checked_on",
    "resources_source",
    "dependent_children",
    "aeeh_children",
    "job_seeker",
    "job_seeker_checked_on",
    "resources_known",
    "postal_address",
)
# what the rate reads (fees.quote, emergency.emergency_quote)
FEE_FIELDS = frozenset({"monthly_resources", "dependent_children", "aeeh_children", "resources_known"})
DATE_FIELDS = ("resources_checked_on", "job_seeker_checked_on")
FUTURE_DATE = "La date ne peut pas être dans le futur."
FUTURE_EFFECT = (
    "La correction s'applique au plus tard à partir d'aujourd'hui : pour un changement à venir, "
    "corrigez le dossier ce jour-là."
)
AEEH_AT_MOST = "Au plus autant d'enfants bénéficiaires de l'AEEH que d'enfants à charge."
FEWER_THAN_AEEH = "Pas moins d'enfants à charge que d'enfants bénéficiaires de l'AEEH (%d) : corrigez aussi ce nombre."


def with_aeeh_count(wanted: dict, aeeh_children: int) -> dict:
    """`wanted` with the former flag `aeeh` turned into `aeeh_children`, for a family with
    `aeeh_children` on file: false sets 0; true sets 1 when there were none and keeps a count of
    1 or more (the flag says "AEEH in the household", true of a family with two). A given
    `aeeh_children` wins (the schema refuses one that contradicts `aeeh`)."""
    wanted = dict(wanted)
    aeeh = wanted.pop("aeeh", None)
    if aeeh is not None and "aeeh_children" not in wanted:
        wanted["aeeh_children"] = max(aeeh_children, 1) if aeeh else 0
    return wanted


def with_resources_known(wanted: dict) -> dict:
    """`wanted` where resources typed without `resources_known` make them known again (the end of
    an emergency pricing)."""
    if "monthly_resources" in wanted and "resources_known" not in wanted:
        return {**wanted, "resources_known": True}
    return wanted


def effective_on_errors(effective_on: date | None, today: date) -> dict:
    """{"effective_on": [message]} when the day a correction applies from is after `today`."""
    return {"effective_on": [FUTURE_EFFECT]} if effective_on is not None and effective_on > today else {}


def repriced_from(effective_on: date | None, now: datetime, zone) -> datetime:
    """The moment from which care is repriced (aware): the start of `effective_on` in the
    venue's `zone` (a ZoneInfo), or `now` without it, whichever is earlier."""
    if effective_on is None:
        return now
    return min(now, datetime.combine(effective_on, datetime.min.time(), tzinfo=zone))


def household_errors(current: dict, wanted: dict) -> dict:
    """{field: [message]} when the corrected family would have more AEEH children than dependent
    children; the field named is the one the correction gives (aeeh_children first)."""
    children = wanted.get("dependent_children", current["dependent_children"])
    aeeh_children = wanted.get("aeeh_children", current["aeeh_children"])
    if aeeh_children <= children:
        return {}
    if "aeeh_children" in wanted:
        return {"aeeh_children": [AEEH_AT_MOST]}
    return {"dependent_children": [FEWER_THAN_AEEH % aeeh_children]}


def changes(current: dict, wanted: dict) -> list[tuple[str, object, object]]:
    """(field, before, after) for each field of `wanted` whose value differs from `current`, in FIELDS order."""
    return [
        (name, current.get(name), wanted[name])
        for name in FIELDS
        if name in wanted and wanted[name] != current.get(name)
    ]


def reprices(changed_fields) -> bool:
    """Does a change of these fields change the family's CNAF rate (so future bookings are repriced)?"""
    return bool(FEE_FIELDS.intersection(changed_fields))


def repriced(slot_starts_at: datetime, since: datetime) -> bool:
    """Is a booking of a slot starting at `slot_starts_at` repriced by a correction that applies
    from `since` (repriced_from)? Only when the slot starts after it (aware datetimes)."""
    return since < slot_starts_at


def future_date_errors(wanted: dict, today: date) -> dict:
    """{field: [message]} for each recorded date after `today` (the venue's today)."""
    return {name: [FUTURE_DATE] for name in DATE_FIELDS if wanted.get(name) is not None and wanted[name] > today}


def search_key(*texts: str) -> str:
    """Text as searched: lower case, accents removed ("Éloïse" and "eloise" find each other)."""
    joined = " ".join(t for t in texts if t)
    decomposed = unicodedata.normalize("NFKD", joined.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_text(email: str, guardians: list[dict]) -> str:
    """What GET /families?q= searches in: the email and every guardian's first and last name."""
    return search_key(email, *(f"{g['first_name']} {g['last_name']}" for g in guardians))


def search_pattern(q: str) -> str:
    """A LIKE pattern finding `q` anywhere in a search_text, `%`, `_` and `\\` taken literally (ESCAPE '\\')."""
    escaped = search_key(q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def as_json(value) -> str:
    """A field's value as the history keeps it: JSON, money as a string with two decimals
    ("4000.00"), dates ISO ("2026-03-01"), booleans, integers, null."""
    if isinstance(value, Decimal):
        value = f"{value:.2f}"
    elif isinstance(value, date):
        value = value.isoformat()
    return json.dumps(value, ensure_ascii=False)
