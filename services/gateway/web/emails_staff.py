"""The staff's page of failed emails: those the notifications service gave up after their last
attempt, each with « Renvoyer » (queued again: its timer sends it). The decisions are the
service's (failed_emails, retry_emails); `cocoon emails failed|retry` does the same from a shell.
In development, the emails the local SMTP catcher kept, readable by staff (caught_emails)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from services.gateway.service_calls import services
from services.gateway.web.guards import requires
from services.gateway.web.staff import bp


@bp.get("/emails-en-echec")
@requires("director")
def failed_emails():
    with services() as rpc:
        found = rpc.notifications.failed_emails()
    return render_template("web/staff/failed_emails.html", emails=found["items"])


@bp.post("/emails-en-echec/<delivery_id>/renvoyer")
@requires("director")
def retry_email(delivery_id):
    with services() as rpc:
        queued = rpc.notifications.retry_emails([delivery_id])["queued"]
    flash(_("Email remis en file d'envoi.") if queued else _("Cet email n'est plus en échec : rien à renvoyer."))
    return redirect(url_for("staff.failed_emails"))


@bp.post("/emails-en-echec/renvoyer-tout")
@requires("director")
def retry_all_emails():
    with services() as rpc:
        queued = rpc.notifications.retry_emails(None)["queued"]
    flash(ngettext("%(num)d email remis en file d'envoi.", "%(num)d emails remis en file d'envoi.", queued))
    return redirect(url_for("staff.failed_emails"))


@bp.get("/emails-de-developpement")
@requires("director")
def caught_emails():
    """What `make run`'s local SMTP catcher kept (development only: elsewhere the page says so)."""
    with services() as rpc:
        found = rpc.notifications.caught_emails()
    return render_template("web/staff/caught_emails.html", enabled=found["enabled"], emails=found["items"])
