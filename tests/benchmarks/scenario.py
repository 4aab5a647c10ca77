"""The booking load the in-process benchmarks share: new families each booking one of a few slots."""

from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as clock

from nameko.containers import ServiceContainer

from services.bookings.service import BookingsService
from shared import migrate
from shared.timeutil import VENUE_TZ
from tests.benchmarks.broker import amqp_uri, delete_vhost, make_vhost
from tests.factories import call_service


def booking_requests(bookings, count, slot_count=4, capacity=3, age_group="walking", staff_on_duty=2, avip_every=2):
    """[(family_id, {slot_id, child_id})] for `count` new families (one child each, one in
    `avip_every` job-seeking), spread over `slot_count` one-hour slots (four a day) of a new room of `capacity`
    places, 10 days ahead. `bookings`: `rpc.bookings` of a proxy, or a service container."""
    room = call_service(bookings, "create_room", {"name": "Crèche d'essai", "kind": "childcare", "capacity": capacity})
    day = date.today() + timedelta(days=10)
    slots = [
        call_service(
            bookings,
            "create_slot",
            {
                "room_id": room["id"],
                "age_group": age_group,
                "staff_on_duty": staff_on_duty,
                "starts_at": datetime.combine(
                    day + timedelta(days=i // 4), clock(8 + 2 * (i % 4)), tzinfo=VENUE_TZ
                ).isoformat(),
                "ends_at": datetime.combine(
                    day + timedelta(days=i // 4), clock(9 + 2 * (i % 4)), tzinfo=VENUE_TZ
                ).isoformat(),
            },
        )
        for i in range(slot_count)
    ]
    requests_ = []
    for i in range(count):
        family = call_service(
            bookings,
            "register_family",
            {
                "email": f"bench{i}@example.fr",
                "monthly_resources": "3000",
                "dependent_children": 1,
                "job_seeker": i % avip_every == 0,
                "guardians": [{"first_name": "A", "last_name": "B", "phone": "0601020304"}],
            },
        )
        child = call_service(bookings, "add_child", family["id"], {"first_name": "E", "birth_date": "2024-01-15"})
        requests_.append((family["id"], {"slot_id": slots[i % slot_count]["id"], "child_id": child["id"]}))
    return requests_


@contextmanager
def bookings_in_process(directory):
    """A bookings container in this process on a migrated SQLite file under `directory` and a
    RabbitMQ vhost of its own, outbox relay off (only the calls' own work is timed); yields
    (container, nameko config)."""
    url = f"sqlite:///{directory / 'bookings.db'}"
    migrate.migrate("bookings", url)
    vhost = make_vhost()
    cfg = {"AMQP_URI": amqp_uri(vhost), "OUTBOX_RELAY": "off", "BOOKINGS_DATABASE_URL": url}
    container = ServiceContainer(BookingsService, cfg)
    container.start()
    try:
        yield container, cfg
    finally:
        container.stop()
        delete_vhost(vhost)
