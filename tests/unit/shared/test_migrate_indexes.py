"""`migrate` on a bookings database made before the lists were paged (no list indexes yet): it adds the booking's
copy of its slot's start, fills it in for the bookings already there, and creates the indexes
(create_tables makes indexes only with a new table). Safe to run again."""

import sqlite3
from datetime import date, datetime
from decimal import Decimal

from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run_migrations

from services.bookings import models
from shared import migrate

LIST_INDEXES = {
    "booking_slot_starts_at_requested_at_id",
    "booking_family_id_slot_starts_at_requested_at_id",
    "booking_status_slot_starts_at_requested_at_id",
    "childcareslot_starts_at_id",
    "activity_starts_at_id",
}


def indexes(path):
    with sqlite3.connect(path) as connection:
        return {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def a_booking_made_before_the_migration():
    room = models.Room.create(name="Lucioles", kind="childcare", capacity=10)
    slot = models.ChildcareSlot.create(
        room=room,
        starts_at=datetime(2030, 1, 7, 7, 30),
        ends_at=datetime(2030, 1, 7, 11, 30),
        age_group="walking",
        staff_on_duty=2,
        places=10,
    )
    family = models.Family.create(
        email="f@example.fr", guardians="[]", monthly_resources=Decimal("3000"), dependent_children=1
    )
    child = models.Child.create(family=family, first_name="Léa", birth_date=date(2028, 1, 1))
    return models.Booking.create(
        slot=slot, child=child, family=family, status="confirmed", avip=False, walks=True, hourly_rate=Decimal("1")
    )


def test_migrate_adds_the_list_indexes_and_the_slot_start_to_a_database_made_before_them(tmp_path):
    path = tmp_path / "bookings.db"
    url = f"sqlite:///{path}"
    migrate.migrate("bookings", url)
    with models.database.connection_context():
        booking = a_booking_made_before_the_migration()
    with models.database.connection_context():  # the database as it was before the list indexes (and versioning)
        models.database.execute_sql('DROP TABLE "schema_migrations"')
        for name in LIST_INDEXES:
            models.database.execute_sql(f'DROP INDEX "{name}"')
        run_migrations(SchemaMigrator.from_database(models.database).drop_column("booking", "slot_starts_at"))
    assert not LIST_INDEXES & indexes(path)

    migrate.migrate("bookings", url)
    migrate.migrate("bookings", url)  # again: nothing to do, no error

    assert LIST_INDEXES <= indexes(path)
    with models.database.connection_context():
        assert models.Booking.get_by_id(booking.id).slot_starts_at == datetime(2030, 1, 7, 7, 30)
        by_index = models.Booking.select(models.Booking.slot_starts_at).order_by(models.Booking.slot_starts_at)
        assert by_index.scalar() == datetime(2030, 1, 7, 7, 30)  # the index holds the column, not its name
