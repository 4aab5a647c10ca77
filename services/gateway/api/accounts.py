"""Accounts: tokens, staff, and the sign-ups that create a record in the owning service."""

from flask import Response, jsonify

from services.bookings.schemas import FamilyOut
from services.gateway import attempt_limits, auth, people, retries
from services.gateway.api import bp, created, services
from services.gateway.errors import ApiError
from services.gateway.models import Account
from services.gateway.routing import api_route, json_body, validated
from services.gateway.schemas import (
    AccountOut,
    FamilySignUpIn,
    StaffIn,
    TokenIn,
    TokenOut,
    VolunteerSignUpIn,
)
from services.gateway.sign_ups import register_account
from services.volunteers.schemas import MeOut, VolunteerOut


@api_route(
    bp,
    "/auth/token",
    "POST",
    "Obtenir un jeton d'accès",
    roles=auth.PUBLIC,
    body=TokenIn,
    response=TokenOut,
    tag="comptes",
)
def token():
    creds = validated(TokenIn(), json_body())
    account, value, expires_at = auth.issue_token(creds["email"], creds["password"])  # its own short write
    answer = {"token": value, "role": account.role, "roles": account.roles, "expires_at": expires_at}
    return jsonify(TokenOut().dump(answer))


@api_route(bp, "/auth/token", "DELETE", "Révoquer ce jeton d'accès", roles=auth.SIGNED_IN, status=204, tag="comptes")
def revoke_token():
    auth.revoke_token(auth.presented_token())
    return Response(status=204)


@api_route(bp, "/me", "GET", "Mon compte", roles=auth.SIGNED_IN, response=AccountOut, tag="comptes")
def my_account():
    return jsonify(AccountOut().dump(auth.current_account()))


@api_route(
    bp,
    "/staff",
    "POST",
    "Créer un compte équipe",
    roles=("director",),
    body=StaffIn,
    response=AccountOut,
    status=201,
    tag="comptes",
)
def create_staff():
    """The account and its profile in the team service, under one id: the profile first, so that
    team down (503) leaves nothing, and an account never exists without its profile. With an
    Idempotency-Key the id comes from (caller, key): a retry gets team's first answer again and
    the account the first attempt created, or creates it (docs/architecture.md, "The venue's
    staff: the team service")."""
    data = validated(StaffIn(), json_body())
    staff_id = retries.record_id("create_staff")
    existing = Account.get_or_none(Account.email == data["email"].lower())
    if existing is not None and existing.id != staff_id:
        raise ApiError(
            409, "conflict", "Un compte existe déjà avec cette adresse.", {"email": ["Adresse déjà utilisée."]}
        )
    registered = {"staff_roles": data["staff_roles"], "roles_version": 0}
    if existing is None:
        profile = {"id": staff_id, "email": data["email"], "first_name": data["first_name"]}
        with services() as rpc:
            registered = rpc.team.register_staff(
                {**profile, "last_name": data["last_name"], "staff_roles": data["staff_roles"]}
            )

    def create():
        account = auth.create_account(
            data["email"],
            data["password"],
            "staff",
            first_name=data["first_name"],
            last_name=data["last_name"],
            account_id=staff_id,
            staff_roles=registered["staff_roles"],
            staff_roles_version=registered["roles_version"],
        )
        return AccountOut().dump(account)

    return created(retries.once("create_staff", data, create))


def sign_up(role, register):
    return created(register_account(role, register, json_body()))


@api_route(
    bp,
    "/volunteers",
    "POST",
    "S'inscrire comme bénévole",
    roles=auth.PUBLIC,
    body=VolunteerSignUpIn,
    response=VolunteerOut,
    status=201,
    tag="bénévoles",
)
def register_volunteer():
    attempt_limits.registration()
    return sign_up("volunteer", lambda rpc, profile: rpc.volunteers.register_volunteer(profile))


@api_route(
    bp,
    "/families",
    "POST",
    "Inscrire sa famille",
    roles=auth.PUBLIC,
    body=FamilySignUpIn,
    response=FamilyOut,
    status=201,
    tag="familles",
)
def register_family():
    attempt_limits.registration()
    return sign_up("family", lambda rpc, profile: rpc.bookings.register_family(profile))


@api_route(
    bp, "/families/me", "GET", "Ma famille et mes enfants", roles=("family",), response=FamilyOut, tag="familles"
)
def my_family():
    with services() as rpc:
        return jsonify(rpc.bookings.get_family(people.own("family")))


@api_route(
    bp,
    "/volunteers/me",
    "GET",
    "Mon profil de bénévole, ce qui me manque pour m'inscrire, et mes inscriptions à venir",
    roles=("volunteer",),
    response=MeOut,
    tag="bénévoles",
)
def my_volunteer_profile():
    with services() as rpc:
        return jsonify(rpc.volunteers.my_record(people.own("volunteer")))
