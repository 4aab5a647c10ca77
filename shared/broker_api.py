"""RabbitMQ's management HTTP API, for what AMQP cannot tell: which bindings exist.

`RABBIT_API_URI` (default: the AMQP URI's host and credentials on port 15672) is read by
`api_uri()`; the vhost is the AMQP URI's. One `requests.Session` per BrokerApi, reused.
"""

from urllib.parse import quote, unquote, urlparse

import requests

from shared import config

MANAGEMENT_PORT = 15672


class BrokerApiError(Exception):
    """The management API did not answer as expected; the message says why in one line."""


def api_uri(amqp_uri=None):
    """RABBIT_API_URI, else http://<user>:<password>@<AMQP host>:15672."""
    given = config.env("RABBIT_API_URI")
    if given:
        return given
    amqp = urlparse(amqp_uri or config.amqp_uri())
    credentials = f"{amqp.username or 'guest'}:{amqp.password or 'guest'}@"
    return f"http://{credentials}{amqp.hostname or '127.0.0.1'}:{MANAGEMENT_PORT}"


def vhost_of(amqp_uri):
    path = urlparse(amqp_uri).path
    return unquote(path[1:]) if len(path) > 1 else "/"


class BrokerApi:
    def __init__(self, amqp_uri, uri=None, timeout=3.0):
        parsed = urlparse(uri or api_uri(amqp_uri))
        self.base = f"{parsed.scheme}://{parsed.hostname}:{parsed.port or MANAGEMENT_PORT}{parsed.path.rstrip('/')}"
        if not self.base.endswith("/api"):
            self.base += "/api"
        self.vhost = vhost_of(amqp_uri)
        self.timeout = timeout
        self.session = requests.Session()
        self.session.auth = (unquote(parsed.username or "guest"), unquote(parsed.password or "guest"))

    def where(self):
        """The API's address, without credentials (for messages)."""
        return self.base

    def queue_bindings(self):
        """Every binding of the vhost whose destination is a queue (dicts: source, destination, routing_key)."""
        bindings = self._get(f"/bindings/{quote(self.vhost, safe='')}")
        return [b for b in bindings if b.get("destination_type") == "queue"]

    def queue_depths(self):
        """{queue: (messages ready, messages unacknowledged, consumers)} of every queue of the vhost,
        as the management API last sampled them (a few seconds behind: fine for a dashboard)."""
        queues = self._get(
            f"/queues/{quote(self.vhost, safe='')}?columns=name,messages_ready,messages_unacknowledged,consumers"
        )
        return {
            q["name"]: (q.get("messages_ready") or 0, q.get("messages_unacknowledged") or 0, q.get("consumers") or 0)
            for q in queues
        }

    def queues(self):
        """Every queue of the vhost (dicts: name, type, arguments, messages, consumers, policy, ...)."""
        return self._get(f"/queues/{quote(self.vhost, safe='')}")

    def definitions(self):
        """The vhost's definitions (queues, exchanges, bindings, policies, parameters): what
        `cocoon backup` keeps of the broker. Users and their password hashes are not in them."""
        return self._get(f"/definitions/{quote(self.vhost, safe='')}")

    def load_definitions(self, definitions):
        """Declare what `definitions` lists in the vhost (what exists already stays): `cocoon restore`."""
        try:
            response = self.session.post(
                f"{self.base}/definitions/{quote(self.vhost, safe='')}", json=definitions, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise BrokerApiError(f"management API at {self.base} unreachable: {exc.__class__.__name__}") from None
        if response.status_code not in (200, 201, 204):
            raise BrokerApiError(f"management API at {self.base} refused the definitions: {response.status_code}")

    def _get(self, path):
        try:
            response = self.session.get(self.base + path, timeout=self.timeout)
        except requests.RequestException as exc:
            raise BrokerApiError(f"management API at {self.base} unreachable: {exc.__class__.__name__}") from None
        if response.status_code != 200:
            raise BrokerApiError(f"management API at {self.base} answered {response.status_code} for {path}")
        return response.json()

    def close(self):
        self.session.close()
