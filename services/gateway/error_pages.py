"""Errors on the pages (every path outside the API) as French HTML, not the API's JSON."""

import logging

from flask import has_request_context, render_template, request
from flask_babel import gettext
from markupsafe import escape

log = logging.getLogger(__name__)

# What machines call: JSON errors. Everything else is a page a person reads.
MACHINE_PREFIXES = ("/api/", "/calendar/", "/healthz", "/readyz", "/metrics")


def is_page():
    return has_request_context() and not request.path.startswith(MACHINE_PREFIXES)


def title_of(status):
    titles = {
        400: gettext("Demande invalide"),
        401: gettext("Connexion nécessaire"),
        403: gettext("Accès refusé"),
        404: gettext("Page introuvable"),
        405: gettext("Demande impossible"),
        409: gettext("Demande impossible"),
        413: gettext("Envoi trop volumineux"),
        415: gettext("Demande invalide"),
        422: gettext("Demande impossible"),
        429: gettext("Trop de demandes"),
        503: gettext("Service momentanément indisponible"),
    }
    return titles.get(status, gettext("Erreur inattendue"))


def page(status, message):
    """The error page, or (when even the page cannot be drawn) the same words in bare HTML."""
    title = title_of(status)
    try:
        return render_template("web/error.html", title=title, message=message), status
    except Exception:
        log.exception("error page could not be drawn")
        title, message = escape(title), escape(message)
        return f'<!doctype html><html lang="fr"><title>{title}</title><h1>{title}</h1><p>{message}</p>', status
