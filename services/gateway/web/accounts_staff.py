"""The staff's page of accounts (/equipe/comptes): who may sign in, by kind of account, with
« Désactiver » / « Réactiver » and « Envoyer un lien de réinitialisation » (the same actions as
the API's /accounts/{id}/…, services/gateway/password_resets.py). Every staff account may do
it for now: the director's role comes with the staff roles.

A person's path (/equipe/comptes/<id>/parcours, the coordinator's): the outcomes recorded for the
account (a training, a placement, a hire, a job, back to work) and the form that records one
(services/gateway/outcomes.py, the same call as the API's POST /accounts/{id}/outcomes)."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import erasures, outcomes, password_resets
from services.gateway.errors import ApiError
from services.gateway.models import Account
from services.gateway.web import form_errors, register_page_hooks
from services.gateway.web.guards import requires
from shared.errors import NotFound, ServiceError

bp = Blueprint("accounts_staff", __name__, url_prefix="/equipe/comptes")
register_page_hooks(bp)
SHOWN = 1000  # accounts of one kind on the page


def _kinds():
    return {
        "staff": _("Équipe"),
        "family": _("Familles"),
        "volunteer": _("Bénévoles"),
        "trainee": _("Stagiaires"),
    }


@bp.get("/")
@requires("director")
def accounts():
    kinds = _kinds()
    role = request.args.get("role", "staff")
    role = role if role in kinds else "staff"
    found = (
        Account.select()
        .where(Account.role == role)
        .order_by(Account.last_name, Account.first_name, Account.email)
        .limit(SHOWN)
    )
    found = list(found)
    erased = erasures.page_statuses([a.id for a in found])
    return render_template("web/staff/accounts.html", accounts=found, role=role, kinds=kinds, erased=erased)


def _back(account):
    return redirect(url_for("accounts_staff.accounts", role=account.role))


def _missing():
    return render_template("web/error.html", title=_("Demande impossible"), message=_("Compte introuvable.")), 404


@bp.post("/<account_id>/desactiver")
@requires("director")
def deactivate(account_id):
    try:
        account = password_resets.deactivate(account_id, g.account)
    except NotFound:
        return _missing()
    except ApiError as exc:  # their own account
        flash(exc.message, "error")
        return redirect(url_for("accounts_staff.accounts"))
    flash(_("Le compte de %(name)s est désactivé : ses connexions sont fermées.", name=account.display_name))
    return _back(account)


@bp.post("/<account_id>/reactiver")
@requires("director")
def reactivate(account_id):
    try:
        account = password_resets.reactivate(account_id, g.account)
    except NotFound:
        return _missing()
    flash(_("Le compte de %(name)s est réactivé.", name=account.display_name))
    return _back(account)


@bp.post("/<account_id>/lien")
@requires("director")
def send_link(account_id):
    try:
        account = password_resets.account_of(account_id)
    except NotFound:
        return _missing()
    try:
        password_resets.send_link(account, by_staff=True)
    except password_resets.SEND_FAILURES:
        flash(
            _(
                "Le lien n'a pas pu être envoyé : le service des notifications ne répond pas. "
                "Réessayez dans quelques minutes."
            ),
            "error",
        )
        return _back(account)
    flash(_("Un lien de réinitialisation a été envoyé à %(email)s (valable une heure).", email=account.email))
    return _back(account)


@bp.get("/<account_id>/effacer")
@requires("director")
def confirm_erasure(account_id):
    """What an erasure does, and the button that confirms it."""
    try:
        account = password_resets.account_of(account_id)
    except NotFound:
        return _missing()
    return render_template("web/staff/erase_account.html", person=account)


@bp.post("/<account_id>/effacer")
@requires("director")
def erase(account_id):
    try:
        account = password_resets.account_of(account_id)
        name = account.display_name
        erasures.request(account_id, g.account)
    except NotFound:
        return _missing()
    except ApiError as exc:  # refused: an unpaid invoice, a contract not ended, their own account
        flash(exc.message, "error")
        return _back(account)
    except erasures.CALL_FAILURES:
        flash(
            _("L'effacement n'a pas pu être demandé : un service ne répond pas. Réessayez dans quelques minutes."),
            "error",
        )
        return _back(account)
    flash(_("L'effacement des données de %(name)s est demandé : chaque service le fait à son tour.", name=name))
    return _back(account)


# --- a person's path: the outcomes recorded for the account --------------------------------------
OUTCOME_FIELDS = ("kind", "on", "detail")


def _path_page(account, form, errors, status=200):
    return (
        render_template(
            "web/staff/outcomes.html", person=account, outcomes=outcomes.of(account.id), form=form, errors=errors
        ),
        status,
    )


@bp.get("/<account_id>/parcours")
@requires("coordinator")
def path(account_id):
    try:
        account = password_resets.account_of(account_id)
    except NotFound:
        return _missing()
    return _path_page(account, {}, {})


@bp.post("/<account_id>/parcours")
@requires("coordinator")
def record_outcome(account_id):
    try:
        account = password_resets.account_of(account_id)
    except NotFound:
        return _missing()
    form = {name: request.form.get(name, "").strip() for name in OUTCOME_FIELDS}
    errors = {} if form["on"] else {"on": [_("Indiquez la date, par exemple 01/12/2026.")]}
    if errors:
        return _path_page(account, form, errors, 422)
    try:
        outcomes.record(account.id, form, g.account)
    except ServiceError as exc:
        return _path_page(account, form, form_errors(exc), exc.status)
    flash(_("La suite du parcours de %(name)s est notée.", name=account.display_name))
    return redirect(url_for("accounts_staff.path", account_id=account.id))
