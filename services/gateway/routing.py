"""Declaring an API route once: Flask routing, who may call it, JSON body validation, the query
parameters it reads, and its OpenAPI entry (all from the same `api_route(...)` declaration)."""

from dataclasses import dataclass, field
from functools import wraps

from flask import g, request
from marshmallow import ValidationError, fields
from werkzeug.exceptions import BadRequest

from services.gateway import access, auth, request_checks
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
    content_type: str = "application/json"
    prefix: str = "/api/v1"  # the blueprint's url_prefix: the path as served
    upload: tuple = ()  # the media types of a file sent as the raw body (instead of a JSON body)


ROUTES = []


def api_route(
    bp,
    path,
    method,
    summary,
    *,
    roles,
    body=None,
    response=None,
    status=200,
    many=False,
    query=None,
    tag=None,
    content_type="application/json",
    upload=(),
):
    """Register a view on the blueprint and remember what it takes and answers, for /api/openapi.json.

    `roles` (required, so that a route open to anyone says so): auth.PUBLIC, auth.SIGNED_IN or a
    tuple of roles. It is both enforced (401/403 before the view runs) and documented.
    `many`: the answer is a list of `response`. `query`: the schema of the query parameters; the
    view then takes them as its `query` argument, so it reads no parameter the document omits.
    `content_type`: what a success answers when it is not JSON ("application/pdf": a file).
    `upload`: the media types of a file the route takes as its raw body (documented as binary).
    """
    roles = _checked_roles(path, roles)

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            g.place_roles = roles  # for the views acting as staff or as a person (people.as_staff)
            auth.check_access(roles)
            _check_path(kwargs)
            if query is not None:
                kwargs["query"] = query_parameters(query)
            if body is not None and request.get_data():  # an optional body left out is the view's to judge
                request_checks.check_dates(body, json_body())
            return view(*args, **kwargs)

        ROUTES.append(
            RouteDoc(
                path,
                method,
                summary,
                roles,
                body,
                response,
                status,
                many,
                query,
                [tag] if tag else [],
                content_type,
                bp.url_prefix or "",
                tuple(upload),
            )
        )
        bp.add_url_rule(path, endpoint=view.__name__, view_func=guarded, methods=[method])
        return guarded

    return decorator


def _checked_roles(path, roles):
    roles = tuple(roles)
    unknown = [role for role in roles if role not in access.KNOWN]
    if unknown:
        raise ValueError(
            f"route {path}: unknown roles {unknown} (roles are {access.KNOWN}; or auth.PUBLIC, auth.SIGNED_IN)"
        )
    return roles


def _check_path(values):
    """An id or a month holding a control character names nothing: 404 before a database refuses it."""
    if any(request_checks.NOT_IN_AN_ID.search(value) for value in values.values() if isinstance(value, str)):
        raise ApiError(404, "not_found", "Cette adresse n'existe pas.")


def query_parameters(schema):
    """The query parameters `schema` declares that the request gives (non-empty), as strings: the
    service validates them, once the gateway has refused what would make it fail (request_checks).
    Others are ignored."""
    parameters, given = {}, request.args
    for declared in request_checks.instance(schema).fields.values():
        name = declared.data_key or declared.name
        if name in given and given[name]:  # `in` first: a missing key makes the MultiDict build an HTTP exception
            parameters[name] = _query_value(given[name], declared)
    request_checks.check_text(parameters)
    request_checks.check_dates(schema, parameters)
    return parameters


def _query_value(raw, declared):
    if isinstance(declared, fields.DateTime) and not isinstance(declared, fields.Date):
        return raw.replace(" ", "+")  # an offset typed unencoded in a URL ("+01:00") arrives as a space
    return raw


def json_body():
    """The request's JSON object; 415 when it is not sent as application/json, 400 when the body is
    not JSON or is nested too deep, 422 when it is not an object or holds text that cannot be stored."""
    if not request.is_json:
        raise ApiError(
            415,
            "unsupported_media_type",
            "Le corps de la requête doit être du JSON envoyé avec l'en-tête Content-Type: application/json.",
        )
    try:
        data = request.get_json(silent=False)
    except BadRequest:
        raise ApiError(400, "bad_request", "Le corps de la requête n'est pas du JSON valide.") from None
    except RecursionError:  # the parser gave up long before the end: far deeper than MAX_DEPTH
        raise ApiError(400, "bad_request", request_checks.TOO_DEEP) from None
    request_checks.check_body(data)
    if not isinstance(data, dict):
        raise ApiError(
            422,
            "validation_failed",
            "Le corps de la requête doit être un objet JSON.",
            {"_schema": ["Objet JSON attendu."]},
        )
    return data


def validated(schema, data):
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise ApiError(422, "validation_failed", "Certains champs ne sont pas valides.", exc.messages) from None
