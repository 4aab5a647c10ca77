"""Volunteers: the activities open to them (volunteers service)."""

from flask import jsonify

from services.gateway import auth
from services.gateway.api import bp, services
from services.gateway.routing import api_route


@api_route(
    bp,
    "/opportunities",
    "GET",
    "Activités ouvertes aux bénévoles, les plus adaptées d'abord",
    roles=("volunteer",),
    many=True,
    tag="bénévoles",
)
def list_opportunities():
    with services() as rpc:
        return jsonify(rpc.volunteers.list_opportunities(auth.current_account().subject_id))
