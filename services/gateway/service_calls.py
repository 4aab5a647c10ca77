"""Calling the services by RPC from a request, for the JSON API and the pages alike."""

from flask import current_app, g

from services.gateway.retries import caller
from shared import commands


def services():
    """The RPC proxy for this request, carrying its correlation id, and its Idempotency-Key with
    the caller it belongs to (the signed-in account, else anonymous: a sign-up)."""
    return current_app.extensions["rpc_pool"].cluster(g.correlation_id, command_context())


def command_context():
    key = g.get("idempotency_key")
    if key is None:
        return {}
    return {commands.IDEMPOTENCY_KEY: key, commands.CALLER: caller()}
