"""The JSON API, v1 (api-contract.md). Views stay thin: check the caller, call a service by RPC."""
from flask import Blueprint, current_app, g, jsonify

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def services():
    """The RPC proxy for this request, carrying its correlation id."""
    return current_app.extensions["rpc_pool"].cluster(g.correlation_id)


def created(body):
    return jsonify(body), 201


# The route modules register themselves on `bp` when imported.
from services.gateway.api import accounts, calendar, childcare, volunteers  # noqa: E402,F401
