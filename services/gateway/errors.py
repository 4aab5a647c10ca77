"""The API's one error shape: {"error": {"code", "message", "fields"}}; never a stack trace.
On the pages (paths outside the API) the same errors are French HTML (error_pages)."""

import logging

from amqp.exceptions import AMQPError
from flask import jsonify, make_response
from kombu.exceptions import OperationalError
from nameko.exceptions import RemoteError, RpcTimeout, UnknownService
from werkzeug.exceptions import HTTPException

from services.gateway import error_pages
from shared.db import CONNECTION_ERRORS
from shared.errors import ServiceError, Unavailable

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status, code, message, fields=None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def error_response(status, code, message, fields=None, headers=None):
    if error_pages.is_page():
        response = make_response(error_pages.page(status, message))
    else:
        response = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
        response.status_code = status
    response.headers.extend(headers or {})
    return response


DATABASE_ERROR_NAMES = {error.__name__ for error in CONNECTION_ERRORS}
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
    503: "unavailable",
}
HTTP_MESSAGES_FR = {
    400: "Requête invalide.",
    401: "Connectez-vous pour continuer.",
    403: "Vous n'avez pas accès à cette page.",
    404: "Cette adresse n'existe pas.",
    405: "Méthode non permise ici.",
    413: "La requête est trop volumineuse.",
    414: "L'adresse demandée est trop longue.",
    415: "Le corps de la requête doit être du JSON (Content-Type: application/json).",
    429: "Trop de demandes : attendez un instant avant de réessayer.",
    431: "Les en-têtes de la requête sont trop longs.",
}
# Headers an HTTP error keeps in its answer (Allow on a 405, Retry-After on a 429 or a 503).
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def register(app):
    @app.errorhandler(ApiError)
    def _api_error(exc):
        return error_response(exc.status, exc.code, exc.message, exc.fields)

    @app.errorhandler(ServiceError)
    def _service_error(exc):
        return error_response(exc.status, exc.code, exc.message, exc.fields)

    @app.errorhandler(RpcTimeout)
    @app.errorhandler(UnknownService)
    @app.errorhandler(OperationalError)
    @app.errorhandler(AMQPError)
    @app.errorhandler(ConnectionError)
    def _unavailable(exc):
        log.warning("service did not answer", extra={"error": repr(exc)})
        return error_response(
            503, "unavailable", "Un service ne répond pas pour le moment ; réessayez dans un instant."
        )

    @app.errorhandler(HTTPException)
    def _http(exc):
        headers = [(name, value) for name, value in exc.get_headers() if name in KEPT_HEADERS]
        message = HTTP_MESSAGES_FR.get(exc.code, "La requête n'a pas pu aboutir.")
        return error_response(exc.code, HTTP_CODES.get(exc.code, "error"), message, headers=headers)

    def _database_unavailable(exc):
        log.warning("database unavailable", extra={"error": repr(exc)})
        return error_response(Unavailable.status, Unavailable.code, Unavailable.default_message)

    for database_error in CONNECTION_ERRORS:  # the gateway's own database (peewee's, not kombu's OperationalError)
        app.register_error_handler(database_error, _database_unavailable)

    @app.errorhandler(Exception)
    def _unexpected(exc):
        log.exception("unexpected error")
        return error_response(500, "internal", "Une erreur inattendue s'est produite ; l'équipe a été prévenue.")

    @app.errorhandler(RemoteError)
    def _remote(exc):
        if exc.exc_type in DATABASE_ERROR_NAMES:  # a service that does not answer Unavailable yet
            return _database_unavailable(exc)
        return _unexpected(exc)
