"""RPC requests expire with the caller's timeout, on the real broker: a command that waited in the
queue while its service was down is never run once the caller was told 503."""

import pytest
from kombu import Connection
from nameko.exceptions import RpcTimeout
from nameko.standalone.rpc import ClusterRpcProxy

from services.gateway.rpc import RpcPool
from services.volunteers import models
from services.volunteers.service import VolunteersService
from shared import commands
from tests.support import wait_for

LATE = {
    "email": "tardive@example.fr",
    "first_name": "Odette",
    "last_name": "Lenoir",
    "birth_date": "1948-05-09",
    "phone": "06 11 22 33 44",
}
ON_TIME = dict(LATE, email="a-l-heure@example.fr", first_name="Paul")


def waiting_requests(amqp_uri, queue="rpc-volunteers"):
    with Connection(amqp_uri) as conn:
        return conn.default_channel.queue_declare(queue, passive=True).message_count


def stored():
    with models.database.connection_context():
        volunteers = sorted(v.email for v in models.Volunteer.select())
        events = sorted(row.body for row in models.Outbox.select())
    return volunteers, events


def test_a_command_that_waited_in_the_queue_past_the_callers_timeout_is_never_run(container_factory, service_config):
    amqp_uri = service_config["AMQP_URI"]
    down = container_factory(VolunteersService, service_config)
    down.start()  # declares its RPC queue
    down.stop()  # the outage: the queue stays, nobody consumes it

    pool = RpcPool({"AMQP_URI": amqp_uri}, timeout=1.0)
    try:
        with pytest.raises(RpcTimeout):  # the gateway answers 503 here
            with pool.cluster("late-request") as rpc:
                rpc.volunteers.register_volunteer(LATE)
    finally:
        pool.close()
    # The broker drops the request once its expiration (the timeout) has passed.
    wait_for(lambda: waiting_requests(amqp_uri) == 0, timeout=10, message="the late request to expire")

    back = container_factory(VolunteersService, dict(service_config, max_workers=1))  # one at a time: in order
    back.start()
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=10) as rpc:
        on_time = rpc.volunteers.register_volunteer(ON_TIME)
    volunteers, events = stored()
    assert volunteers == [ON_TIME["email"]]
    assert len(events) == 1 and on_time["id"] in events[0]  # the event names the volunteer by id


def test_a_command_handed_over_after_its_deadline_is_answered_expired_and_not_run(container_factory, service_config):
    """The broker already handed the request to the service (prefetched) when its deadline passed."""
    container_factory(VolunteersService, service_config).start()
    past = {commands.DEADLINE: commands.now_ms() - 1000, "correlation_id": "deadline-passed"}
    with ClusterRpcProxy({"AMQP_URI": service_config["AMQP_URI"]}, context_data=past, timeout=10) as rpc:
        with pytest.raises(commands.Expired) as expired:
            rpc.volunteers.register_volunteer(LATE)
        assert expired.value.status == 503
        assert rpc.volunteers.health()["status"] == "ok"  # reads are not commands: they still answer
    assert stored() == ([], [])


def test_a_command_within_its_deadline_runs(container_factory, service_config):
    container_factory(VolunteersService, service_config).start()
    pool = RpcPool({"AMQP_URI": service_config["AMQP_URI"]}, timeout=10.0)
    try:
        with pool.cluster("in-time") as rpc:
            assert rpc.volunteers.register_volunteer(ON_TIME)["email"] == ON_TIME["email"]
    finally:
        pool.close()
    assert stored()[0] == [ON_TIME["email"]]
