"""Bookings written straight into a bookings database (peewee, no RPC), for the list benchmark:

    seed(bookings=100_000)  # in the database models.database is bound to

Ten bookings per childcare slot, a slot every two hours in two rooms (so two slots may start at
the same time), every booking of the "big" family (as measured in issue 8: a family with all
bookings) except SMALL_FAMILY_BOOKINGS spread over the whole period, the "small" family's (so its
first page is full at every size). The families' ids are the same at every size (BIG, SMALL).
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from services.bookings.models import Booking, Child, ChildcareSlot, Family, Room, database
from shared.models import new_id

PER_SLOT = 10
SMALL_FAMILY_BOOKINGS = 150
BIG, SMALL = "family-big", "family-small"
BATCH = 500


def seed(bookings):
    """Returns {"big": family id, "small": family id, "slot": a slot id in the middle}."""
    with database.atomic():
        rooms = [Room.create(name=f"Salle {i}", kind="childcare", capacity=20) for i in range(2)]
        families = {name: _family(name, family_id) for name, family_id in (("big", BIG), ("small", SMALL))}
        small_every = max(1, bookings // SMALL_FAMILY_BOOKINGS)
        children = {
            name: [
                Child.create(family=f, first_name=f"Enfant {i}", birth_date=date(2024, 1, 1 + i)).id for i in range(5)
            ]
            for name, f in families.items()
        }
        start = datetime(2027, 1, 4, 7, 0)
        slot_rows, booking_rows = [], []
        for number in range(0, bookings, PER_SLOT):
            slot_id = new_id()
            starts_at = start + timedelta(hours=2 * (number // PER_SLOT // 2))
            slot_rows.append(
                {
                    "id": slot_id,
                    "room": rooms[(number // PER_SLOT) % 2].id,
                    "starts_at": starts_at,
                    "ends_at": starts_at + timedelta(hours=2),
                    "age_group": "mixed",
                    "staff_on_duty": 4,
                    "places": PER_SLOT,
                    "created_at": start,
                }
            )
            for i in range(min(PER_SLOT, bookings - number)):
                owner = "small" if (number + i) % small_every == 0 else "big"
                booking_rows.append(
                    {
                        "id": new_id(),
                        "slot": slot_id,
                        "child": children[owner][i % 5],
                        "family": families[owner].id,
                        "status": "confirmed" if i < 8 else "waitlisted",
                        "avip": False,
                        "walks": True,
                        "requested_at": start - timedelta(days=30, seconds=number + i),
                        "slot_starts_at": starts_at,
                        "hourly_rate": Decimal("1.5"),
                        "created_at": start,
                    }
                )
        for rows, model in ((slot_rows, ChildcareSlot), (booking_rows, Booking)):
            for first in range(0, len(rows), BATCH):
                model.insert_many(rows[first : first + BATCH]).execute()
    return {
        "big": families["big"].id,
        "small": families["small"].id,
        "slot": slot_rows[len(slot_rows) // 2]["id"],
        "day": slot_rows[len(slot_rows) // 2]["starts_at"].date(),
    }


def _family(name, family_id):
    return Family.create(
        id=family_id,
        email=f"{name}@example.fr",
        guardians='[{"first_name": "A", "last_name": "B", "phone": "0600000000"}]',
        monthly_resources=Decimal("3000"),
        dependent_children=2,
    )
