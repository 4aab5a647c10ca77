"""`@command`: the RPC entrypoint of every service method that changes state.

    class BookingsService:
        @command
        def add_child(self, family_id, data): ...      # instead of @rpc

On top of nameko's `@rpc` it reads what the gateway puts in the call's context data:
- `deadline` (epoch milliseconds, the gateway's RPC timeout): a request still waiting in the
  queue when its caller already gave up (told 503) is dropped, answered `Expired`, never run.
  The gateway also publishes it with an AMQP expiration, so the broker drops it first; this
  check covers a request the broker had already handed to this service (prefetched).
- `idempotency_key` and `caller`: the command runs through `shared.idempotency.run_once`, so a
  retry with the same key gets the first answer without a second effect. Both are taken out
  of the context data: they belong to this call, not to calls or events the worker makes.
"""

import functools
import inspect
import logging
import time
from dataclasses import dataclass
from functools import partial

from nameko.exceptions import ContainerBeingKilled, IncorrectSignature, MalformedRequest, deserialize_to_instance
from nameko.rpc import Rpc

from shared import idempotency, spine_settings
from shared.errors import Invalid, ServiceError

log = logging.getLogger(__name__)

DEADLINE = "deadline"  # context data keys (sent as `nameko.<key>` headers)
IDEMPOTENCY_KEY = "idempotency_key"
CALLER = "caller"
ANONYMOUS = "anonymous"
_REQUEST_KWARG = "_cocoon_command"  # how the entrypoint hands the request to the wrapped method


@deserialize_to_instance
class Expired(ServiceError):
    """The caller's deadline passed before the command started: it was not run."""

    status = 503
    code = "unavailable"


def now_ms():
    return int(time.time() * 1000)


def deadline_in(seconds):
    """The deadline to send with a call the caller will wait `seconds` for."""
    return now_ms() + int(seconds * 1000)


def is_expired(deadline, now=None):
    try:
        return deadline is not None and int(deadline) < (now_ms() if now is None else now)
    except (TypeError, ValueError):
        return False  # not a deadline this code understands: run the command rather than lose it


@dataclass(frozen=True)
class CommandRequest:
    caller: str
    key: str
    retention_hours: float


class Command(Rpc):
    """nameko's Rpc entrypoint, plus the deadline check and the idempotency request."""

    def setup(self):
        super().setup()
        self.retention_hours = spine_settings.of(self.container).idempotency_retention_hours

    def check_signature(self, args, kwargs):
        fn = getattr(self.container.service_cls, self.method_name)
        try:  # against the method as written, not the wrapper that takes anything
            inspect.getcallargs(getattr(fn, "__wrapped__", fn), None, *args, **kwargs)
        except TypeError as exc:
            raise IncorrectSignature(str(exc)) from None

    def handle_message(self, body, message):
        # Raising here answers the caller with the error and acks (RpcConsumer.handle_message).
        try:
            args, kwargs = body["args"], body["kwargs"]
        except KeyError:
            raise MalformedRequest("Message missing `args` or `kwargs`") from None
        self.check_signature(args, kwargs)
        context_data = self.unpack_message_headers(message)
        if is_expired(context_data.get(DEADLINE)):
            log.warning(
                "expired command dropped",
                extra={"method": self.method_name, "correlation_id": context_data.get("correlation_id")},
            )
            raise Expired("La demande est arrivée après le délai d'attente : elle n'a pas été exécutée.")
        kwargs = dict(kwargs, **{_REQUEST_KWARG: self._request(context_data)})
        try:
            self.container.spawn_worker(
                self, args, kwargs, context_data=context_data, handle_result=partial(self.handle_result, message)
            )
        except ContainerBeingKilled:
            self.rpc_consumer.requeue_message(message)

    def _request(self, context_data):
        key = context_data.pop(IDEMPOTENCY_KEY, None)
        caller = context_data.pop(CALLER, None) or ANONYMOUS
        if key is None:
            return None
        idempotency.checked_key(key)
        if not idempotency.is_valid_key(caller):
            raise Invalid("Appelant invalide.", {CALLER: ["Identifiant d'appelant invalide."]})
        return CommandRequest(caller, key, self.retention_hours)


def command(fn=None, *, uow_attr="uow"):
    """Declare a state-changing RPC entrypoint (use instead of `@rpc`); see the module doc."""
    if fn is None:
        return partial(command, uow_attr=uow_attr)

    @functools.wraps(fn)
    def entrypoint(self, *args, **kwargs):
        request = kwargs.pop(_REQUEST_KWARG, None)
        if request is None:
            return fn(self, *args, **kwargs)
        database = getattr(self, uow_attr).database
        digest = idempotency.fingerprint([fn.__name__, args, kwargs])
        return idempotency.run_once(
            idempotency.idempotency_model(database),
            request.caller,
            request.key,
            fn.__name__,
            digest,
            lambda: fn(self, *args, **kwargs),
            retention_hours=request.retention_hours,
        )

    return Command.decorator(entrypoint)
