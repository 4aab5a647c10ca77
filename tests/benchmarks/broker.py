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
