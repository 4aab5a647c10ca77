"""Pages open to everyone: home, sign-in, sign-out, a family's registration, the fee simulator;
and the password change, for anyone signed in."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from services.gateway import auth
from services.gateway.access import SIGNED_IN
from services.gateway.errors import ApiError
from services.gateway.models import Account, database
from services.gateway.schemas import PASSWORD
from services.gateway.service_calls import services
from services.gateway.sign_ups import register_account
from services.gateway.web import SESSION_ACCOUNT, form_errors, limiter, register_page_hooks
from services.gateway.web.guards import requires
from shared.db import write_transaction
from shared.errors import ServiceError

bp = Blueprint("public", __name__)
register_page_hooks(bp)

HOME_OF_ROLE = {
    "family": "family.home",
    "staff": "staff.today",
    "trainee": "trainee.home",
    "volunteer": "volunteer.home",
}


def _account_key():
    return "account:" + request.form.get("email", "").strip().lower()


def _limit(name):
    return lambda: current_app.config[name]


@bp.get("/")
def home():
    return render_template("web/home.html")


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(_limit("LOGIN_LIMIT_PER_ADDRESS"), methods=["POST"], error_message="address")
@limiter.limit(_limit("LOGIN_LIMIT_PER_ACCOUNT"), key_func=_account_key, methods=["POST"], error_message="account")
def login():
    back_to = local_path(request.values.get("suite", ""))
    if request.method == "GET":
        return render_template("web/login.html", form={"suite": back_to}, errors={})
    email, password = request.form.get("email", "").strip(), request.form.get("password", "")
    try:
        account = auth._verified_account(email, password)
    except ApiError:
        errors = {"password": [_("Adresse ou mot de passe incorrect.")]}
        return render_template("web/login.html", form={"email": email, "suite": back_to}, errors=errors), 401
    session.clear()
    session[SESSION_ACCOUNT] = account.id
    return redirect(back_to or home_of(account))


def home_of(account):
    return url_for(HOME_OF_ROLE.get(account.role, "public.home"))


@bp.route("/mot-de-passe", methods=["GET", "POST"])
@requires(*SIGNED_IN)
def password():
    if request.method == "GET":
        return render_template("web/password.html", errors={})
    current, new = request.form.get("current", ""), request.form.get("new", "")
    errors = {}
    try:
        auth._verified_account(g.account.email, current)
    except ApiError:
        errors["current"] = [_("Ce n'est pas votre mot de passe actuel.")]
    if len(new) < PASSWORD.min:
        errors["new"] = [_("Le nouveau mot de passe doit compter au moins %(n)s caractères.", n=PASSWORD.min)]
    if errors:
        return render_template("web/password.html", errors=errors), 422
    with write_transaction(database):
        Account.update(password_hash=auth.hasher.hash(new)).where(Account.id == g.account.id).execute()
    flash(_("Votre mot de passe est changé."))
    return redirect(home_of(g.account))


def local_path(target):
    """The page a visitor was sent to sign in from, when it is a path of this site ("/famille/…");
    anything else (another site, "//host", a scheme) is dropped, so the link cannot send people away."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return ""
    return target


@bp.errorhandler(429)
def _too_many(exc):
    which = getattr(exc, "description", "")
    if which == "account":
        text = _("Trop d'essais pour cette adresse. Attendez une minute avant de réessayer.")
    else:
        text = _("Trop d'essais depuis cet appareil. Attendez une minute avant de réessayer.")
    form = {"email": request.form.get("email", "")}
    return render_template("web/login.html", form=form, errors={"_schema": [text]}), 429


@bp.post("/deconnexion")
def logout():
    session.clear()
    return redirect(url_for("public.home"))


@bp.route("/inscription", methods=["GET", "POST"])
def register():
    if request.method == "GET":
        return render_template("web/register.html", form={}, errors={})
    form = request.form
    data = {
        "email": form.get("email", "").strip(),
        "password": form.get("password", ""),
        "guardians": [
            {
                "first_name": form.get("first_name", "").strip(),
                "last_name": form.get("last_name", "").strip(),
                "phone": form.get("phone", "").strip(),
            }
        ],
        "monthly_resources": form.get("monthly_resources", "").strip().replace(",", ".").replace(" ", ""),
        "dependent_children": _number(form.get("dependent_children", "")),
        "job_seeker": form.get("job_seeker") == "oui",
    }
    try:
        record = register_account("family", lambda rpc, profile: rpc.bookings.register_family(profile), data)
    except (ApiError, ServiceError) as exc:
        return render_template("web/register.html", form=form, errors=form_errors(exc)), 422
    account = auth.Account.get_or_none(auth.Account.subject_id == record["id"])
    session.clear()
    session[SESSION_ACCOUNT] = account.id
    return redirect(url_for("family.home", bienvenue=1))


@bp.get("/simulateur")
def simulator():
    form = request.args
    quote, contract, errors = None, None, {}
    if form.get("monthly_resources"):
        query = {
            "monthly_resources": form.get("monthly_resources", "").strip().replace(",", ".").replace(" ", ""),
            "dependent_children": form.get("dependent_children", ""),
            "aeeh": "true" if form.get("aeeh") == "oui" else "false",
        }
        try:
            with services() as rpc:
                quote = rpc.bookings.quote_fee(query)
                if form.get("hours_per_week"):
                    weeks = form.get("weeks_per_year") or "46"
                    contract = rpc.bookings.quote_contract(
                        dict(query, hours_per_week=form["hours_per_week"], weeks_per_year=weeks)
                    )
        except ServiceError as exc:
            errors = form_errors(exc)
    return render_template("web/simulator.html", form=form, quote=quote, contract=contract, errors=errors)


def _number(text):
    text = text.strip()
    return int(text) if text.isdigit() else text


@bp.app_context_processor
def _signed_in():
    return {"account": g.get("account")}
