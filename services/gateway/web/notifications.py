"""A signed-in person's notifications page (any role), and the unread count in every page's menu.
Every decision is the notifications service's: a person only ever sees and marks their own."""

import logging

from amqp.exceptions import AMQPError
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError
from nameko.exceptions import RemoteError, RpcTimeout, UnknownService

from services.gateway.access import SIGNED_IN
from services.gateway.people import recipient, recipients
from services.gateway.service_calls import services
from services.gateway.web import register_page_hooks
from services.gateway.web.guards import requires
from shared.errors import ServiceError

log = logging.getLogger(__name__)
bp = Blueprint("notifications", __name__, url_prefix="/notifications")
register_page_hooks(bp)
PAGE_SIZE = 50
# What a menu that cannot get its count meets: the page is shown without the count.
COUNT_FAILURES = (
    RpcTimeout,
    UnknownService,
    ConnectionError,
    KombuOperationalError,
    AMQPError,
    RemoteError,
    ServiceError,
)


@bp.before_request
def _part():
    g.service_part = "notifications"  # a page saying the service is down names this part


@bp.get("/")
@requires(*SIGNED_IN)
def page():
    query = {"limit": PAGE_SIZE}
    if request.args.get("suite"):
        query["cursor"] = request.args["suite"]
    role, _subject = who = recipient(request.args.get("espace"))
    with services() as rpc:
        found = rpc.notifications.list_notifications(*who, query)
        unread = rpc.notifications.unread_count(*who)["unread"]
        choices = rpc.notifications.email_choices(*who)
    if len(recipients()) == 1:
        g.unread_notifications = unread  # the menu shows the same count as the page
    return render_template(
        "web/notifications.html",
        space=role,
        notification_spaces=[held for held, _ in recipients()],
        notifications=found["items"],
        next_cursor=found["next_cursor"],
        unread=unread,
        choices=choices,
        categories=_email_categories(),
    )


def _email_categories():
    """Each category of emails (the notifications service's domain/choices.py) in words: its
    name and what it holds."""
    return {
        "reminders": (
            _("Rappels"),
            _("Un email peu avant une réservation, une activité ou une formation."),
        ),
        "confirmations": (
            _("Confirmations"),
            _("Une réservation, une inscription ou des heures confirmées, une place sur liste d'attente."),
        ),
        "renewals": (
            _("Renouvellement de l'attestation d'honorabilité"),
            _("Un email 60 jours puis 15 jours avant la fin de sa validité."),
        ),
        "invoices": (_("Factures"), None),
        "account": (_("Mot de passe et compte"), None),
        "contract": (_("Contrat d'accueil"), None),
        "changes": (_("Annulations, déplacements et places attribuées"), None),
    }


@bp.post("/emails")
@requires(*SIGNED_IN)
def choose_emails():
    """The person's own choice of optional emails, one box per category the page offered (the
    legally necessary ones always go: the service decides which those are)."""
    ticked = set(request.form.getlist("recevoir"))
    wanted = {category: category in ticked for category in request.form.getlist("proposees")}
    try:
        with services() as rpc:
            rpc.notifications.choose_emails(*recipient(request.form.get("espace")), wanted)
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Vos choix d'emails sont enregistrés."))
    return redirect(url_for("notifications.page", espace=request.form.get("espace") or None))


@bp.post("/<notification_id>/lue")
@requires(*SIGNED_IN)
def mark_read(notification_id):
    try:
        with services() as rpc:
            rpc.notifications.mark_read(*recipient(request.form.get("espace")), notification_id)
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Notification marquée comme lue."))
    return redirect(url_for("notifications.page", espace=request.form.get("espace") or None))


@bp.post("/toutes-lues")
@requires(*SIGNED_IN)
def mark_all_read():
    with services() as rpc:
        marked = rpc.notifications.mark_all_read(*recipient(request.form.get("espace")))["marked"]
    flash(_("Toutes vos notifications sont marquées comme lues.") if marked else _("Aucune notification à marquer."))
    return redirect(url_for("notifications.page", espace=request.form.get("espace") or None))


@bp.app_context_processor
def _unread_in_menu():
    """`unread_notifications` for the menu of every page: the signed-in person's unread count, or
    None when there is nobody signed in or the notifications service does not answer (the page is
    shown all the same, without the count). Asked through the readiness pool, whose timeout is
    short (COCOON_READY_TIMEOUT), so a service down delays a page by that much at most."""
    if "unread_notifications" in g:
        return {"unread_notifications": g.unread_notifications}
    count = None
    if g.get("account") is not None:
        try:
            with current_app.extensions["ready_pool"].cluster(g.get("correlation_id")) as rpc:
                count = sum(rpc.notifications.unread_count(*who)["unread"] for who in recipients())  # every role's
        except COUNT_FAILURES as exc:
            log.warning("unread count not shown: notifications did not answer", extra={"error": repr(exc)})
    g.unread_notifications = count
    return {"unread_notifications": count}
