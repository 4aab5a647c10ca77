"""The floors of `make bench`, in their own process (nameko needs eventlet's monkey patching):

    python -m tests.benchmarks.in_process --db-dir DIR --own-vhost VHOST --stack-vhost VHOST [--calls 200]

- `book` called in process (nameko's entrypoint_hook on a BookingsService container, SQLite file
  in DIR, relay off): the service's own cost, on its pooled connection as every RPC (six SQL
  statements a booking: tests/unit/bookings/test_booking_statements.py);
- one RPC round trip to the running stack's bookings service (`health`, ClusterRpcProxy);
- the fee quote function alone (services.bookings.domain.fees.quote).
Prints one JSON object of millisecond lists on its last line.
"""

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
import eventlet

eventlet.monkey_patch()

import argparse
import json
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from nameko.containers import ServiceContainer
from nameko.standalone.rpc import ClusterRpcProxy

import services  # noqa: F401
from services.bookings.domain import fees
from services.bookings.service import BookingsService
from shared import migrate
from shared.timeutil import VENUE_TZ
from tests.benchmarks.broker import amqp_uri
from tests.factories import create_child, create_family, create_room, slot_fields
from tests.support import call


def timed(function, count):
    """Milliseconds of each of `count` calls of function(i)."""
    timings = []
    for i in range(count):
        started = time.perf_counter()
        function(i)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def booking_in_process(db_dir, vhost, count):
    url = f"sqlite:///{db_dir}/bookings-in-process.db"
    migrate.migrate("bookings", url)
    config = {"AMQP_URI": amqp_uri(vhost), "OUTBOX_RELAY": "off", "BOOKINGS_DATABASE_URL": url}
    container = ServiceContainer(BookingsService, config)
    container.start()
    try:
        room = create_room(container, kind="childcare", capacity=10)
        family = create_family(container)
        first_day = date.today() + timedelta(days=7)
        pairs = []
        for i in range(count):  # a new slot and a new child for each call
            day = first_day + timedelta(days=i)
            slot = call(
                container,
                "create_slot",
                slot_fields(
                    room["id"],
                    starts_at=datetime.combine(day, clock(8), tzinfo=VENUE_TZ).isoformat(),
                    ends_at=datetime.combine(day, clock(12), tzinfo=VENUE_TZ).isoformat(),
                ),
            )
            child = create_child(container, family, birth_date=(date.today() - timedelta(days=3 * 365)).isoformat())
            pairs.append({"slot_id": slot["id"], "child_id": child["id"]})
        return timed(lambda i: call(container, "book", family["id"], pairs[i]), count)
    finally:
        container.stop()


def rpc_round_trips(vhost, count):
    with ClusterRpcProxy({"AMQP_URI": amqp_uri(vhost)}, timeout=30) as rpc:
        rpc.bookings.health()  # the reply queue is declared on the first call
        return timed(lambda i: rpc.bookings.health(), count)


def fee_quotes(count):
    today = date.today()
    return timed(lambda i: fees.quote(Decimal("3000"), 1, 0, today), count)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-dir", required=True)
    parser.add_argument("--own-vhost", required=True, help="a vhost of this process only (a second bookings)")
    parser.add_argument("--stack-vhost", required=True, help="the running stack's vhost")
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    figures = {
        "book": booking_in_process(args.db_dir, args.own_vhost, args.calls),
        "health_rpc": rpc_round_trips(args.stack_vhost, args.calls),
        "fee_quote": fee_quotes(args.calls * 10),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
