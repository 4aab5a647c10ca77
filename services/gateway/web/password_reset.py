"""« Mot de passe oublié ? »: asking for a link by email (the same page whether or not the email has
an account), then choosing a new password with the link (services/gateway/password_resets.py)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import password_resets
from services.gateway.attempt_limits import TooManyAttempts
from services.gateway.errors import ApiError
from services.gateway.web import register_page_hooks, too_many

bp = Blueprint("password_reset", __name__, url_prefix="/mot-de-passe-oublie")
register_page_hooks(bp)


@bp.route("/", methods=["GET", "POST"])
def request_link():
    if request.method == "GET":
        return render_template("web/password_forgotten.html", form={}, errors={})
    email = request.form.get("email", "").strip()
    form = {"email": email}
    if "@" not in email:
        errors = {"email": [_("Indiquez l'adresse e-mail de votre compte, par exemple nom@exemple.fr.")]}
        return render_template("web/password_forgotten.html", form=form, errors=errors), 422
    try:
        password_resets.request_link(email)
    except TooManyAttempts as exc:
        return too_many("web/password_forgotten.html", exc, form=form)
    # 202 and the same page whether or not the email has an account: the page tells nobody which.
    return render_template("web/password_forgotten_sent.html", email=email), 202


@bp.route("/nouveau", methods=["GET", "POST"])
def choose():
    token = request.values.get("jeton", "")
    refusal = password_resets.link_refusal(token)
    if refusal:
        return render_template("web/password_link_refused.html", reason=refusal), 410
    if request.method == "GET":
        return render_template("web/password_new.html", token=token, errors={})
    try:
        password_resets.choose_password(token, request.form.get("password", ""))
    except ApiError as exc:
        if "token" in exc.fields:  # used in another tab meanwhile: the policy's sentences are French already
            return render_template("web/password_link_refused.html", reason=exc.message), 410
        errors = {"password": exc.fields.get("password", [exc.message])}
        return render_template("web/password_new.html", token=token, errors=errors), 422
    flash(_("Votre mot de passe est changé, et toutes vos connexions sont fermées. Connectez-vous avec le nouveau."))
    return redirect(url_for("public.login"))
