"""A small test service on the real broker: counts what it applies, or always fails."""

from marshmallow import Schema, fields
from nameko.events import event_handler
from peewee import CharField, DatabaseProxy, Model

from shared.broker_loss import rpc
from shared.events.registry import CONTRACTS, register
from shared.handlers import on_event
from shared.inbox import inbox_model
from shared.logs import CorrelationId
from shared.outbox import outbox_model
from shared.unit_of_work import UnitOfWork


class ThingSchema(Schema):
    thing_id = fields.String(required=True)


for _name in ("probe.thing_happened", "probe.thing_failed"):
    if _name not in CONTRACTS:
        register(_name, ThingSchema)

database = DatabaseProxy()


class Applied(Model):
    event_id = CharField()
    thing_id = CharField()
    correlation_id = CharField(null=True)

    class Meta:
        database = database


Outbox = outbox_model(database)
Inbox = inbox_model(database)
MODELS = [Applied, Outbox, Inbox]
FAILED_CALLS = []
PLAIN_RECEIVED = []


class ProbeService:
    name = "probe"
    correlation_id = CorrelationId()
    uow = UnitOfWork(database, "probe", Outbox, Inbox)

    @rpc
    def emit(self, event_type, thing_id):
        with self.uow.atomic():
            return self.uow.emit(event_type, {"thing_id": thing_id})

    @on_event("probe.thing_happened")
    def apply_thing(self, event):
        Applied.create(
            event_id=event["event_id"], thing_id=event["payload"]["thing_id"], correlation_id=self.correlation_id
        )

    @on_event("probe.thing_failed")
    def always_fails(self, event):
        FAILED_CALLS.append(event["event_id"])
        raise RuntimeError("this handler always fails")


class PlainListener:
    """A plain nameko handler, to prove the relay publishes in nameko's own wire format."""

    name = "plain_listener"

    @event_handler("bookings", "activity_scheduled")
    def got_activity(self, body):
        PLAIN_RECEIVED.append(body)


# --- a handler with a bug a test can "fix", for the operator's replay (test_operator_cli.py) ---
if "probe.thing_to_repair" not in CONTRACTS:
    register("probe.thing_to_repair", ThingSchema)
REPAIR = {"fixed": False}  # flipping it is the test's "deploy of the fix"
REPAIRABLE_CALLS = []


class RepairableService:
    name = "repairable"
    uow = UnitOfWork(database, "probe", Outbox, Inbox)

    @on_event("probe.thing_to_repair")
    def apply_when_fixed(self, event):
        REPAIRABLE_CALLS.append(event["event_id"])
        if not REPAIR["fixed"]:
            raise RuntimeError("bug in apply_when_fixed: thing_id not handled")
        Applied.create(event_id=event["event_id"], thing_id=event["payload"]["thing_id"])
