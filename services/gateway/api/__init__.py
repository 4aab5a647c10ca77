"""The JSON API, v1 (docs/api.md). Views stay thin: check the caller, call a service by RPC."""

from flask import Blueprint, current_app, g, jsonify

from services.gateway.retries import caller
from shared import commands

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def services():
    """The RPC proxy for this request, carrying its correlation id, and its Idempotency-Key with
    the caller it belongs to (the signed-in account, else anonymous: a sign-up)."""
    return current_app.extensions["rpc_pool"].cluster(g.correlation_id, command_context())


def command_context():
    key = g.get("idempotency_key")
    if key is None:
        return {}
    return {commands.IDEMPOTENCY_KEY: key, commands.CALLER: caller()}


def created(body):
    return jsonify(body), 201


# The route modules register themselves on `bp` when imported.
from services.gateway.api import (  # noqa: F401
    accounts,
    calendar,
    calendar_link,
    childcare,
    contracts,
    education,
    families,
    notifications,
    placements,
    volunteers,
)
