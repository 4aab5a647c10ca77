"""Pages open to everyone: home, sign-in, sign-out, a family's registration, the fee simulator;
and the password change, for anyone signed in."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.exceptions import BadRequest

from services.gateway import attempt_limits, audit, auth, passwords
from services.gateway.access import SIGNED_IN
from services.gateway.attempt_limits import TooManyAttempts
from services.gateway.errors import ApiError
from services.gateway.service_calls import services
from services.gateway.sign_ups import account_of, register_account
from services.gateway.web import (
    SESSION_VERSION,
    begin_session,
    form_errors,
    register_page_hooks,
    too_many,
)
from services.gateway.web.guards import requires
from shared.errors import ServiceError

bp = Blueprint("public", __name__)
register_page_hooks(bp)

HOME_OF_ROLE = {
    "family": "family.home",
    "staff": "staff.today",
    "trainee": "trainee.home",
    "volunteer": "volunteer.home",
    "beneficiary": "immersion_beneficiary.my_immersion",
}
IMMERSION_PATH = "/mon-immersion"  # a beneficiary's space (a PMSMP immersion), its own blueprint's
# The spaces of the menu, in its order: (role, its home's endpoint or path, the paths under it, its name).
SPACES = (
    ("family", "family.home", ("/famille",), lazy_gettext("Ma famille")),
    ("trainee", "trainee.home", ("/stagiaire",), lazy_gettext("Mon stage")),
    ("volunteer", "volunteer.home", ("/benevole",), lazy_gettext("Mon bénévolat")),
    ("beneficiary", IMMERSION_PATH, (IMMERSION_PATH,), lazy_gettext("Mon immersion")),
    ("staff", "staff.today", ("/equipe",), lazy_gettext("Espace équipe")),
)


@bp.get("/")
def home():
    return render_template("web/home.html")


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    back_to = local_path(request.values.get("suite", ""))
    if request.method == "GET":
        return render_template("web/login.html", form={"suite": back_to}, errors={})
    email, password = request.form.get("email", "").strip(), request.form.get("password", "")
    form = {"email": email, "suite": back_to}
    try:
        account = auth.signed_in_account(email, password)
    except TooManyAttempts as exc:
        return too_many("web/login.html", exc, form=form)
    except ApiError as exc:
        if exc.code == "account_deactivated":
            errors = {"_schema": [_("Ce compte est désactivé : adressez-vous à l'accueil.")]}
            return render_template("web/login.html", form=form, errors=errors), 403
        errors = {"password": [_("Adresse ou mot de passe incorrect.")]}
        return render_template("web/login.html", form=form, errors=errors), 401
    begin_session(account)
    return redirect(back_to or home_of(account))


def home_of(account):
    """The home of the account's primary space, where a sign-in leads."""
    if account.role == "beneficiary":
        return IMMERSION_PATH
    return url_for(HOME_OF_ROLE.get(account.role, "public.home"))


def spaces_of(account):
    """[{role, href, name, current}] of the spaces the account holds, in the menu's order; `current`
    is "page" on the space's home, "true" elsewhere in it, None outside (aria-current)."""
    held = account.roles if account is not None else []
    found = []
    for role, home, prefixes, name in SPACES:
        if role not in held:
            continue
        href = home if home.startswith("/") else url_for(home)
        inside = any(request.path == p or request.path.startswith(p + "/") for p in prefixes)
        found.append({"role": role, "href": href, "name": name, "current": _current(request.path, href, inside)})
    return found


def _current(path, href, inside):
    if path == href:
        return "page"
    return "true" if inside else None


def current_space(account, spaces):
    """The role whose space the page belongs to: the one the path is under, else the primary."""
    return next((space["role"] for space in spaces if space["current"]), account.role if account else None)


@bp.route("/mot-de-passe", methods=["GET", "POST"])
@requires(*SIGNED_IN)
def password():
    if request.method == "GET":
        return render_template("web/password.html", errors={})
    current, new = request.form.get("current", ""), request.form.get("new", "")
    errors = {}
    try:
        # Within the sign-in limits: it is a guess too.
        auth.signed_in_account(g.account.email, current, audited=False, failure=audit.PASSWORD_CHECK_FAILED)
    except TooManyAttempts as exc:
        return too_many("web/password.html", exc)
    except ApiError:
        errors["current"] = [_("Ce n'est pas votre mot de passe actuel.")]
    person = passwords.personal_words(g.account.email, g.account.first_name, g.account.last_name)
    problem = passwords.problem(new, person)
    if problem:
        errors["new"] = [problem]
    if errors:
        return render_template("web/password.html", errors=errors), 422
    # Every other session and every API token of the account end; this session goes on.
    session[SESSION_VERSION] = auth.change_password(g.account, new)
    flash(_("Votre mot de passe est changé. Vos autres connexions sont fermées."))
    return redirect(home_of(g.account))


def local_path(target):
    """The page a visitor was sent to sign in from, when it is a path of this site ("/famille/…");
    anything else (another site, "//host", a scheme) is dropped, so the link cannot send people away;
    a control character is a 400."""
    if any(ord(character) < 32 or ord(character) == 127 for character in target):
        raise BadRequest()  # CR/LF would cut the Location header: refused before anyone is signed in
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return ""
    return target


@bp.post("/deconnexion")
def logout():
    """Signs out everywhere: every session and API token of the account ends, so a copy of this
    session's cookie no longer works either."""
    if g.account is not None:
        auth.revoke_everything(g.account)
    session.clear()
    return redirect(url_for("public.home"))


@bp.route("/inscription", methods=["GET", "POST"])
def register():
    if request.method == "GET":
        return render_template("web/register.html", form={}, errors={})
    form = request.form
    try:
        attempt_limits.registration()
    except TooManyAttempts as exc:
        return too_many("web/register.html", exc, form=form)
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
        "aeeh_children": _number(form.get("aeeh_children", "")) if form.get("aeeh_children", "").strip() else 0,
        "job_seeker": form.get("job_seeker") == "oui",
    }
    try:
        record = register_account("family", lambda rpc, profile: rpc.bookings.register_family(profile), data)
    except (ApiError, ServiceError) as exc:
        return render_template("web/register.html", form=form, errors=form_errors(exc)), 422
    begin_session(account_of(record["id"]))
    return redirect(url_for("family.home", bienvenue=1))


@bp.get("/simulateur")
def simulator():
    form = request.args
    quote, contract, errors = None, None, {}
    if form.get("monthly_resources"):
        query = {
            "monthly_resources": form.get("monthly_resources", "").strip().replace(",", ".").replace(" ", ""),
            "dependent_children": form.get("dependent_children", ""),
            "aeeh_children": form.get("aeeh_children", "").strip() or "0",
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
    return int(text) if text.isdecimal() else text


@bp.app_context_processor
def _signed_in():
    account = g.get("account")
    spaces = spaces_of(account) if account is not None else []
    return {"account": account, "spaces": spaces, "current_space": current_space(account, spaces)}
