"""Volunteers: the activities open to them (volunteers service)."""

from services.gateway import auth
from services.gateway.api import bp, services
from services.gateway.pagination import page_response
from services.gateway.routing import api_route
from services.volunteers.schemas import OpportunityQuery


@api_route(
    bp,
    "/opportunities",
    "GET",
    "Activités ouvertes aux bénévoles, les plus adaptées d'abord (paramètres limit, cursor)",
    roles=("volunteer",),
    many=True,
    query=OpportunityQuery,
    tag="bénévoles",
)
def list_opportunities(query):
    with services() as rpc:
        return page_response(rpc.volunteers.list_opportunities(auth.current_account().subject_id, query), query)
