"""Declaring an API route once: Flask routing, JSON body validation and its OpenAPI entry."""
from dataclasses import dataclass, field

from flask import request
from marshmallow import ValidationError
from werkzeug.exceptions import BadRequest

from services.gateway.errors import ApiError


@dataclass
class RouteDoc:
    path: str
    method: str
    summary: str
    roles: tuple = ()
    body: type = None
    response: type = None
    status: int = 200
    many: bool = False
    query: type = None
    tags: list = field(default_factory=list)


ROUTES = []


def api_route(bp, path, method, summary, roles=(), body=None, response=None, status=200, many=False, query=None, tag=None):
    """Register a view on the blueprint and remember what it takes and answers, for /api/openapi.json."""
    def decorator(view):
        ROUTES.append(RouteDoc(path, method, summary, roles, body, response, status, many, query,
                               [tag] if tag else []))
        bp.add_url_rule(path, endpoint=view.__name__, view_func=view, methods=[method])
        return view
    return decorator


def json_body():
    """The request's JSON object; 400 when the body is not JSON, 422 when it is not an object."""
    try:
        data = request.get_json(force=True, silent=False)
    except BadRequest:
        raise ApiError(400, "bad_request", "Le corps de la requête n'est pas du JSON valide.") from None
    if not isinstance(data, dict):
        raise ApiError(422, "validation_failed", "Le corps de la requête doit être un objet JSON.",
                       {"_schema": ["Objet JSON attendu."]})
    return data


def validated(schema, data):
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise ApiError(422, "validation_failed", "Certains champs ne sont pas valides.", exc.messages) from None
