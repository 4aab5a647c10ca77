"""The audit trail, read by staff (GET /api/v1/audit): services/gateway/audit.py writes it."""

from services.gateway import audit
from services.gateway.api import bp
from services.gateway.audit import AuditEntryOut, AuditQuery
from services.gateway.pagination import page_response
from services.gateway.routing import api_route, validated


@api_route(
    bp,
    "/audit",
    "GET",
    "Le journal des actions : connexions, comptes et écritures de l'équipe",
    roles=("director",),
    query=AuditQuery,
    response=AuditEntryOut,
    many=True,
    tag="comptes",
)
def audit_trail(query):
    found = audit.read(validated(AuditQuery(), query))
    return page_response(found, query)
