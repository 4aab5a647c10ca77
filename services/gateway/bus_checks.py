"""What /readyz and /metrics ask the broker itself: is it reachable, does it hold every binding of
the event catalogue (shared/topology.py), and how many events wait in each dead-letter queue.

One kept AMQP connection and one management API session per gateway process, shared by its
threads under a lock, instead of a new connection for every probe; a connection found broken is
opened again once. Dead-letter depths are read by passive declare (exact, where the management
API's figures lag by seconds).
"""

import threading

from amqp.exceptions import NotFound
from kombu import Connection

from shared import broker_api, topology
from shared.confirmed_publisher import CONNECTION_FAILURES


class BusChecks:
    def __init__(self, amqp_uri, api_uri=None, timeout=2.0):
        self.amqp_uri = amqp_uri
        self.timeout = timeout
        self.api = broker_api.BrokerApi(amqp_uri, api_uri, timeout=timeout)
        self._connection = None
        self._lock = threading.Lock()

    def broker_problem(self):
        """None when the broker answers on the kept connection, else why not."""
        try:
            self._use(lambda connection: connection.channel().close())  # a round trip on the kept connection
            return None
        except CONNECTION_FAILURES as exc:
            return f"unreachable: {exc.__class__.__name__}"

    def dead_letters(self):
        """{dead-letter queue: messages} for every handler of the catalogue (0 when the queue is missing)."""
        return self._use(lambda connection: _depths(connection, topology.dead_letter_queues()))

    def queue_depths(self):
        """Every queue's depth and consumers, from the management API (its kept session)."""
        with self._lock:
            return self.api.queue_depths()

    def missing_bindings(self):
        """The catalogue's bindings the broker lacks; raises BrokerApiError when its API does not answer."""
        return topology.missing_bindings(self.api)

    def _use(self, read):
        with self._lock:
            for attempt in (1, 2):
                try:
                    return read(self._connected())
                except CONNECTION_FAILURES:
                    self._drop()
                    if attempt == 2:
                        raise
        return None

    def _connected(self):
        if self._connection is None:
            connection = Connection(self.amqp_uri, connect_timeout=self.timeout)
            try:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=self.timeout)
            except Exception:
                connection.collect()
                raise
            self._connection = connection
        return self._connection

    def _drop(self):
        if self._connection is not None:
            self._connection.collect()
            self._connection = None

    def close(self):
        with self._lock:
            if self._connection is not None:
                try:
                    self._connection.release()
                except Exception:  # already broken: nothing left to close
                    pass
                self._connection = None
        self.api.close()


def _depths(connection, queues):
    depths, channel = {}, connection.channel()
    try:
        for queue in queues:
            try:
                depths[queue] = channel.queue_declare(queue, passive=True).message_count
            except NotFound:  # the broker closed that channel: go on with a new one
                depths[queue] = 0
                channel = connection.channel()
    finally:
        channel.close()
    return depths
