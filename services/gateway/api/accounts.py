"""Accounts: tokens, staff, and the sign-ups that create a record in the owning service."""
import uuid

from flask import jsonify

from services.bookings.schemas import FamilyIn
from services.gateway import auth
from services.gateway.api import bp, created, services
from services.gateway.errors import ApiError
from services.gateway.models import database
from services.gateway.routing import api_route, json_body, validated
from services.gateway.schemas import AccountIn, AccountOut, StaffIn, TokenIn, TokenOut
from services.volunteers.schemas import VolunteerIn, VolunteerOut
from shared.timeutil import from_db


@api_route(bp, "/auth/token", "POST", "Obtenir un jeton d'accès", body=TokenIn, response=TokenOut, tag="comptes")
def token():
    creds = validated(TokenIn(), json_body())
    with database.atomic():
        account, value, expires_at = auth.issue_token(creds["email"], creds["password"])
    return jsonify({"token": value, "role": account.role, "expires_at": from_db(expires_at).isoformat()})


@api_route(bp, "/staff", "POST", "Créer un compte équipe", roles=("staff",), body=StaffIn, response=AccountOut,
           status=201, tag="comptes")
@auth.require("staff")
def create_staff():
    data = validated(StaffIn(), json_body())
    with database.atomic():
        account = auth.create_account(data["email"], data["password"], "staff",
                                      first_name=data["first_name"], last_name=data["last_name"])
    return created(AccountOut().dump(account))


def sign_up(role, register):
    """Account fields checked here, the profile by its service; the account is created only once
    the service has stored the profile, so a refused profile leaves nothing behind."""
    data = json_body()
    account = validated(AccountIn(), data)
    if auth.email_taken(account["email"]):
        raise ApiError(409, "conflict", "Un compte existe déjà avec cette adresse.", {"email": ["Adresse déjà utilisée."]})
    profile = {k: v for k, v in data.items() if k != "password"}
    profile["id"] = str(uuid.uuid4())
    with services() as rpc:
        record = register(rpc, profile)
    names = record.get("guardians", [record])[0]
    with database.atomic():
        auth.create_account(account["email"], account["password"], role, subject_id=record["id"],
                            first_name=names.get("first_name", ""), last_name=names.get("last_name", ""))
    return created(record)


@api_route(bp, "/volunteers", "POST", "S'inscrire comme bénévole", body=VolunteerIn, response=VolunteerOut,
           status=201, tag="bénévoles")
def register_volunteer():
    return sign_up("volunteer", lambda rpc, profile: rpc.volunteers.register_volunteer(profile))


@api_route(bp, "/families", "POST", "Inscrire sa famille", body=FamilyIn, status=201, tag="familles")
def register_family():
    return sign_up("family", lambda rpc, profile: rpc.bookings.register_family(profile))


@api_route(bp, "/families/me", "GET", "Ma famille et mes enfants", roles=("family",), tag="familles")
@auth.require("family")
def my_family():
    with services() as rpc:
        return jsonify(rpc.bookings.get_family(auth.current_account().subject_id))


@api_route(bp, "/volunteers/me", "GET", "Mon profil de bénévole", roles=("volunteer",), response=VolunteerOut,
           tag="bénévoles")
@auth.require("volunteer")
def my_volunteer_profile():
    with services() as rpc:
        return jsonify(rpc.volunteers.get_volunteer(auth.current_account().subject_id))
