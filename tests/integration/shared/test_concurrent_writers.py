"""Writers of one service process on SQLite, on the real broker: none waits on SQLite's lock inside
eventlet's hub, and a command whose caller gave up never commits.

`assign_trainee` with an Idempotency-Key holds the write transaction (run_once's) while it asks
placements whether the trainee exists: its greenthread yields with SQLite's write lock held.
Before the process-wide writer lock (shared/sqlite_writers.py), the next writer of the process
busy-waited in C for 5 s, freezing every greenthread, the holder included: the slots failed with
"database is locked" (503) and the outbox relay with them.
"""

import eventlet
import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from services.bookings import models
from services.bookings.service import BookingsService
from shared import commands, sqlite_writers, topology
from tests.conftest import database_engine
from tests.dates import at
from tests.factories import create_room, schedule_activity, slot_fields
from tests.staff_on_duty import clear_trainee, seed_staff
from tests.support import wait_for

SLOTS = 8


def command_context(key=None, seconds=10):
    context = {commands.DEADLINE: commands.deadline_in(seconds), "caller": "staff-1"}
    if key:
        context[commands.IDEMPOTENCY_KEY] = key
    return context


def outbox_unsettled():
    """Rows the relay has neither published nor set aside as unconsumed."""
    m = models.Outbox
    with models.database.connection_context():
        return m.select().where(m.published_at.is_null(), m.unconsumed_at.is_null()).count()


def test_two_writers_and_the_relay_of_one_process_all_succeed(container_factory, service_config, known_trainees):
    topology.declare_all(service_config["AMQP_URI"], service_config["EVENT_RETRY_DELAY_MS"])  # as make migrate does
    known_trainees("t1")
    bookings = container_factory(BookingsService, service_config)
    bookings.start()
    seed_staff(bookings)  # the activity's leads, and the trainee cleared (tests/staff_on_duty.py)
    clear_trainee(bookings, "t1")
    amqp = {"AMQP_URI": service_config["AMQP_URI"]}
    with ClusterRpcProxy(amqp, timeout=20) as rpc:
        activity = schedule_activity(rpc.bookings)
        room = create_room(rpc.bookings, kind="childcare", capacity=10)
    with ClusterRpcProxy(amqp, context_data=command_context("assign-1"), timeout=20) as assigning:
        with ClusterRpcProxy(amqp, context_data=command_context(), timeout=20) as creating:
            assigned = assigning.bookings.assign_trainee.call_async(activity["id"], {"trainee_id": "t1"})
            slots = [
                creating.bookings.create_slot.call_async(
                    slot_fields(room["id"], starts_at=at(7 + hour), ends_at=at(7 + hour, 30))
                )
                for hour in range(SLOTS)
            ]
            outcomes = [reply.result() for reply in [assigned, *slots]]  # raises Unavailable / Expired
    assert outcomes[0]["trainees"] == ["t1"]
    assert len({slot["id"] for slot in outcomes[1:]}) == SLOTS
    wait_for(lambda: outbox_unsettled() == 0, timeout=15, message="the relay to publish every event")


@pytest.mark.skipif(
    database_engine() == "postgresql",
    reason="the process's writer lock is SQLite's (shared/sqlite_writers.py); the SQLite tier runs this test",
)
def test_a_command_whose_caller_gave_up_meanwhile_rolls_back_instead_of_committing(container_factory, service_config):
    bookings = container_factory(BookingsService, service_config)
    bookings.start()
    amqp = {"AMQP_URI": service_config["AMQP_URI"]}
    writers = sqlite_writers.lock_of(models.database.obj)
    assert writers.acquire(timeout=5)  # another writer of the process holds the lock
    try:
        with ClusterRpcProxy(amqp, context_data=command_context(seconds=1), timeout=20) as rpc:
            reply = rpc.bookings.create_room.call_async({"name": "Trop tard", "kind": "workshop", "capacity": 4})
            eventlet.sleep(1.5)  # the caller's deadline passes while the command waits for the lock
            writers.release()
            with pytest.raises(commands.Expired):
                reply.result()
    finally:
        if writers.locked():
            writers.release()
    with models.database.connection_context():
        assert not models.Room.select().where(models.Room.name == "Trop tard").exists()
        assert models.Outbox.select().count() == 0
