"""Publishing one message at a time on a kept connection, with publisher confirms, mandatory
routing and a deadline for the confirm, in nameko's wire format (JSON body, `nameko.*` headers).

nameko's own dispatcher publishes `mandatory=False`, so an event no queue is bound for vanishes;
here the broker returns it (basic.return, which arrives before the confirm) and `publish` says so.
"""

import logging

import amqp.exceptions
from kombu import Connection, Producer
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)

# The connection itself failed (refused, reset, closed by the broker, or no confirm within the
# deadline: a socket timeout): nothing more can go out on it. A refusal of one message (a channel
# error such as an exchange declared with another type, a nack) is not one of these.
CONNECTION_FAILURES = (OSError, amqp.exceptions.ConnectionError, OperationalError)


class ConfirmedPublisher:
    def __init__(self, amqp_uri, confirm_timeout=10.0, connect_timeout=5.0):
        self.amqp_uri = amqp_uri
        self.confirm_timeout = confirm_timeout
        self.connect_timeout = connect_timeout
        self._connection = None
        self._producer = None
        self._returned = set()

    def _on_return(self, exception, exchange, routing_key, message):
        self._returned.add(message.properties.get("message_id"))

    def connect(self):
        """Open the kept connection when there is none; raises one of CONNECTION_FAILURES if the
        broker cannot be reached (one try, `connect_timeout` seconds)."""
        if self._producer is None:
            connection = Connection(
                self.amqp_uri, transport_options={"confirm_publish": True}, connect_timeout=self.connect_timeout
            )
            try:
                connection.ensure_connection(max_retries=1)
                producer = Producer(connection.channel(), on_return=self._on_return)
            except Exception:
                connection.collect()
                raise
            self._connection, self._producer = connection, producer
        return self._producer

    def publish(self, body, exchange, routing_key, headers, message_id):
        """True once the broker confirmed a routed message, False when it returned it unroutable.

        Raises when the broker refused it (nack, channel error) or when the connection failed or
        no confirm came within `confirm_timeout` seconds (then the message may or may not have
        been routed: the caller publishes it again later, consumers absorb the duplicate). After
        any failure the connection is dropped; the next publish opens a new one."""
        producer = self.connect()
        try:
            # `timeout` bounds the write, `confirm_timeout` the wait for basic.ack/nack (py-amqp
            # Channel.basic_publish_confirm); both reach py-amqp through kombu's Producer.publish.
            producer.publish(
                body,
                exchange=exchange,
                routing_key=routing_key,
                headers=headers,
                message_id=message_id,
                mandatory=True,
                delivery_mode=2,
                serializer="json",
                declare=[exchange],
                retry=False,
                timeout=self.confirm_timeout,
                confirm_timeout=self.confirm_timeout,
            )
        except Exception:
            self.discard()
            raise
        if message_id in self._returned:
            self._returned.discard(message_id)
            return False
        return True

    def discard(self):
        """Drop the connection without the closing handshake: after a timeout the broker may not
        answer it, and waiting for its close-ok would block the relay."""
        if self._connection is not None:
            try:
                self._connection.collect()
            except Exception:  # already broken: nothing more to free
                log.debug("dropping the relay's connection failed", exc_info=True)
        self._connection = self._producer = None
        self._returned.clear()

    def close(self):
        """Close the connection politely (the relay stops)."""
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # already broken: nothing more to release
                log.debug("closing the relay's connection failed", exc_info=True)
        self._connection = self._producer = None
        self._returned.clear()
