"""The pilot's bilan (insights service): the indicators of a period, exact, for the staff who
report to the CAF and France Travail (the CSV and PDF that leave the venue mask small counts:
services/gateway/bilan.py)."""

from flask import jsonify

from services.gateway import bilan
from services.gateway.api import bp, services
from services.gateway.routing import api_route


@api_route(
    bp,
    "/insights/summary",
    "GET",
    "Le bilan de l'expérimentation sur une période (paramètres from, to) : chaque indicateur et sa définition, "
    "le parcours de l'immersion à l'embauche (422 : date mal écrite, fin avant le début)",
    roles=("director", "coordinator"),
    query=bilan.PeriodQuery,
    response=bilan.SummaryOut,
    tag="bilan",
)
def insights_summary(query):
    start, end = bilan.period(query)
    with services() as rpc:
        return jsonify(bilan.summary(rpc, start, end))
