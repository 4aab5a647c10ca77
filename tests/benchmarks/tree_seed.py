"""Bench set-up written straight into a stack's bookings database with the models of the stack's
own tree (the baseline's schema may differ from the working tree's). Run by seeding.py as

    cd <tree> && PYTHONPATH=<tree> python -P <this file>   < request.json   > answer.json

so it imports nothing but the tree's `services` and `shared` and the standard library: the
baseline tree has no copy of this file. Requests (one JSON object on stdin):
- {"op": "requests", "url", "tokens": {family id: token}, "count", "per_slot", "places",
  "out": path or null, "first_names": optional list}: `count` new children dealt round the
  families and a new slot every `per_slot` of them; "token<TAB>body" lines written to `out`,
  else the pairs (slot, child, first name) answered;
- {"op": "overbooked", "url"}: slots holding more confirmed bookings than places, statuses;
- {"op": "bookings", "url", "total", "family_id": id or null}: confirmed bookings for one
  family (made here when null) until the database holds `total`.
"""

import json
import sys
from datetime import date, timedelta
from decimal import Decimal

from services.bookings import models
from shared.db import make_database
from shared.models import new_id
from shared.timeutil import db_now


def _insert(model, rows, batch=500):
    for start in range(0, len(rows), batch):
        model.insert_many(rows[start : start + batch]).execute()


# Slots start this far ahead: beyond the AVIP release notice (48 h by default), so the bookings
# service's sweep (release_avip_places, every minute) never has thousands of bench slots to release
# during a run, one transaction and events each, which would load the stack besides what is measured.
LEAD_DAYS = 4


def seed_slots(count, places, rooms=100):
    """`count` one-hour childcare slots for walking children, from LEAD_DAYS ahead, `rooms` at a time."""
    room_ids = [new_id() for _ in range(min(rooms, count))]
    now, first = db_now(), db_now().replace(minute=0, second=0, microsecond=0) + timedelta(days=LEAD_DAYS)
    tag = new_id()[:8]
    _insert(
        models.Room,
        [
            {"id": r, "created_at": now, "name": f"Banc {tag} {n}", "kind": "childcare", "capacity": places}
            for n, r in enumerate(room_ids)
        ],
    )
    slots = [
        {
            "id": new_id(),
            "created_at": now,
            "room": room_ids[j % len(room_ids)],
            "starts_at": first + timedelta(hours=j // len(room_ids)),
            "ends_at": first + timedelta(hours=j // len(room_ids) + 1),
            "age_group": "walking",
            "staff_on_duty": 2,
            "places": places,
        }
        for j in range(count)
    ]
    _insert(models.ChildcareSlot, slots)
    return [s["id"] for s in slots]


def seed_children(family_ids, count, first_names=None):
    """`count` three-year-old children, dealt round the families (named Léa unless `first_names`)."""
    now, born = db_now(), date.today() - timedelta(days=3 * 365)
    children = [
        {
            "id": new_id(),
            "created_at": now,
            "family": family_ids[i % len(family_ids)],
            "first_name": first_names[i] if first_names else "Léa",
            "birth_date": born,
            "walking_override": None,
        }
        for i in range(count)
    ]
    _insert(models.Child, children)
    return children


def booking_requests(request):
    tokens, count, per_slot = request["tokens"], request["count"], request.get("per_slot", 1)
    with models.database.atomic():
        slot_ids = seed_slots(-(-count // per_slot), request.get("places", 10))
        children = seed_children(list(tokens), count, request.get("first_names"))
    pairs = [(child["family"], slot_ids[i // per_slot], child["id"]) for i, child in enumerate(children)]
    if not request.get("out"):
        named = zip(pairs, children, strict=True)
        return {"pairs": [{"slot_id": s, "child_id": c, "first_name": k["first_name"]} for (_, s, c), k in named]}
    with open(request["out"], "w") as lines:
        for family_id, slot_id, child_id in pairs:
            lines.write(f"{tokens[family_id]}\t{json.dumps({'slot_id': slot_id, 'child_id': child_id})}\n")
    return {"written": len(pairs)}


def overbooked(request):
    from peewee import fn

    slot, booking = models.ChildcareSlot, models.Booking
    over = (
        slot.select(slot.id)
        .join(booking)
        .where(booking.status == "confirmed")
        .group_by(slot.id, slot.places)
        .having(fn.COUNT(booking.id) > slot.places)
        .count()
    )
    statuses = dict(booking.select(booking.status, fn.COUNT(booking.id)).group_by(booking.status).tuples())
    return {"over": over, "statuses": statuses}


def bookings(request):
    missing = request["total"] - models.Booking.select().count()
    family_id = request.get("family_id")
    if not family_id:
        family_id = new_id()
        models.Family.insert(
            id=family_id,
            email=f"liste-{family_id[:8]}@example.fr",
            guardians="[]",
            monthly_resources=Decimal("3000"),
            dependent_children=1,
        ).execute()
    if missing > 0:
        with models.database.atomic():
            slot_ids = seed_slots(100, places=10)
            children = seed_children([family_id], 100)
            now = db_now()
            rows = [
                {
                    "id": new_id(),
                    "created_at": now,
                    "slot": slot_ids[i % 100],
                    "child": children[(i // 100) % 100]["id"],
                    "family": family_id,
                    "status": "confirmed",
                    "avip": False,
                    "walks": True,
                    "requested_at": now,
                    "hourly_rate": Decimal("1.25"),
                }
                for i in range(missing)
            ]
            _insert(models.Booking, rows)
    return {"family_id": family_id}


OPERATIONS = {"requests": booking_requests, "overbooked": overbooked, "bookings": bookings}


def main():
    request = json.load(sys.stdin)
    database = make_database(request["url"])
    models.database.initialize(database)
    try:
        with database.connection_context():
            answer = OPERATIONS[request["op"]](request)
    finally:
        if hasattr(database, "close_all"):
            database.close_all()
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
