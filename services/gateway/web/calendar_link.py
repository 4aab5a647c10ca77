"""« Mon agenda »: the personal calendar link of any signed-in person, to copy into a calendar
app, and its reset (services/gateway/calendar_link.py; the same as the JSON API's)."""

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from services.gateway import calendar_link
from services.gateway.access import SIGNED_IN
from services.gateway.web import register_page_hooks
from services.gateway.web.guards import requires

bp = Blueprint("calendar_link", __name__, url_prefix="/agenda")
register_page_hooks(bp)


@bp.get("/")
@requires(*SIGNED_IN)
def show():
    return render_template("web/calendar_link.html", url=calendar_link.url_of(g.account))


@bp.post("/nouveau-lien")
@requires(*SIGNED_IN)
def reset():
    calendar_link.reset_once(g.account)  # the form's Idempotency-Key: a double click resets once
    flash(_("Votre nouveau lien est prêt. L'ancien ne fonctionne plus : remplacez-le dans votre application d'agenda."))
    return redirect(url_for("calendar_link.show"))
