"""The web pages: server-rendered HTML for people, one blueprint per audience (public, family,
staff). Views call the same RPCs as the JSON API (services.gateway.service_calls) and hold
no rule: a refusal is the service's French sentence, shown next to its field.

Set up here, once: the session cookie (HttpOnly, SameSite=Lax, Secure when COCOON_SECURE_COOKIES,
COCOON_SESSION_HOURS long, carrying the account's session version so a sign-out or a password
change ends every session of the account), CSRF on every form (Flask-WTF; the JSON API, which
uses bearer tokens, is exempt), French first (Flask-Babel: `fr`, the venue's zone
COCOON_TIMEZONE) and the HTML error
pages (a service down names the part that is unavailable). The sign-in and registration limits,
shared with the API, are services/gateway/attempt_limits.py.
"""

import logging
import os
import secrets
import tempfile
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from amqp.exceptions import AMQPError
from flask import g, render_template, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import Babel, format_currency, format_date, format_datetime, gettext, ngettext
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from kombu.exceptions import OperationalError as KombuOperationalError
from nameko.exceptions import RpcTimeout, UnknownService

from services.gateway import attempt_limits, body_limit, labels
from services.gateway.models import Account
from shared import config, idempotency, timeutil

log = logging.getLogger(__name__)

csrf = CSRFProtect()
IDEMPOTENCY_FIELD = "idempotency_key"
SESSION_ACCOUNT = "account_id"
SESSION_ROLES = "roles"  # every role of the account when the session began, the primary first
SESSION_VERSION = "session_version"  # the account's Account.session_version when the session began

# Which part of the venue an unanswering service is, as the page says it.
PARTS = {
    "bookings": "les réservations de la crèche et le calendrier",
    "volunteers": "l'espace des bénévoles",
    "placements": "les stages",
    "education": "les formations",
    "notifications": "vos notifications",
    "team": "les fiches de l'équipe",
    "insights": "le bilan de l'expérimentation",
}


def init_app(app):
    from services.gateway import api
    from services.gateway.web import (  # noqa: F401 (registers their routes)
        absences_staff,
        accounts_staff,
        attendance_staff,
        audit_staff,
        bilan,
        billing,
        calendar_link,
        child_health,
        children_family,
        children_staff,
        cnaf_staff,
        contracts,
        emails_staff,
        family,
        guards,
        immersions_staff,
        notifications,
        password_reset,
        personal_data,
        placements_edit,
        placements_staff,
        public,
        signatures,
        staff,
        team_staff,
        trainee,
        training,
        training_contracts,
        training_evaluations,
        training_public,
        training_reports,
        volunteer,
        volunteers_staff,
    )

    if not app.config.get("SECRET_KEY"):  # Flask's own default is None
        app.config["SECRET_KEY"] = _secret_key()
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=app.config["SECURE_COOKIES"],  # Flask's own key always exists (False)
        # Also how old a signed cookie may be when it comes back, whether or not the session is permanent.
        PERMANENT_SESSION_LIFETIME=timedelta(hours=app.config["SESSION_HOURS"]),
        BABEL_DEFAULT_LOCALE="fr",
        BABEL_DEFAULT_TIMEZONE=timeutil.venue_zone().key,
    )
    app.session_interface = SessionCookies()
    csrf.init_app(app)
    csrf.exempt(api.bp)
    Babel(app, locale_selector=lambda: "fr", timezone_selector=lambda: timeutil.venue_zone().key)
    app.jinja_env.globals.update(
        idempotency_key=new_idempotency_key, csrf_token=generate_csrf, _=gettext, may_open=guards.may_open
    )
    app.context_processor(labels.for_templates)
    app.jinja_env.filters.update(
        when=when, euros=euros, hour=hour, rate=rate, day=day, month=month, clock=clock, hours_text=hours_text
    )
    app.jinja_env.filters["staff_role_label"] = labels.staff_role_label
    app.register_blueprint(public.bp)
    app.register_blueprint(password_reset.bp)
    app.register_blueprint(family.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(calendar_link.bp)
    app.register_blueprint(trainee.bp)
    app.register_blueprint(volunteer.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(training.bp)
    app.register_blueprint(training_evaluations.bp)
    app.register_blueprint(training_public.bp)
    app.register_blueprint(training_reports.bp)
    app.register_blueprint(training_contracts.bp)
    app.register_blueprint(training_contracts.staff_bp)
    app.register_blueprint(signatures.bp)
    app.register_blueprint(placements_staff.bp)
    app.register_blueprint(immersions_staff.bp)
    app.register_blueprint(immersions_staff.beneficiary_bp)
    app.register_blueprint(volunteers_staff.bp)
    app.register_blueprint(team_staff.bp)
    app.register_blueprint(accounts_staff.bp)
    app.register_blueprint(audit_staff.bp)
    app.register_blueprint(personal_data.bp)

    @app.errorhandler(CSRFError)
    def _csrf_refused(exc):
        message = gettext(
            "Le formulaire a expiré ou n'a pas été envoyé depuis ce site. Rechargez la page et recommencez."
        )
        return render_template("web/error.html", title=gettext("Formulaire refusé"), message=message), 400


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie for the pages only: the JSON API and the calendar feeds answer
    bearer tokens and secret links, never a session, so their requests get Flask's null session
    (no cookie read, none written). Its signer is made once per key: Flask makes a new one at
    every request, and itsdangerous serialises a test value to make it."""

    _signer = (None, None)  # (the keys it was made with, the signer)

    def open_session(self, app, request):
        if request.path.startswith(body_limit.API_PREFIXES):
            return None
        return super().open_session(app, request)

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        made_with, signer = self._signer
        if made_with != keys:
            signer = super().get_signing_serializer(app)
            self._signer = (keys, signer)
        return signer


def _secret_key():
    """COCOON_SECRET_KEY, else one kept in the var directory (every gunicorn worker reads the same),
    readable by this user only: whoever reads it can sign a session cookie for any account."""
    given = config.env("COCOON_SECRET_KEY")
    if given:
        return given
    path = config.var_dir() / "gateway-secret-key"
    # Written whole in a private temporary file, then linked into place: a worker starting at the
    # same moment finds either no key or the whole key, never an empty file.
    handle, draft = tempfile.mkstemp(dir=path.parent, prefix=".gateway-secret-key.")  # mode 600
    try:
        with os.fdopen(handle, "w") as written:
            written.write(secrets.token_urlsafe(48))
        os.link(draft, path)
    except FileExistsError:
        path.chmod(0o600)  # a key made by an earlier version, readable by every local user
    finally:
        os.unlink(draft)
    return path.read_text().strip()


def begin_session(account):
    """The browser is signed in as `account` from now on, until the account's session version changes."""
    session.clear()
    session[SESSION_ACCOUNT] = account.id
    session[SESSION_VERSION] = account.session_version
    session[SESSION_ROLES] = account.roles  # as the session began; the checks read the account's own at each request


def _session_account():
    """The session's account, or None when there is none or the session is older than the account's
    last sign-out or password change (then the session is emptied)."""
    account_id = session.get(SESSION_ACCOUNT)
    account = Account.get_or_none(Account.id == account_id) if account_id else None
    if account is not None and account.active and session.get(SESSION_VERSION) == account.session_version:
        return account
    if account_id:
        session.clear()
    return None


def too_many(template, exc, **context):
    """The form again, with the sentence that says why and how long to wait (429, Retry-After)."""
    wait = ngettext("Réessayez dans une minute.", "Réessayez dans %(num)s minutes.", exc.minutes)
    reason = {
        attempt_limits.PER_ACCOUNT: gettext("Trop d'essais pour cette adresse e-mail."),
        attempt_limits.PER_ADDRESS: gettext("Trop d'essais depuis cet appareil."),
        attempt_limits.REGISTRATIONS: gettext("Trop d'inscriptions depuis cet appareil."),
    }[exc.limit]
    page = render_template(template, errors={"_schema": [f"{reason} {wait}"]}, **context)
    return page, 429, {"Retry-After": str(exc.retry_after)}


def register_page_hooks(bp):
    """The signed-in account from the session (so auth.current_account and the idempotency caller
    see it), the form's Idempotency-Key, and the HTML error pages for this blueprint's views."""

    @bp.before_request
    def _from_session():
        g.account = _session_account()
        if request.method == "POST" and request.form.get(IDEMPOTENCY_FIELD):
            g.idempotency_key = idempotency.checked_key(request.form[IDEMPOTENCY_FIELD])

    @bp.errorhandler(RpcTimeout)
    @bp.errorhandler(UnknownService)
    @bp.errorhandler(ConnectionError)
    @bp.errorhandler(KombuOperationalError)
    @bp.errorhandler(AMQPError)
    def _unavailable(exc):
        log.warning("service did not answer (page)", extra={"error": repr(exc)})
        part = PARTS.get(getattr(g, "service_part", "bookings"), "une partie du site")
        message = gettext(
            "Nous ne pouvons pas afficher %(part)s pour le moment : ce service ne répond pas. "
            "Rien n'a été enregistré. Réessayez dans quelques minutes.",
            part=part,
        )
        title = gettext("Service momentanément indisponible")
        return render_template("web/error.html", title=title, message=message), 503


def new_idempotency_key():
    return uuid.uuid4().hex


def when(iso):
    """« mardi 1 décembre, 9 h 00 » from an ISO 8601 time with its offset, at the venue's time (Babel's zone)."""
    return format_datetime(datetime.fromisoformat(iso), "EEEE d MMMM, H\u00a0'h'\u00a0mm")


def day(iso):
    """« 15 mars 2024 » from "2024-03-15", or from a time with its offset (its day at the venue)."""
    try:
        if "T" in str(iso):
            return format_date(timeutil.in_venue_zone(str(iso)).date(), "d MMMM y")
        return format_date(date.fromisoformat(str(iso)), "d MMMM y")
    except ValueError:
        return iso or ""


def clock(hhmm):
    """« 8 h 30 » from "08:30" (a contract's hours)."""
    try:
        hours, minutes = str(hhmm).split(":")
        return f"{int(hours)}\u00a0h\u00a0{minutes}"
    except ValueError:
        return hhmm or ""


def month(iso_month):
    """« décembre 2026 » from "2026-12"; the text as given when it is not a month."""
    try:
        return format_date(date.fromisoformat(f"{iso_month}-01"), "MMMM y")
    except (TypeError, ValueError):
        return iso_month or ""


def hours_text(value):
    """« 4 », « 7,5 », « 1,33 » from "4.00", "7.50", "1.33": hours as people write them."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value or ""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def hour(iso):
    """« 17 h 30 » at the venue's time."""
    return format_datetime(datetime.fromisoformat(iso), "H\u00a0'h'\u00a0mm")


def euros(amount):
    """« 8,26 € » from "8.26"."""
    try:
        return format_currency(Decimal(str(amount)), "EUR", format="#,##0.00\u00a0¤")
    except (InvalidOperation, ValueError):
        return ""


def rate(value):
    """An hourly rate as exact as the service gives it, at least to the cent: « 2,064 € »."""
    try:
        return format_currency(Decimal(str(value)), "EUR", format="#,##0.00#\u00a0¤", currency_digits=False)
    except (InvalidOperation, ValueError):
        return ""


def form_errors(exc, renamed=None):
    """{form field: [sentences]} of a refusal (a ServiceError, or the sign-up's ApiError), for the
    form it came from: each sentence next to its field (`renamed`: {service's field: form's field}),
    and the refusal's own sentence at the top when it names no field."""
    found = {}
    for name, sentences in field_errors(exc).items():
        found.setdefault((renamed or {}).get(name, name), []).extend(sentences)
    return found or {"_schema": [getattr(exc, "message", str(exc))]}


def field_errors(exc):
    """{field: [sentences]} from a ServiceError/ApiError's `fields`, nested ones flattened to
    their last name (guardians.0.phone -> phone), so each shows next to its form field."""
    flat = {}

    def walk(name, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(key if not str(key).isdecimal() else name, inner)
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            flat.setdefault(name, []).extend(value)
        elif isinstance(value, list):
            for inner in value:
                walk(name, inner)
        elif isinstance(value, str):
            flat.setdefault(name, []).append(value)

    walk("_schema", getattr(exc, "fields", None) or {})
    return flat
