"""Publishing on a kept connection, with publisher confirms, mandatory routing and a deadline
for the confirms, in nameko's wire format (JSON body, `nameko.*` headers).

nameko's own dispatcher publishes `mandatory=False`, so an event no queue is bound for vanishes;
here the broker returns it (basic.return, which arrives before the confirm) and the result says so.

`publish` sends one message and waits for its confirm; `publish_many` sends them all, then waits
once for every confirm (the broker may ack several with one `multiple` ack): one round trip for a
batch instead of one per message. `send` does not wait at all: the caller reads the confirms when
it likes (`read_confirms`) and takes the outcome of each message settled so far (`settled`), so
it can send more meanwhile. The channel is put in confirm mode once; delivery tags count the
messages published on it, as the broker does; `generation` changes when the connection is
dropped, so a caller holding tags knows when they can no longer be settled.
"""

import logging
import time

import amqp.exceptions
from amqp.exceptions import MessageNacked
from kombu import Connection, Producer
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)

# The connection itself failed (refused, reset, closed by the broker, or no confirm within the
# deadline: a socket timeout): nothing more can go out on it. A refusal of one message (a channel
# error such as an exchange declared with another type, a nack) is not one of these.
CONNECTION_FAILURES = (OSError, amqp.exceptions.ConnectionError, OperationalError)


class ConfirmedPublisher:
    def __init__(self, amqp_uri, confirm_timeout=10.0, connect_timeout=5.0, on_connect=None):
        self.amqp_uri = amqp_uri
        self.on_connect = on_connect  # called with each new connection before anything is published on it
        self.confirm_timeout = confirm_timeout
        self.connect_timeout = connect_timeout
        self._connection = None
        self._producer = None
        self._returned = set()
        self._last_tag = 0  # delivery tag of the last message published on the channel
        self._unconfirmed = set()  # their tags, until the broker acks or nacks them
        self._nacked = set()
        self.generation = 0  # one more each time a connection is dropped: what was sent before is lost

    def _on_return(self, exception, exchange, routing_key, message):
        self._returned.add(message.properties.get("message_id"))

    def _on_confirm(self, nacked):
        def settle(delivery_tag, multiple):
            tags = {t for t in self._unconfirmed if t <= delivery_tag} if multiple else {delivery_tag}
            self._unconfirmed -= tags
            if nacked:
                self._nacked |= tags

        return settle

    def connect(self):
        """Open the kept connection when there is none; raises one of CONNECTION_FAILURES if the
        broker cannot be reached (one try, `connect_timeout` seconds)."""
        if self._producer is None:
            # Not kombu's `confirm_publish` transport option: py-amqp would then wait for each
            # message's confirm inside basic_publish. Confirm mode is selected here instead.
            connection = Connection(self.amqp_uri, connect_timeout=self.connect_timeout)
            try:
                connection.ensure_connection(max_retries=1)
                if self.on_connect:
                    self.on_connect(connection)
                channel = connection.channel()
                channel.events["basic_ack"].add(self._on_confirm(nacked=False))
                channel.events["basic_nack"].add(self._on_confirm(nacked=True))
                channel.confirm_select()
                producer = Producer(channel, on_return=self._on_return)
            except Exception:
                connection.collect()
                raise
            self._connection, self._producer = connection, producer
            self._last_tag = 0
        return self._producer

    def publish(self, body, exchange, routing_key, headers, message_id):
        """True once the broker confirmed a routed message, False when it returned it unroutable.

        Raises when the broker refused it (nack, channel error) or when the connection failed or
        no confirm came within `confirm_timeout` seconds (then the message may or may not have
        been routed: the caller publishes it again later, consumers absorb the duplicate). After
        any failure the connection is dropped; the next publish opens a new one."""
        outcome = self.publish_many(
            [dict(body=body, exchange=exchange, routing_key=routing_key, headers=headers, message_id=message_id)]
        )[0]
        if isinstance(outcome, Exception):
            self.discard()
            raise outcome
        return outcome

    def publish_many(self, messages):
        """Publish every message (dicts of `publish`'s arguments), then wait once for all their
        confirms. One outcome per message, in order: True (routed), False (returned unroutable)
        or a MessageNacked instance. Raises as `publish` does when the connection fails, no
        confirm comes within `confirm_timeout`, or the channel refuses a message (then none of
        the outcomes is known: the caller publishes them again, one by one)."""
        tags = self.send(messages)
        try:
            self._await_confirms(set(tags))
        except Exception:
            self.discard()
            raise
        return [self._outcome(tag, message["message_id"]) for tag, message in zip(tags, messages, strict=True)]

    def send(self, messages):
        """Publish every message without waiting for a confirm; their delivery tags, in order.
        Raises as `publish_many` does when the connection fails or the channel refuses one (then
        the connection is dropped, and nothing sent on it will be settled)."""
        producer = self.connect()
        try:
            tags = []
            for message in messages:
                self._send(producer, **message)
                self._last_tag += 1
                self._unconfirmed.add(self._last_tag)
                tags.append(self._last_tag)
        except Exception:
            self.discard()
            raise
        return tags

    def read_confirms(self, timeout):
        """Read what the broker sends (acks, nacks, returns) until one arrives or `timeout`
        seconds pass. Raises one of CONNECTION_FAILURES when the connection fails (it is dropped)."""
        if self._connection is None:
            return
        try:
            self._connection.drain_events(timeout=timeout)
        except TimeoutError:  # socket.timeout: nothing came
            return
        except Exception:
            self.discard()
            raise

    def settled(self, message_ids, generation):
        """{tag: outcome} for those of `message_ids` ({delivery tag: message id}, sent on the
        connection of that `generation`) the broker has settled, each as `publish_many` gives it.
        An outcome is given once: ask only for the tags not given yet. ConnectionError when that
        connection is gone: the outcomes of what was sent on it will never be known."""
        if generation != self.generation or self._connection is None:
            raise ConnectionError("the connection these messages were sent on is gone")
        return {
            tag: self._outcome(tag, message_id)
            for tag, message_id in message_ids.items()
            if tag not in self._unconfirmed
        }

    def _outcome(self, tag, message_id):
        if tag in self._nacked:
            self._nacked.discard(tag)
            return MessageNacked(f"the broker refused message {message_id}")
        if message_id in self._returned:
            self._returned.discard(message_id)
            return False
        return True

    def _send(self, producer, body, exchange, routing_key, headers, message_id):
        # `timeout` bounds the write; the confirms are awaited afterwards (_await_confirms).
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
        )

    def _await_confirms(self, tags):
        """Read from the broker until every tag is acked or nacked (returns come before the acks);
        TimeoutError after `confirm_timeout` seconds."""
        deadline = time.monotonic() + self.confirm_timeout
        while tags & self._unconfirmed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no confirm from the broker within {self.confirm_timeout} s")
            self._connection.drain_events(timeout=remaining)

    def discard(self):
        """Drop the connection without the closing handshake: after a timeout the broker may not
        answer it, and waiting for its close-ok would block the relay."""
        if self._connection is not None:
            try:
                self._connection.collect()
            except Exception:  # already broken: nothing more to free
                log.debug("dropping the relay's connection failed", exc_info=True)
        self._forget_connection()

    def close(self):
        """Close the connection politely (the relay stops)."""
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # already broken: nothing more to release
                log.debug("closing the relay's connection failed", exc_info=True)
        self._forget_connection()

    def _forget_connection(self):
        """No connection any more, and nothing awaited from the one that was."""
        if self._connection is not None:
            self.generation += 1
        self._connection = self._producer = None
        self._returned.clear()
        self._unconfirmed.clear()
        self._nacked.clear()
