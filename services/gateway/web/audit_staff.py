"""« Journal des actions » (/equipe/journal): the audit trail for staff, filtered by who acted, on
whom (an id) and between two days at the venue. The same lines as GET /api/v1/audit."""

from datetime import date, datetime, time, timedelta, timezone

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from services.gateway.audit import AuditQuery, read
from services.gateway.errors import ApiError
from services.gateway.models import Account
from services.gateway.routing import validated
from services.gateway.web import form_errors, register_page_hooks
from services.gateway.web.guards import requires
from shared import timeutil
from shared.errors import ServiceError

bp = Blueprint("audit_staff", __name__, url_prefix="/equipe/journal")
register_page_hooks(bp)
SHOWN = 100  # lines a page; « Lignes suivantes » gives the next ones
DEFAULT_DAYS = 7  # without « Du », the last week

ACTIONS = {
    "sign_in": lazy_gettext("Connexion"),
    "sign_in_failed": lazy_gettext("Connexion refusée"),
    "signed_out_everywhere": lazy_gettext("Déconnexion de partout"),
    "account_created": lazy_gettext("Compte créé"),
    "role_granted": lazy_gettext("Rôle ajouté à un compte"),
    "password_changed": lazy_gettext("Mot de passe changé"),
    "password_check_failed": lazy_gettext("Mot de passe actuel erroné"),
    "staff_write": lazy_gettext("Modification par l'équipe"),
}


@bp.get("/")
@requires("director")
def journal():
    today = timeutil.venue_today()
    form = {
        "actor": request.args.get("actor", "").strip(),
        "subject": request.args.get("subject", "").strip(),
        "since": request.args.get("since", "").strip() or (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat(),
        "until": request.args.get("until", "").strip(),
    }
    query, errors = _query(form)
    if request.args.get("cursor"):
        query["cursor"] = request.args["cursor"]
    lines, next_cursor = [], None
    if not errors:
        try:
            found = read(validated(AuditQuery(), query))
        except (ApiError, ServiceError) as exc:  # a filter refused: said next to it
            errors = form_errors(exc)
        else:
            lines, next_cursor = found["items"], found["next_cursor"]
    names = _names({line["actor_id"] for line in lines if line["actor_id"]})
    staff = Account.select().where(Account.role == "staff").order_by(Account.last_name, Account.first_name)
    status = 422 if errors else 200
    return (
        render_template(
            "web/staff/journal.html",
            form=form,
            errors=errors,
            lines=lines,
            next_cursor=next_cursor,
            names=names,
            staff=staff,
            actions=ACTIONS,
        ),
        status,
    )


def _query(form):
    """GET /api/v1/audit's query from the form (days at the venue, the last one whole), and the
    sentences of the fields that are not understood."""
    errors, days = {}, {}
    for name in ("since", "until"):
        if form[name]:
            try:
                days[name] = date.fromisoformat(form[name])
            except ValueError:
                errors[name] = [_("Une date au format JJ/MM/AAAA.")]
    if not errors and "since" in days and "until" in days and days["until"] < days["since"]:
        errors["until"] = [_("Le dernier jour vient après le premier.")]
    query = {"limit": SHOWN, **{name: form[name] for name in ("actor", "subject") if form[name]}}
    if "since" in days:
        query["since"] = _start_of(days["since"]).isoformat()
    if "until" in days:
        query["until"] = _start_of(days["until"] + timedelta(days=1)).isoformat()
    return query, errors


def _start_of(day):
    """The day's first moment at the venue, as an aware UTC time."""
    return datetime.combine(day, time(), tzinfo=timeutil.venue_zone()).astimezone(timezone.utc)


def _names(ids):
    return {a.id: a.display_name for a in Account.select().where(Account.id.in_(list(ids)))} if ids else {}
