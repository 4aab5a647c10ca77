"""Outcomes on a person's path: what happened next (a training, a placement, a hire, a job, back
to work), recorded by staff on the person's account (services/gateway/outcomes.py)."""

from services.gateway import auth, outcomes
from services.gateway.api import bp, created
from services.gateway.pagination import page_response
from services.gateway.routing import api_route, json_body, validated
from services.placements.schemas import OutcomeIn, OutcomeOut
from shared.pagination import PageQuery


@api_route(
    bp,
    "/accounts/<account_id>/outcomes",
    "POST",
    "Noter la suite du parcours d'une personne (formation, stage, embauche, emploi, reprise d'activité)",
    roles=("coordinator",),
    body=OutcomeIn,
    response=OutcomeOut,
    status=201,
    tag="parcours",
)
def record_outcome(account_id):
    data = validated(OutcomeIn(), json_body())
    return created(outcomes.record(account_id, OutcomeIn().dump(data), auth.current_account()))


@api_route(
    bp,
    "/accounts/<account_id>/outcomes",
    "GET",
    "La suite du parcours d'une personne, la plus ancienne d'abord (limit, cursor)",
    roles=("coordinator",),
    many=True,
    query=PageQuery,
    response=OutcomeOut,
    tag="parcours",
)
def list_outcomes(account_id, query):
    return page_response(outcomes.page_of(account_id, query), query)
