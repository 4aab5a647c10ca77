"""The request-size limit: a body above MAX_CONTENT_LENGTH (COCOON_MAX_REQUEST_BYTES, 1 MiB by
default) is answered 413 before any of it is read, whoever sends it, signed in or not.

Flask already refuses such a body when a view reads it; checking the declared Content-Length
first means no hook or view (the CSRF check reads the form) ever starts on it. A body sent
without a length (chunked) is read by Werkzeug no further than the same limit: cut there, it is
refused as invalid (400) or too large (413).
"""

from flask import render_template, request
from flask_babel import gettext
from werkzeug.exceptions import RequestEntityTooLarge

from services.gateway.errors import error_response

API_PREFIXES = ("/api/", "/calendar/")


def init_app(app):
    """Call before any other before_request hook is registered (web.init_app's CSRF check)."""

    @app.before_request
    def _refuse_large_bodies():
        if (request.content_length or 0) > app.config["MAX_CONTENT_LENGTH"]:
            raise RequestEntityTooLarge()

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc):
        limit = _size(app.config["MAX_CONTENT_LENGTH"])
        if request.path.startswith(API_PREFIXES):
            message = f"Le corps de la requête dépasse la taille permise ({limit})."
            return error_response(413, "payload_too_large", message)
        title = gettext("Envoi trop volumineux")
        message = gettext("Ce que vous avez envoyé dépasse %(limit)s : rien n'a été enregistré.", limit=limit)
        return render_template("web/error.html", title=title, message=message), 413


def _size(count):
    """« 1 Mio », « 512 kio », « 300 octets »."""
    for unit, size in (("Mio", 1024 * 1024), ("kio", 1024)):
        if count >= size and count % size == 0:
            return f"{count // size} {unit}"
    return f"{count} octets"
