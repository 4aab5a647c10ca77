"""A RabbitMQ vhost of its own for a benchmark run (management API, as `make test` needs)."""

import uuid

import requests

API = "http://127.0.0.1:15672/api"
AUTH = ("guest", "guest")


def make_vhost(prefix="cocoon-bench"):
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    requests.put(f"{API}/vhosts/{name}", auth=AUTH, timeout=5).raise_for_status()
    requests.put(
        f"{API}/permissions/{name}/guest", auth=AUTH, timeout=5, json={"configure": ".*", "write": ".*", "read": ".*"}
    ).raise_for_status()
    return name


def delete_vhost(name):
    requests.delete(f"{API}/vhosts/{name}", auth=AUTH, timeout=5)


def amqp_uri(vhost):
    return f"amqp://guest:guest@127.0.0.1:5672/{vhost}"


def connections(vhost):
    """The AMQP connections open on `vhost` now (the management API's list; it lags by ~5 s)."""
    answer = requests.get(f"{API}/vhosts/{vhost}/connections", auth=AUTH, timeout=5)
    answer.raise_for_status()
    return answer.json()


def consumers(vhost, queue):
    """Consumers of `queue` on `vhost`, 0 while the queue does not exist."""
    answer = requests.get(f"{API}/queues/{vhost}/{queue}", auth=AUTH, timeout=5)
    return answer.json().get("consumers", 0) if answer.ok else 0
