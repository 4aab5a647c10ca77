"""The erasure of an account's person (services/gateway/erasures.py, docs/privacy.md): staff start
it, then follow it until every service answered. Any staff account may for now: the director's
role takes it over with the staff roles."""

from flask import jsonify
from marshmallow import Schema, fields

from services.gateway import auth, erasures
from services.gateway.api import bp
from services.gateway.routing import api_route


class ErasureOut(Schema):
    erasure_id = fields.String()
    account_id = fields.String()
    status = fields.String(metadata={"description": "pending (des services n'ont pas encore répondu) ou complete."})
    requested_at = fields.String(metadata={"description": "Date et heure de la demande (ISO 8601)."})
    completed_at = fields.String(allow_none=True, metadata={"description": "Quand le dernier service a répondu."})
    services = fields.Dict(
        keys=fields.String(),
        values=fields.String(allow_none=True),
        metadata={"description": "Par service : quand il a effacé (ISO 8601), null sans réponse encore."},
    )


@api_route(
    bp,
    "/accounts/<account_id>/erase",
    "POST",
    "Effacer les données d'une personne (RGPD art. 17) : refusé tant qu'une facture est impayée ou qu'une "
    "obligation de conservation s'applique (motif donné)",
    roles=("director",),
    response=ErasureOut,
    status=202,
    tag="comptes",
)
def erase_account(account_id):
    return jsonify(ErasureOut().dump(erasures.request(account_id, auth.current_account()))), 202


@api_route(
    bp,
    "/accounts/<account_id>/erasure",
    "GET",
    "Où en est l'effacement des données d'une personne (terminé quand chaque service a répondu)",
    roles=("director",),
    response=ErasureOut,
    tag="comptes",
)
def account_erasure(account_id):
    return jsonify(ErasureOut().dump(erasures.status(account_id)))
