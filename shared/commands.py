"""`@command`: the RPC entrypoint of every service method that changes state.

    class BookingsService:
        @command
        def add_child(self, family_id, data): ...      # instead of @rpc

On top of nameko's `@rpc` it reads what the gateway puts in the call's context data:
- `deadline` (epoch milliseconds, the gateway's RPC timeout): a request still waiting in the
  queue when its caller already gave up (told 503) is dropped, answered `Expired`, never run.
  The gateway also publishes it with an AMQP expiration, so the broker drops it first; this
  check covers a request the broker had already handed to this service (prefetched). A command
  that started in time but is still running at its deadline rolls back at COMMIT instead of
  committing (shared/deadline.py), answered `Expired` too: a 503 always means nothing was done.
- `idempotency_key` and `caller`: the command runs through `shared.idempotency.run_once`, so a
  retry with the same key gets the first answer without a second effect. Both are taken out
  of the context data: they belong to this call, not to calls or events the worker makes.
"""

import functools
import inspect
import logging
from dataclasses import dataclass
from functools import partial

from nameko.exceptions import ContainerBeingKilled, IncorrectSignature, MalformedRequest, deserialize_to_instance

from shared import idempotency, spine_settings
from shared.broker_loss import SturdyRpc
from shared.deadline import DeadlinePassed, deadline_in, is_expired, now_ms, running_until
from shared.errors import Invalid, ServiceError

log = logging.getLogger(__name__)

DEADLINE = "deadline"  # context data keys (sent as `nameko.<key>` headers)
IDEMPOTENCY_KEY = "idempotency_key"
CALLER = "caller"
ANONYMOUS = "anonymous"
_REQUEST_KWARG = "_cocoon_command"  # how the entrypoint hands the request to the wrapped method
__all__ = ["command", "Command", "Expired", "deadline_in", "now_ms", "is_expired"]  # the last three: shared.deadline's


@deserialize_to_instance
class Expired(ServiceError):
    """The caller's deadline passed before the command started (not run), or before it could
    commit (rolled back): nothing changed."""

    status = 503
    code = "unavailable"


@dataclass(frozen=True)
class CommandRequest:
    caller: str
    key: str | None  # None: no Idempotency-Key, the command simply runs
    retention_hours: float
    deadline: int | None  # epoch ms, when the caller stops waiting


class Command(SturdyRpc):
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
        deadline = context_data.get(DEADLINE)
        if key is not None:
            idempotency.checked_key(key)
            if not idempotency.is_valid_key(caller):
                raise Invalid("Appelant invalide.", {CALLER: ["Identifiant d'appelant invalide."]})
        return CommandRequest(caller, key, self.retention_hours, deadline)


def command(fn=None, *, uow_attr="uow"):
    """Declare a state-changing RPC entrypoint (use instead of `@rpc`); see the module doc."""
    if fn is None:
        return partial(command, uow_attr=uow_attr)

    @functools.wraps(fn)
    def entrypoint(self, *args, **kwargs):
        request = kwargs.pop(_REQUEST_KWARG, None)
        if request is None:  # called directly (a test's entrypoint_hook): no caller waits on a deadline
            return fn(self, *args, **kwargs)
        try:
            with running_until(request.deadline):  # checked before each COMMIT (shared/transactions.py)
                return _run(self, request, args, kwargs)
        except DeadlinePassed as exc:
            log.warning("command rolled back: its caller had stopped waiting", extra={"method": fn.__name__})
            raise Expired("Le délai d'attente est dépassé : la demande a été annulée, rien n'a changé.") from exc

    def _run(self, request, args, kwargs):
        if request.key is None:
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
