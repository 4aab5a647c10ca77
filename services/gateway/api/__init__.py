"""The JSON API, v1 (docs/api.md). Views stay thin: check the caller, call a service by RPC."""

from flask import Blueprint, jsonify

from services.gateway.service_calls import services  # noqa: F401 (the route modules import it from here)

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def created(body):
    return jsonify(body), 201


# The route modules register themselves on `bp` when imported.
from services.gateway.api import (  # noqa: F401
    absences,
    account_access,
    accounts,
    audit,
    billing,
    calendar,
    calendar_link,
    childcare,
    children,
    contracts,
    corrections,
    education,
    enrolment_contracts,
    erasure,
    evaluations,
    families,
    immersions,
    insights,
    notifications,
    outcomes,
    personal_data,
    placements,
    signatures,
    team,
    training_reports,
    volunteers,
)
