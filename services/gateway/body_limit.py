"""The request-size limit: a body above MAX_CONTENT_LENGTH (COCOON_MAX_REQUEST_BYTES, 1 MiB by
default) is answered 413 before any of it is read, whoever sends it, signed in or not.

Flask already refuses such a body when a view reads it; checking the declared Content-Length
first means no hook or view (the CSRF check reads the form) ever starts on it. A body sent
without a length (chunked) is read by Werkzeug no further than the same limit: cut there, it is
refused as invalid (400) or too large (413).

A view that takes a file (an absence certificate) declares its own limit with `takes_file`: the
file's size, plus room for a multipart form around it.
"""

from flask import current_app, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import RequestEntityTooLarge

from services.gateway.errors import error_response

API_PREFIXES = ("/api/", "/calendar/")
FORM_ALLOWANCE = 64 * 1024  # a multipart form's boundaries, headers and other fields around the file


def takes_file(file_bytes):
    """Marks a view (under its route decorator) as taking a file of at most `file_bytes`: its
    body may be that large, plus FORM_ALLOWANCE."""

    def decorator(view):
        view.takes_file_bytes = file_bytes
        return view

    return decorator


def body_limit(app):
    """The limit of this request's body: the view's, when it takes a file, else the app's."""
    view = app.view_functions.get(request.endpoint)
    file_bytes = getattr(view, "takes_file_bytes", None)
    return (file_bytes + FORM_ALLOWANCE) if file_bytes else app.config["MAX_CONTENT_LENGTH"]


def init_app(app):
    """Call before any other before_request hook is registered (web.init_app's CSRF check)."""

    @app.before_request
    def _refuse_large_bodies():
        limit = body_limit(app)
        request.max_content_length = limit  # also what Werkzeug reads at most of a body sent without a length
        if (request.content_length or 0) > limit:
            raise RequestEntityTooLarge()

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc):
        file_bytes = getattr(current_app.view_functions.get(request.endpoint), "takes_file_bytes", None)
        limit = _size(file_bytes or app.config["MAX_CONTENT_LENGTH"])
        if request.path.startswith(API_PREFIXES):
            message = f"Le corps de la requête dépasse la taille permise ({limit})."
            if file_bytes:
                message = f"Le fichier dépasse la taille permise ({limit}) : envoyez une photo ou un PDF plus léger."
            return error_response(413, "payload_too_large", message)
        title = gettext("Envoi trop volumineux")
        message = gettext("Ce que vous avez envoyé dépasse %(limit)s : rien n'a été enregistré.", limit=limit)
        if file_bytes:
            message = gettext(
                "Le fichier dépasse %(limit)s : rien n'a été enregistré. Reprenez la photo en qualité normale, "
                "ou envoyez un PDF plus léger.",
                limit=limit,
            )
        return render_template("web/error.html", title=title, message=message), 413


def _size(count):
    """« 1 Mio », « 512 kio », « 300 octets »."""
    for unit, size in (("Mio", 1024 * 1024), ("kio", 1024)):
        if count >= size and count % size == 0:
            return f"{count // size} {unit}"
    return f"{count} octets"
