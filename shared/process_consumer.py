"""One broker connection consuming for every service of a process that runs several of them.

nameko 2.14 gives each service container its own consumer: one AMQP connection and one greenthread
per container, whatever else the process runs. The one-process packaging (shared/run_services.py,
every nameko service in one process) would keep seven consumer connections open where one does the
work; `share()` (called by the runner before it creates the containers) makes every container's
consumer (shared/broker_loss.py's SturdyQueueConsumer) hand its queues to one `ProcessConsumer`
per broker address instead. Each service keeps its own queues, its own prefetch (its
max_workers) and its own workers: only the connection, its channel and the greenthread reading
it are shared.

What stays as nameko does it, per container: `start()` returns once the container's queues are
consumed; `stop()` returns once its providers have unregistered (each consumer cancelled) and, for
the last container, once the connection is closed; a lost connection is reopened and every queue
consumed again. What differs: a container starting after another adds its queues to the running
connection at the next turn of its loop (within SAFETY_INTERVAL), and a
container killed while others run has its consumers cancelled without waiting, its unacked
messages staying with the connection until the process ends (the runner ends it: a killed
container stops the process, shared/run_service.py). An unexpected error ending the loop kills
every container using it, as nameko kills the container of a consumer thread that died.

Without `share()` (one service per process, the split packaging, the tests) nothing here is used.
"""

import logging

import eventlet
from eventlet.event import Event
from kombu.mixins import ConsumerMixin

log = logging.getLogger(__name__)

_sharing = False
_consumers = {}  # connection key -> the running ProcessConsumer

# How long the consumer's loop waits for a frame before it looks at what to add or cancel (kombu's
# `safety_interval`, 1 s by default): a container's start and stop each wait for a turn or two of
# it. 0.3 s keeps a service's stop as quick as with its three consumers of before, and wakes the
# process about 3 times a second when idle, as those three did (their 1 s each).
SAFETY_INTERVAL = 0.3


def share(enabled=True):
    """Make the containers created from now on share one consumer connection per broker address."""
    global _sharing
    _sharing = enabled


def sharing():
    return _sharing


def connection_key(connection):
    """What makes two consumers' connections interchangeable: address, credentials, options."""
    return (
        connection.as_uri(include_password=True),
        connection.heartbeat,
        repr(sorted((connection.transport_options or {}).items())),
        repr(connection.ssl),
        connection.login_method,
    )


def for_consumer(queue_consumer):
    """The ProcessConsumer a container's queue consumer joins (made, not started, when none runs)."""
    connection = queue_consumer.connection
    key = connection_key(connection)
    shared = _consumers.get(key)
    if shared is None or shared.closing:
        shared = _consumers[key] = ProcessConsumer(key, connection)
    return shared


class ProcessConsumer(ConsumerMixin):
    """The consumers of several containers on one connection and one channel, read by one greenthread.

    `wanted` ({provider: its container's queue consumer}) is what should be consumed; `consumers`
    ({provider: kombu Consumer}) what is, on the current channel. The loop makes the second follow
    the first at every turn (`on_iteration`) and after every (re)connection (`get_consumers`)."""

    def __init__(self, key, connection):
        self.key = key
        self._connection = connection
        self.registered = {}  # provider -> its container's queue consumer
        self.started = set()  # the queue consumers whose container started: their providers are wanted
        self.wanted = {}
        self.consumers = {}
        self.members = {}  # a container's queue consumer -> the Event sent once its queues are consumed
        self._removed = {}  # provider -> Event sent once its consumer is cancelled
        self.consumer_class = None  # kombu's Consumer bound to the current channel (get_consumers)
        self.gt = None
        self.closing = False
        self.should_stop = False

    @property
    def connection(self):
        return self._connection

    def run(self, _tokens=1, **kwargs):
        return super().run(_tokens, safety_interval=SAFETY_INTERVAL, **kwargs)

    # --- what a container's queue consumer calls -----------------------------------------------
    def add(self, member, provider):
        """`provider` (an entrypoint or reply listener of `member`'s container) is consumed from the
        container's start on (nameko's consumer, too, consumes from its start, not its setup)."""
        self.members.setdefault(member, Event())
        self.registered[provider] = member
        if member in self.started:
            self.wanted[provider] = member

    def start(self, member):
        """Start reading (first member), then wait until every provider of `member` is consumed."""
        ready = self.members.setdefault(member, Event())
        self.started.add(member)
        for provider, owner in list(self.registered.items()):
            if owner is member:
                self.wanted[provider] = member
        if self.gt is None:
            self.gt = eventlet.spawn(self.run)
            self.gt.link(self._ended)
        self._mark_ready()
        ready.wait()

    def remove(self, provider, wait=True):
        """Stop consuming for `provider`; with `wait`, return once its consumer is cancelled."""
        self.registered.pop(provider, None)
        self.wanted.pop(provider, None)
        if provider not in self.consumers or self.gt is None or self.gt.dead:
            return
        removed = self._removed.setdefault(provider, Event())
        if wait:
            removed.wait()

    def leave(self, member, kill=False):
        """`member`'s container stops (its providers already removed) or is killed; the last one
        to leave closes the connection."""
        for provider in [p for p, m in self.registered.items() if m is member]:
            self.remove(provider, wait=False)
        self.members.pop(member, None)
        self.started.discard(member)
        if self.members:
            return
        self.closing = True
        if _consumers.get(self.key) is self:
            del _consumers[self.key]
        self.should_stop = True
        if self.gt is not None and not self.gt.dead:
            try:
                self.gt.wait()
            except Exception as exc:  # noqa: BLE001 (stopping or killed: the loop's end is not news)
                log.warning("shared consumer ended with an error while stopping", extra={"error": repr(exc)})

    # --- the loop (kombu's ConsumerMixin) --------------------------------------------------------
    def get_consumers(self, consumer_class, channel):
        """After each (re)connection: a consumer for every wanted provider, on the new channel."""
        self.consumer_class = consumer_class
        self.consumers = {}
        for provider, member in list(self.wanted.items()):
            self.consumers[provider] = self._consumer(provider, member, consume=False)
        for removed in self._removed.values():
            removed.send()
        self._removed.clear()
        return list(self.consumers.values())

    def on_consume_ready(self, connection, channel, consumers, **kwargs):
        self._mark_ready()

    def on_iteration(self):
        for provider in [p for p in self.consumers if p not in self.wanted]:
            consumer = self.consumers.pop(provider)
            log.debug("cancelling consumer %s", provider)
            consumer.cancel()
            removed = self._removed.pop(provider, None)
            if removed is not None:
                removed.send()
        for provider, member in list(self.wanted.items()):
            if provider not in self.consumers and self.wanted.get(provider) is member:
                self.consumers[provider] = self._consumer(provider, member, consume=True)
        self._mark_ready()

    def on_connection_error(self, exc, interval):
        for member in list(self.members):
            member.on_connection_error(exc, interval)
            break  # one line per attempt, as one container's consumer says it

    def _consumer(self, provider, member, consume):
        consumer = self.consumer_class(
            queues=[provider.queue],
            callbacks=[lambda body, message: member.handle_message(provider, body, message)],
            accept=member.accept,
            on_decode_error=member.decode_error_handler(provider),
        )
        consumer.qos(prefetch_count=member.prefetch_count)
        if consume:
            consumer.consume()
        return consumer

    def _mark_ready(self):
        """Tell each started member whose providers are all consumed (a member only set up waits)."""
        for member, ready in list(self.members.items()):
            if ready.ready() or member not in self.started:
                continue
            mine = [p for p, m in self.wanted.items() if m is member]
            if all(p in self.consumers for p in mine) and self.consumer_class is not None:
                ready.send(None)

    def _ended(self, gt):
        """The loop ended: by `leave` (nothing to do), or by an error every container hears of."""
        try:
            gt.wait()
            return
        except Exception as exc:  # noqa: BLE001 (handed to the containers, as nameko would)
            error = exc
        if _consumers.get(self.key) is self:
            del _consumers[self.key]
        self.closing = True
        log.error("shared consumer ended with an error", extra={"error": repr(error)})
        for member, ready in list(self.members.items()):
            if not ready.ready():
                ready.send_exception(error)
            else:
                eventlet.spawn_n(member.container.kill, (type(error), error, error.__traceback__))
