"""Getting into an account again, and keeping someone out: password reset links (anyone asks for
one, staff send one), choosing a new password with a link, and staff deactivating or reactivating
an account (services/gateway/password_resets.py; docs/accounts-rules.md)."""

from flask import jsonify

from services.gateway import auth, password_resets
from services.gateway.api import bp
from services.gateway.routing import api_route, json_body, validated
from services.gateway.schemas import AcceptedOut, AccountOut, PasswordResetConfirmIn, PasswordResetIn

# The same answer whether or not the email has an account.
LINK_SENT = (
    "Si un compte actif existe avec cette adresse, un lien pour choisir un nouveau mot de passe vient d'y être "
    "envoyé. Il vaut une heure."
)


@api_route(
    bp,
    "/auth/password-reset",
    "POST",
    "Recevoir par e-mail un lien pour choisir un nouveau mot de passe (même réponse, compte ou non)",
    roles=auth.PUBLIC,
    body=PasswordResetIn,
    response=AcceptedOut,
    status=202,
    tag="comptes",
)
def ask_password_reset():
    data = validated(PasswordResetIn(), json_body())
    password_resets.request_link(data["email"])
    return jsonify(AcceptedOut().dump({"message": LINK_SENT})), 202


@api_route(
    bp,
    "/auth/password-reset/confirm",
    "POST",
    "Choisir un nouveau mot de passe avec le lien reçu : toutes les connexions du compte sont fermées",
    roles=auth.PUBLIC,
    body=PasswordResetConfirmIn,
    response=AccountOut,
    tag="comptes",
)
def confirm_password_reset():
    data = validated(PasswordResetConfirmIn(), json_body())
    return jsonify(AccountOut().dump(password_resets.choose_password(data["token"], data["password"])))


@api_route(
    bp,
    "/accounts/<account_id>/password-reset",
    "POST",
    "Envoyer à une personne un lien pour choisir un nouveau mot de passe",
    roles=("director",),
    response=AcceptedOut,
    status=202,
    tag="comptes",
)
def send_password_reset(account_id):
    account = password_resets.account_of(account_id)
    password_resets.send_link(account, by_staff=True)
    return jsonify(AcceptedOut().dump({"message": f"Un lien a été envoyé à {account.email}."})), 202


@api_route(
    bp,
    "/accounts/<account_id>",
    "GET",
    "Un compte : son rôle principal, tous ses rôles avec la fiche de chacun, son état",
    roles=("director",),
    response=AccountOut,
    tag="comptes",
)
def get_account(account_id):
    return jsonify(AccountOut().dump(password_resets.account_of(account_id)))


@api_route(
    bp,
    "/accounts/<account_id>/deactivate",
    "POST",
    "Désactiver un compte : plus de connexion, ses sessions et jetons fermés ; rien n'est effacé",
    roles=("director",),
    response=AccountOut,
    tag="comptes",
)
def deactivate_account(account_id):
    return jsonify(AccountOut().dump(password_resets.deactivate(account_id, auth.current_account())))


@api_route(
    bp,
    "/accounts/<account_id>/reactivate",
    "POST",
    "Réactiver un compte désactivé (son mot de passe reste le même)",
    roles=("director",),
    response=AccountOut,
    tag="comptes",
)
def reactivate_account(account_id):
    return jsonify(AccountOut().dump(password_resets.reactivate(account_id, auth.current_account())))
